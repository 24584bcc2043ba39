// Opens the production build in Debian's Chromium with a fresh profile and a phone-sized
// viewport, recording requests that leave the origin and console errors.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeEach, expect, inject } from 'vitest';
import { launchWithFreshProfile } from '../support/chromium.ts';

export interface PhoneBrowser {
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  /** Every request the pages made that left the app's origin. */
  foreignRequests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  close(): Promise<void>;
}

export interface PhoneOptions {
  /** Where the app is served; the shared production build by default. */
  baseUrl?: string;
  colorScheme?: 'light' | 'dark';
  /** Block service workers, for tests about the page alone. */
  serviceWorkers?: 'allow' | 'block';
}

export async function openPhone(options: PhoneOptions = {}): Promise<PhoneBrowser> {
  const baseUrl = options.baseUrl ?? inject('baseUrl');
  const { context, close } = await launchWithFreshProfile({
    colorScheme: options.colorScheme ?? 'light',
    serviceWorkers: options.serviceWorkers ?? 'allow',
  });
  // Content-Security-Policy violations, as the page itself sees them.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const origin = new URL(baseUrl).origin;
  const foreignRequests: string[] = [];
  const errors: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  const watch = (page: Page) => {
    page.on('console', (message) => {
      // "Failed to load resource" names no resource: its location does.
      if (message.type() === 'error') errors.push(message.location().url ? `${message.text()} (${message.location().url})` : message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    baseUrl,
    foreignRequests,
    errors,
    close,
  };
}

/** Reads records straight from the app's IndexedDB, as the app stored them. */
export async function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('kubecards');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction(name, 'readonly').objectStore(name).getAll();
          request.onsuccess = () => {
            db.close();
            resolve(request.result as T[]);
          };
          request.onerror = () => reject(request.error);
        };
      }),
    store,
  );
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** Waits until a service worker controls the page (it claims the page on first install). */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
}

/**
 * A fresh phone for each test of the file; after each test, no request may have left the
 * origin and nothing may have been logged as an error.
 */
export function phoneForEachTest(options: PhoneOptions = {}): () => PhoneBrowser {
  let phone: PhoneBrowser;
  beforeEach(async () => {
    phone = await openPhone(options);
  });
  afterEach(async () => {
    expect(phone.foreignRequests).toEqual([]);
    expect(phone.errors).toEqual([]);
    await phone.close();
  });
  return () => phone;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it is. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run();
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
}

/** Deletes the app's database from the page, as a browser does when it finds it damaged. */
export async function deleteAppDatabase(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.deleteDatabase('kubecards');
        request.onsuccess = resolve;
        request.onerror = () => reject(request.error);
      }),
  );
}
