// A study session of one exam domain's cards across every deck (statistics' "Study next"):
// the learning and review cards due today, earliest first, then up to a day's new cards in
// each deck's introduction order. Suspended, buried and retired cards stay out.
import type { ExamDomain } from './exams.ts';
import { Queue, type CardRecord } from './types.ts';

export function domainSessionCards(cards: CardRecord[], domain: ExamDomain, endOfDay: Date, newLimit: number): { cards: CardRecord[]; newCards: number } {
  const ofDomain = cards.filter((card) => card.exam.includes(domain));
  const due = ofDomain
    .filter((card) => (card.queue === Queue.Learning || card.queue === Queue.Review) && card.due < endOfDay)
    .sort((a, b) => a.due.getTime() - b.due.getTime());
  const fresh = ofDomain
    .filter((card) => card.queue === Queue.New)
    .sort((a, b) => (a.deckId < b.deckId ? -1 : a.deckId > b.deckId ? 1 : a.position - b.position))
    .slice(0, Math.max(0, newLimit));
  return { cards: [...due, ...fresh], newCards: fresh.length };
}
