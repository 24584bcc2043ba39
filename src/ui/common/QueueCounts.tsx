import type { QueueCounts as Counts } from '../../domain/queue.ts';

/** New, learning and review counts in Anki's colours, with words for screen readers. */
export function QueueCounts({ counts, current }: { counts: Counts; current?: keyof Counts }) {
  const items: [keyof Counts, string][] = [
    ['newCards', 'new'],
    ['learning', 'learning'],
    ['reviews', 'to review'],
  ];
  return (
    <span class="counts">
      {items.map(([key, label]) => (
        <span key={key} class={`count count-${key}${current === key ? ' count-current' : ''}`} data-count={key}>
          {counts[key]}
          <span class="visually-hidden"> {label}</span>
        </span>
      ))}
    </span>
  );
}
