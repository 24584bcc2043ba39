import { render } from 'preact';
import { startSession, type Session } from './app/session.ts';
import { listenForInstallOffer } from './pwa/installPrompt.ts';
import { listenForLaunchedFiles } from './pwa/launchQueue.ts';
import { clearStaleChunkReload, recoverFromStaleChunks, reloadOnceForStaleChunk } from './pwa/staleChunk.ts';
import { errorReason, isStorageFull } from './storage/errors.ts';
import { Storage } from './storage/index.ts';
import { App, preloadReviewScreen, routeOf } from './ui/App.tsx';
import { lazy } from './ui/common/lazy.tsx';
import { applyDisplay } from './ui/display.ts';
import './ui/styles.css';

// Needed only when the data this device held is gone, so not part of the first screen.
const DataLostScreen = lazy(() => import('./ui/DataLostScreen.tsx').then((module) => module.DataLostScreen));

applyDisplay();
const root = document.getElementById('app')!;
recoverFromStaleChunks();
listenForLaunchedFiles();
listenForInstallOffer();
preloadReviewScreen();
const storage = new Storage();

function show(session: Session | 'data-lost') {
  root.textContent = ''; // the "Loading…" placeholder; Preact does not replace existing children
  render(session === 'data-lost' ? <DataLostScreen onStartAgain={startAgain} /> : <App session={session} />, root);
  clearStaleChunkReload();
  // The daily backup and sync, once the first screen is up; they never block study.
  if (session !== 'data-lost') setTimeout(() => import('./app/background.ts').then(({ startBackgroundWork }) => startBackgroundWork(session)).catch(() => {}), 3000);
}

/** After the data was lost: the built-in decks, from the home screen whatever the address said. */
async function startAgain() {
  const session = await startSession(storage, { startAgain: true });
  location.hash = '#/';
  show(session);
}

const route = routeOf(location.hash);
startSession(storage, { firstDeckId: route.screen === 'deck' ? route.id : undefined }).then(show, (error: unknown) => {
  const full = isStorageFull(error);
  // Unless the disk is full, most often a deck chunk of a version that is gone: one reload
  // fetches the current one.
  if (full || !reloadOnceForStaleChunk()) {
    const next = full ? 'Free some space on this device, then reload.' : 'Your data is safe; try reloading.';
    root.textContent = `Kubecards could not start: ${errorReason(error)}. ${next}`;
  }
});
