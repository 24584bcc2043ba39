import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../app/session.ts';
import type { ExamDomain } from '../domain/exams.ts';
import { lazy, useLazyComponent } from './common/lazy.tsx';
import { HomeScreen } from './home/HomeScreen.tsx';

// Only home is in the first screen's bundle; the rest loads when opened. The review screen,
// where most visits go next, is fetched at start (preloadReviewScreen) while the database opens.
const loadReviewScreen = () => import('./review/ReviewScreen.tsx').then((module) => module.ReviewScreen);
const ReviewScreen = lazy(loadReviewScreen);
export const preloadReviewScreen = (): void => void loadReviewScreen().catch(() => {});
const loadNotices = () => import('./AppNotices.tsx').then((module) => module.AppNotices);
const BrowseScreen = lazy(() => import('./browse/BrowseScreen.tsx').then((module) => module.BrowseScreen));
const CardScreen = lazy(() => import('./browse/CardScreen.tsx').then((module) => module.CardScreen));
const CardEditor = lazy(() => import('./cards/CardEditor.tsx').then((module) => module.CardEditor));
const DeckOptionsScreen = lazy(() => import('./settings/DeckOptionsScreen.tsx').then((module) => module.DeckOptionsScreen));
const StatsScreen = lazy(() => import('./stats/StatsScreen.tsx').then((module) => module.StatsScreen));
const DataScreen = lazy(() => import('./transfer/DataScreen.tsx').then((module) => module.DataScreen));
const SyncScreen = lazy(() => import('./sync/SyncScreen.tsx').then((module) => module.SyncScreen));
const SettingsScreen = lazy(() => import('./settings/SettingsScreen.tsx').then((module) => module.SettingsScreen));

function queryFromHash(hash: string): string {
  return new URLSearchParams(hash.split('?')[1] ?? '').get('q') ?? '';
}

export function deckHref(deckId: string): string {
  return `#/deck/${encodeURIComponent(deckId)}`;
}

/** A URL hash's screen and the id it names ('' for none). */
export function routeOf(hash: string): { screen?: string; id: string } {
  const [path] = hash.split('?');
  const [, screen, rawId] = /^#\/([a-z]+)(?:\/(.+))?$/.exec(path) ?? [];
  return { screen, id: rawId ? decodeURIComponent(rawId) : '' };
}

/** The screen for a URL hash; routes live in the hash so a reload or Back keeps the place. */
function screenFor(hash: string, session: Session) {
  const { screen, id } = routeOf(hash);
  switch (screen) {
    case 'deck':
      return <ReviewScreen key={id} session={session} deckId={id} />;
    case 'study':
      return <ReviewScreen key={`study-${id}`} session={session} deckId="" domain={id as ExamDomain} />;
    case 'settings':
      return <SettingsScreen session={session} />;
    case 'options':
      return <DeckOptionsScreen key={id} session={session} deckId={id} />;
    case 'browse':
      return <BrowseScreen session={session} initialQuery={queryFromHash(hash)} />;
    case 'stats':
      return <StatsScreen session={session} />;
    case 'data':
      return <DataScreen session={session} />;
    case 'sync':
      return <SyncScreen session={session} />;
    case 'card':
      return <CardScreen key={id} session={session} cardId={id} />;
    case 'add':
      return <CardEditor key={`add-${id}`} session={session} deckId={id} />;
    case 'edit':
      return <CardEditor key={`edit-${id}`} session={session} cardId={id} />;
    default:
      return <HomeScreen session={session} />;
  }
}

export function App({ session }: { session: Session }) {
  const [hash, setHash] = useState(location.hash);
  // The notices (and the service worker's registration with them) load right after the first
  // screen, not as part of it; they show nothing until there is news.
  const Notices = useLazyComponent(loadNotices);
  useEffect(() => {
    const onHashChange = () => setHash(location.hash);
    addEventListener('hashchange', onHashChange);
    // The address may have changed between the first render and this listener.
    onHashChange();
    return () => removeEventListener('hashchange', onHashChange);
  }, []);
  return (
    <>
      {screenFor(hash, session)}
      {Notices && <Notices session={session} />}
    </>
  );
}
