// The transfer worker is held to what the page is: nothing it does leaves the origin, and it
// works under the CSP sent as a header (which, unlike the page's meta tag, covers workers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/build/contentSecurityPolicy.ts';
import { generateAnkiPackage } from '../support/ankiFixtures.ts';
import { serveStatic, type ServeOptions, type StaticServer } from '../support/staticServer.ts';
import { cspViolations, phoneForEachTest, type PhoneBrowser, type PhoneOptions } from './browser.ts';
import { importSummary, openDataScreen } from './transferActions.ts';

// The build the other tests use (see serveBuild.ts), served here with test files and headers.
const build = process.env.KUBECARDS_E2E_DIST ?? 'dist';

// A same-origin worker that fetches from another origin, as a compromised import worker
// would, and tells what its CSP refused (the page never hears of a worker's violations). The
// .invalid name can never resolve, so nothing can be reached.
const probeUrl = 'http://kubecards-probe.invalid/from-a-worker';
const extraFiles = {
  'probe-worker.js': `
    const violations = [];
    addEventListener('securitypolicyviolation', (event) => violations.push(event.violatedDirective + ' ' + event.blockedURI));
    fetch(${JSON.stringify(probeUrl)})
      .then(() => 'fetched', (error) => 'failed: ' + error.message)
      .then((outcome) => setTimeout(() => postMessage({ outcome, violations })));
  `,
};

interface ProbeReport {
  outcome: string;
  violations: string[];
}

/** Starts the probe worker from the page; resolves with what it says of its fetch. */
function runProbeWorker({ page }: PhoneBrowser): Promise<ProbeReport> {
  return page.evaluate(
    () =>
      new Promise<ProbeReport>((resolve) => {
        const worker = new Worker('/probe-worker.js');
        worker.onmessage = (event) => {
          worker.terminate();
          resolve(event.data);
        };
      }),
  );
}

async function importGenerated(browser: PhoneBrowser) {
  await openDataScreen(browser.page, browser.baseUrl);
  const { bytes, collection } = await generateAnkiPackage({ notes: 20, now: new Date() });
  const summary = await importSummary(browser.page, { name: 'generated.apkg', bytes });
  expect(summary.cards).toBe(`${collection.cards.length} new, 0 updated`);
}

/** A phone for each test on a server of its own, started before the tests. */
function phoneOnOwnServer(serve: ServeOptions): () => PhoneBrowser {
  let server: StaticServer;
  // phoneForEachTest reads the options when each test starts: the server is up by then.
  const options: PhoneOptions = { serviceWorkers: 'block' };
  beforeAll(async () => {
    server = await serveStatic(build, '/', serve);
    options.baseUrl = server.url;
  });
  afterAll(() => server.close());
  return phoneForEachTest(options);
}

describe('requests from workers', () => {
  const phone = phoneOnOwnServer({ extraFiles });

  it('are seen by the test harness, and an import makes none that leave the origin', async () => {
    const browser = phone();
    await browser.page.goto(browser.baseUrl);
    await browser.page.locator('a.deck').first().waitFor();
    expect(await runProbeWorker(browser)).toEqual({ outcome: 'failed: Failed to fetch', violations: [] });
    // The harness saw the worker's request: a request from the import worker would be seen too.
    expect(browser.foreignRequests).toEqual([probeUrl]);
    browser.foreignRequests.length = 0;

    await importGenerated(browser);
    expect(browser.foreignRequests).toEqual([]);
  });
});

describe('with the CSP sent as a header on every response', () => {
  const phone = phoneOnOwnServer({ extraFiles, headers: { 'Content-Security-Policy': contentSecurityPolicy } });

  it('imports (the worker and its WebAssembly run under it), and a worker can no longer reach another origin', async () => {
    const browser = phone();
    await importGenerated(browser);
    expect(await cspViolations(browser.page)).toEqual([]);
    expect(browser.errors).toEqual([]);

    // The header's policy holds in the worker: the fetch is refused before any request is made.
    expect(await runProbeWorker(browser)).toEqual({ outcome: 'failed: Failed to fetch', violations: [`connect-src ${probeUrl}`] });
    expect(browser.foreignRequests).toEqual([]);
  });
});
