import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../app/session.ts';
import { AppNotices } from './AppNotices.tsx';
import { HomeScreen } from './home/HomeScreen.tsx';
import { ReviewScreen } from './review/ReviewScreen.tsx';
import { SettingsScreen } from './settings/SettingsScreen.tsx';

type Route = { screen: 'home' } | { screen: 'settings' } | { screen: 'review'; deckId: string };

function routeFromHash(hash: string): Route {
  if (hash === '#/settings') return { screen: 'settings' };
  const review = /^#\/deck\/([^/]+)$/.exec(hash);
  return review ? { screen: 'review', deckId: decodeURIComponent(review[1]) } : { screen: 'home' };
}

export function deckHref(deckId: string): string {
  return `#/deck/${encodeURIComponent(deckId)}`;
}

// Routes live in the URL hash so a reload, or the back button, keeps the user where they were.
export function App({ session }: { session: Session }) {
  const [route, setRoute] = useState(() => routeFromHash(location.hash));
  useEffect(() => {
    const onHashChange = () => setRoute(routeFromHash(location.hash));
    addEventListener('hashchange', onHashChange);
    return () => removeEventListener('hashchange', onHashChange);
  }, []);

  return (
    <>
      {route.screen === 'review' && <ReviewScreen key={route.deckId} session={session} deckId={route.deckId} />}
      {route.screen === 'settings' && <SettingsScreen />}
      {route.screen === 'home' && <HomeScreen session={session} />}
      <AppNotices session={session} />
    </>
  );
}
