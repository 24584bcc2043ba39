/** "1,000 met, 20,000 missed, …": a goal checked at each collection size of a section's runs. */
export function metAtSizes<Run extends { cards: number }>(runs: Run[], goal: (run: Run) => boolean): string {
  return runs.map((run) => `${run.cards.toLocaleString('en')} ${goal(run) ? 'met' : 'missed'}`).join(', ');
}
