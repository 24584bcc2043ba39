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

export function BarChart({ title, bars, summary }: { title: string; bars: Bar[]; summary: string }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const width = 320;
  const height = 120;
  const step = width / bars.length;
  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong> <span class="muted">{summary}</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height + 16}`} role="img" aria-label={`${title}: ${summary}`}>
        {bars.map((bar, index) => {
          const barHeight = (bar.value / max) * height;
          return <rect key={bar.label} class="chart-bar" x={index * step + 1} y={height - barHeight} width={Math.max(1, step - 2)} height={barHeight} />;
        })}
        <text class="axis" x="0" y={height + 14}>
          {bars[0]?.label}
        </text>
        <text class="axis" x={width} y={height + 14} text-anchor="end">
          {bars[bars.length - 1]?.label}
        </text>
      </svg>
      <DataTable caption={title} rows={bars} />
    </figure>
  );
}

/** A year of study days as a calendar of squares, a column per week. */
export function Heatmap({ days, labelOf }: { days: { day: number; count: number }[]; labelOf(day: number): string }) {
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
          return <rect key={day.day} class={`heat heat-${level}`} x={Math.floor(slot / 7) * size} y={(slot % 7) * size} width={size - 1} height={size - 1} />;
        })}
      </svg>
      <DataTable caption="Reviews per day (days with answers)" rows={active.map((day) => ({ label: labelOf(day.day), value: day.count }))} />
    </figure>
  );
}
