// Learning steps in Anki's syntax: "1m 10m 1h 1d", space-separated, each a whole number of
// minutes, hours or days (ts-fsrs units).

export type StepsResult = { steps: string[] } | { error: string };

const stepPattern = /^([1-9]\d*)([mhd])$/;

export function parseSteps(text: string): StepsResult {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  for (const part of parts) {
    if (!stepPattern.test(part)) {
      return { error: `"${part}" is not a step: write a whole number followed by m, h or d, such as 10m, 1h or 1d` };
    }
  }
  return { steps: parts };
}

export function formatSteps(steps: readonly string[]): string {
  return steps.join(' ');
}
