import { render } from 'preact';
import { startSession } from './app/session.ts';
import { clearStaleChunkReload, recoverFromStaleChunks, reloadOnceForStaleChunk } from './pwa/staleChunk.ts';
import { App } from './ui/App.tsx';
import './ui/styles.css';

const root = document.getElementById('app')!;
recoverFromStaleChunks();

startSession().then(
  (session) => {
    root.textContent = ''; // the "Loading…" placeholder; Preact does not replace existing children
    render(<App session={session} />, root);
    clearStaleChunkReload();
  },
  (error: unknown) => {
    // Most often a deck chunk of a version that is gone: one reload fetches the current one.
    if (reloadOnceForStaleChunk()) return;
    root.textContent = `Kubecards could not start: ${error instanceof Error ? error.message : String(error)}. Your data is safe; try reloading.`;
  },
);
