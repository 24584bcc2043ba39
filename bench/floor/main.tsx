// The floor: a bare Vite + Preact page that renders one line of text. Our cold start is
// reported as a ratio to this, built and measured in the same run. Key 3 re-renders it at
// once, which gives the floor for answer latency: the wait for the next frame alone.
import { render } from 'preact';

let shown = 0;
const draw = () =>
  render(
    <article class="card" data-card-id={String(shown)}>
      <p id="floor">One line of text.</p>
    </article>,
    document.getElementById('app')!,
  );
addEventListener('keydown', (event) => {
  if (event.key !== '3') return;
  shown++;
  draw();
});
draw();
