// How the app looks on this device: the theme (the system's, light or dark) and the size of
// a card's text. Kept in localStorage, not in the synced settings: a phone and a laptop may
// well want different ones. Applied before the first screen, so nothing flashes.

export type Theme = 'system' | 'light' | 'dark';

export interface Display {
  theme: Theme;
  /** The card text's size, as a factor of the default. */
  cardScale: number;
}

export const cardScales = [0.9, 1, 1.15, 1.3, 1.5] as const;
const key = 'kubecards:display';

export function storedDisplay(): Display {
  try {
    const stored = JSON.parse(localStorage.getItem(key) ?? '{}') as Partial<Display>;
    const theme = stored.theme === 'light' || stored.theme === 'dark' ? stored.theme : 'system';
    const cardScale = cardScales.includes(stored.cardScale as (typeof cardScales)[number]) ? stored.cardScale! : 1;
    return { theme, cardScale };
  } catch {
    return { theme: 'system', cardScale: 1 };
  }
}

export function applyDisplay(display: Display = storedDisplay()): void {
  const root = document.documentElement;
  if (display.theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = display.theme;
  root.style.setProperty('--card-scale', String(display.cardScale));
}

export function saveDisplay(display: Display): void {
  localStorage.setItem(key, JSON.stringify(display));
  applyDisplay(display);
}

/** Whether the page shows dark now: the theme chosen, or the system's. */
export function showsDark(): boolean {
  const theme = document.documentElement.dataset.theme;
  return theme ? theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
}
