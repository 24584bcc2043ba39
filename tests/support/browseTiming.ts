// Clocks for Browse, read in the page itself (performance.now()), for its end-to-end test and
// its benchmark. CSS selectors only: Playwright's role queries run on the page's main thread.
import type { Page } from 'playwright-core';

export const searchField = '.browse-controls input[type="search"]';
export const listedRow = '.browse-list li a[data-card-id]';

export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** The page's clock when `selector` is first in the page, polled every animation frame. */
export async function timeWhenShown(page: Page, selector: string, timeout = 300_000): Promise<number> {
  const handle = await page.waitForFunction((wanted) => (document.querySelector(wanted) ? performance.now() : false), selector, { polling: 'raf', timeout });
  return (await handle.jsonValue()) as number;
}

/** The page's clock when the status line first reads `text`. */
export async function timeWhenStatus(page: Page, text: string, timeout = 300_000): Promise<number> {
  const handle = await page.waitForFunction((wanted) => (document.querySelector('[data-testid="browse-status"]')?.textContent === wanted ? performance.now() : false), text, {
    polling: 'raf',
    timeout,
  });
  return (await handle.jsonValue()) as number;
}

interface KeyTimes {
  /** Each key's time from its event to the next animation frame: the frame that can show what the key did. */
  keyToFrame: number[];
  /** The page's clock at the last key's event. */
  lastKeyAt: number;
}

/** Types `text` into `selector` a key at a time, 120 ms apart, timing each key. */
export async function typeTimed(page: Page, selector: string, text: string): Promise<KeyTimes> {
  await page.evaluate((field) => {
    const times: KeyTimes = { keyToFrame: [], lastKeyAt: 0 };
    (window as unknown as { keyTimes: KeyTimes }).keyTimes = times;
    document.querySelector(field)!.addEventListener('keydown', (event) => {
      const pressedAt = (times.lastKeyAt = event.timeStamp);
      requestAnimationFrame(() => times.keyToFrame.push(performance.now() - pressedAt));
    });
  }, selector);
  await page.locator(selector).click();
  await page.keyboard.type(text, { delay: 120 });
  await page.waitForFunction((count) => (window as unknown as { keyTimes: KeyTimes }).keyTimes.keyToFrame.length >= count, text.length);
  return page.evaluate(() => (window as unknown as { keyTimes: KeyTimes }).keyTimes);
}

/** Scrolls the list by `step` px each animation frame, `frames` times; returns the gaps between frames. */
export function scrollFrameGaps(page: Page, frames = 60, step = 400): Promise<number[]> {
  return page.evaluate(
    async ({ frames, step }) => {
      const list = document.querySelector('.browse-list')!;
      const gaps: number[] = [];
      let last = performance.now();
      for (let frame = 0; frame < frames; frame++) {
        list.scrollTop += step;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
      return gaps;
    },
    { frames, step },
  );
}
