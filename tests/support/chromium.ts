// Debian's Chromium, driven by playwright-core: no browser download, flags that keep it off
// the network (this machine has none) and a fresh profile for every launch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A phone: 412×915 CSS px at 2× density, touch. */
export const phoneViewport = { viewport: { width: 412, height: 915 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export type LaunchOptions = Parameters<typeof chromium.launchPersistentContext>[1];

/**
 * A browser with a new profile: in a new folder, removed again by `close()`, or in the empty
 * folder `profileFolder` (such as a small disk of its own), which is left to its owner.
 */
export async function launchWithFreshProfile(
  options: LaunchOptions = {},
  profileFolder?: string,
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = profileFolder ?? mkdtempSync(join(tmpdir(), 'kubecards-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    ...phoneViewport,
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      if (!profileFolder) rmSync(profile, { recursive: true, force: true });
    },
  };
}
