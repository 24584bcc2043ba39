import { useEffect, useState } from 'preact/hooks';
// Light SVG charts; each carries its numbers as a table for screen readers.

export interface Bar {
  label: string;
  value: number;
}

function DataTable({ caption, rows }: { caption: string; rows: Bar[] }) {
  return (
    <table class="visually-hidden">
      <caption>{caption}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td>{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Up to `count` indexes spread over `length` items, first and last included. */
function tickIndexes(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, index) => index);
  return [...new Set(Array.from({ length: count }, (_, tick) => Math.round((tick * (length - 1)) / (count - 1))))];
}

/**
 * Bars with their axes labelled (a value scale on the left, labels under every few bars), and
 * the value of a bar said under the chart when it is tapped or hovered.
 */
export function BarChart({ title, bars, summary }: { title: string; bars: Bar[]; summary: string }) {
  const [picked, setPicked] = useState<number>();
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const left = 28;
  const width = 320;
  const height = 120;
  const step = (width - left) / bars.length;
  // Every bar's label while they fit under a phone-wide chart, else five spread over it.
  const labelled = tickIndexes(bars.length, bars.length <= 6 ? bars.length : 5);
  const shown = picked === undefined ? undefined : bars[picked];
  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong> <span class="muted">{summary}</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height + 18}`} role="img" aria-label={`${title}: ${summary}`} onPointerLeave={() => setPicked(undefined)}>
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line class="grid-line" x1={left} x2={width} y1={height - fraction * height} y2={height - fraction * height} />
            <text class="axis" x={left - 4} y={height - fraction * height + 4} text-anchor="end">
              {Math.round(fraction * max)}
            </text>
          </g>
        ))}
        {bars.map((bar, index) => {
          const barHeight = (bar.value / max) * height;
          return (
            <g key={bar.label} onPointerEnter={() => setPicked(index)} onClick={() => setPicked(index)}>
              {/* The whole column is the target, not only the bar: a bar of 0 is tappable too. */}
              <rect class="chart-column" x={left + index * step} y={0} width={step} height={height} />
              <rect class={`chart-bar${picked === index ? ' chart-bar-picked' : ''}`} x={left + index * step + 1} y={height - barHeight} width={Math.max(1, step - 2)} height={barHeight} />
            </g>
          );
        })}
        {labelled.map((index) => (
          <text key={index} class="axis" x={left + index * step + step / 2} y={height + 14} text-anchor="middle">
            {bars[index].label}
          </text>
        ))}
      </svg>
      <p class="chart-readout muted" aria-live="polite">
        {shown ? `${shown.label}: ${shown.value}` : 'Tap a bar for its value.'}
      </p>
      <DataTable caption={title} rows={bars} />
    </figure>
  );
}

/** A year of study days as a calendar of squares, a column per week. */
export function Heatmap({ days, labelOf }: { days: { day: number; count: number }[]; labelOf(day: number): string }) {
  const [picked, setPicked] = useState<{ day: number; count: number }>();
  // The squares first, their table (a row a day studied) a task later: each render stays short on a slow phone.
  const [tabled, setTabled] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setTabled(true));
    return () => clearTimeout(timer);
  }, []);
  const max = Math.max(1, ...days.map((day) => day.count));
  const size = 6;
  const active = days.filter((day) => day.count > 0);
  const summary = `${active.length} of the last ${days.length} days studied, ${days.reduce((sum, day) => sum + day.count, 0)} answers`;
  const firstWeekday = new Date(days[0].day * 86_400_000).getUTCDay();
  return (
    <figure class="chart heatmap">
      <figcaption>
        <strong>Reviews per day</strong> <span class="muted">{summary}</span>
      </figcaption>
      <svg viewBox={`0 0 ${Math.ceil((days.length + firstWeekday) / 7) * size} ${7 * size}`} role="img" aria-label={`Reviews per day: ${summary}`}>
        {days.map((day, index) => {
          const slot = index + firstWeekday;
          const level = day.count === 0 ? 0 : Math.ceil((day.count / max) * 4);
          return (
            <rect
              key={day.day}
              class={`heat heat-${level}`}
              x={Math.floor(slot / 7) * size}
              y={(slot % 7) * size}
              width={size - 1}
              height={size - 1}
              onPointerEnter={() => setPicked(day)}
              onClick={() => setPicked(day)}
            />
          );
        })}
      </svg>
      <p class="chart-readout muted" aria-live="polite">
        {picked ? `${labelOf(picked.day)}: ${picked.count} ${picked.count === 1 ? 'answer' : 'answers'}` : 'Tap a day for its answers.'}
      </p>
      {tabled && <DataTable caption="Reviews per day (days with answers)" rows={active.map((day) => ({ label: labelOf(day.day), value: day.count }))} />}
    </figure>
  );
}
