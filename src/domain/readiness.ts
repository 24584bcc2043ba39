// Exam readiness: for each exam domain, how much of this app's material the user would
// recall on a given day, from FSRS's predicted retrievability. A card never studied counts
// as not recalled. It covers this app's cards only, not the whole exam.
import { State } from 'ts-fsrs';
import { examDomains, type Exam, type ExamDomain } from './exams.ts';
import { Queue, type CardRecord } from './types.ts';

export interface DomainReadiness {
  domain: string;
  weight: number;
  cards: number;
  studied: number;
  /** Mean predicted recall of the domain's cards now, and on the exam date. */
  recallNow: number;
  recallOnExam: number;
}

export interface Readiness {
  exam: Exam;
  domains: DomainReadiness[];
  /** Weighted over the domains that have cards here; undefined when none has. */
  overallNow?: number;
  overallOnExam?: number;
  /** The domain where study gains the most: weight times what is not yet recalled. */
  suggested?: string;
}

/** What readiness reads of a card, besides what `recall` reads. */
export type ReadinessCard = Pick<CardRecord, 'queue' | 'state' | 'exam'>;

/** `recall(card, at)`: probability of recalling a studied card at `at` (FSRS retrievability). */
export function examReadiness<C extends ReadinessCard>(exam: Exam, cards: C[], now: Date, examDate: Date, recall: (card: C, at: Date) => number): Readiness {
  const live = cards.filter((card) => card.queue !== Queue.Retired);
  const domains = Object.entries(examDomains[exam]).map(([domain, weight]): DomainReadiness => {
    const mine = live.filter((card) => card.exam.includes(`${exam} ${domain}` as ExamDomain));
    const studied = mine.filter((card) => card.state !== State.New);
    const mean = (at: Date) => (mine.length === 0 ? 0 : studied.reduce((sum, card) => sum + recall(card, at), 0) / mine.length);
    return { domain, weight, cards: mine.length, studied: studied.length, recallNow: mean(now), recallOnExam: mean(examDate) };
  });
  const covered = domains.filter((domain) => domain.cards > 0);
  const totalWeight = covered.reduce((sum, domain) => sum + domain.weight, 0);
  const weighted = (pick: (domain: DomainReadiness) => number) =>
    totalWeight === 0 ? undefined : covered.reduce((sum, domain) => sum + domain.weight * pick(domain), 0) / totalWeight;
  const suggested = [...covered].sort((a, b) => b.weight * (1 - b.recallOnExam) - a.weight * (1 - a.recallOnExam))[0];
  return {
    exam,
    domains,
    overallNow: weighted((domain) => domain.recallNow),
    overallOnExam: weighted((domain) => domain.recallOnExam),
    suggested: suggested?.domain,
  };
}
