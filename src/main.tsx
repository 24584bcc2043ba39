import { render } from 'preact';
import { startSession } from './app/session.ts';
import { App } from './ui/App.tsx';
import './ui/styles.css';

const root = document.getElementById('app')!;

startSession().then(
  (session) => {
    root.textContent = ''; // the "Loading…" placeholder; Preact does not replace existing children
    render(<App session={session} />, root);
  },
  (error: unknown) => {
    root.textContent = `Kubecards could not open its database: ${error instanceof Error ? error.message : String(error)}`;
  },
);
