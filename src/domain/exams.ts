// Exam domains and weights from the CNCF curricula (KCNA PDF of 2025-11-24, CKA v1.35).

export const examDomains = {
  KCNA: {
    'Kubernetes Fundamentals': 44,
    'Container Orchestration': 28,
    'Cloud Native Application Delivery': 16,
    'Cloud Native Architecture': 12,
  },
  CKA: {
    Troubleshooting: 30,
    'Cluster Architecture, Installation & Configuration': 25,
    'Services & Networking': 20,
    'Workloads & Scheduling': 15,
    Storage: 10,
  },
} as const;

export type Exam = keyof typeof examDomains;
/** Written as the exam then the domain name, e.g. "CKA Services & Networking". */
export type ExamDomain = {
  [E in Exam]: `${E} ${Extract<keyof (typeof examDomains)[E], string>}`;
}[Exam];

export const allExamDomains: readonly ExamDomain[] = (Object.keys(examDomains) as Exam[]).flatMap(
  (exam) => Object.keys(examDomains[exam]).map((domain) => `${exam} ${domain}` as ExamDomain),
);

export function isExamDomain(text: string): text is ExamDomain {
  return (allExamDomains as readonly string[]).includes(text);
}

/** The exam the user prepares for: which, on what day (YYYY-MM-DD, local; '' while none is set) and the predicted recall aimed at. */
export interface ExamGoal {
  exam: Exam;
  date: string;
  targetRecall: number;
}
