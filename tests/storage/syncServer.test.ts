// The sync tests' server and proxy: pouchdb-server behind the static server's /db/, as CouchDB sits
// behind the app's origin in production, and PouchDB (the browser build the app uses) syncing
// through them from Node.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serveStatic, type StaticServer } from '../support/staticServer.ts';
import { startSyncServer, type SyncServer } from '../support/syncServer.ts';

const ana = { username: 'ana', password: 'correct horse' };
const anasDatabase = 'kubecards-ana';

let server: SyncServer;
let origin: StaticServer;

function basicAuth({ username, password }: { username: string; password: string }) {
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

function throughProxy(path: string, auth = ana) {
  return fetch(`${origin.url}db/${path}`, { headers: basicAuth(auth) });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  server = await startSyncServer();
  await server.createUser(ana.username, ana.password);
  await server.createDatabase(anasDatabase, [ana.username]);
  origin = await serveStatic('tests/fixtures', '/', { proxy: { prefix: '/db/', target: () => server.url } });
});

afterAll(async () => {
  await origin?.close();
  await server?.stop();
  vi.unstubAllGlobals();
});

describe('sync server', () => {
  it('refuses a wrong password', async () => {
    const response = await fetch(`${server.url}/${anasDatabase}`, { headers: basicAuth({ ...ana, password: 'wrong' }) });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('keeps a database to its members', async () => {
    await server.createUser('bob', 'bobs password');
    const response = await throughProxy(anasDatabase, { username: 'bob', password: 'bobs password' });
    // CouchDB answers 403 to a signed-in non-member; pouchdb-server answers 401.
    expect([401, 403]).toContain(response.status);
  });

  it('serves the database under /db/ of the static server, and files beside it', async () => {
    const response = await throughProxy(anasDatabase);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ db_name: anasDatabase, doc_count: 0 });
    expect((await fetch(`${origin.url}broken-decks/duplicate-id.deck`)).status).toBe(200);
  });

  it('replicates with pouchdb-browser in Node, through the proxy', async () => {
    // pouchdb-browser reads self at load time and navigator when it first writes; Node 20 has neither.
    vi.stubGlobal('self', globalThis);
    vi.stubGlobal('navigator', { userAgent: 'Node.js' });
    const { default: PouchDB } = await import('pouchdb-browser');
    const phone = new PouchDB('sync-test-phone');
    const laptop = new PouchDB('sync-test-laptop');
    const remote = new PouchDB(`${origin.url}db/${anasDatabase}`, { auth: ana });
    try {
      await phone.bulkDocs([{ _id: 'card-1', front: 'What is a Pod?' }]);
      expect(await phone.replicate.to(remote)).toMatchObject({ ok: true, docs_written: 1 });
      expect(await server.docCount(anasDatabase)).toBe(1);
      expect(await laptop.replicate.from(remote)).toMatchObject({ ok: true, docs_written: 1 });
      expect(await laptop.get('card-1')).toMatchObject({ front: 'What is a Pod?' });
    } finally {
      await Promise.all([phone.destroy(), laptop.destroy()]);
    }
  });

  it('answers 502 through the proxy once the server has crashed', async () => {
    await server.kill();
    const response = await throughProxy(anasDatabase);
    expect(response.status).toBe(502);
  });

  it('comes back on the same port after a restart, without its data', async () => {
    const { port, pid } = server;
    await server.restart();
    expect(server.port).toBe(port);
    expect(server.pid).not.toBe(pid);
    const response = await throughProxy(anasDatabase, server.admin);
    expect(response.status).toBe(404);
  });

  it('stops for good, and stopping again does nothing', async () => {
    const { pid } = server;
    await server.stop();
    expect(isRunning(pid)).toBe(false);
    await server.stop();
  });
});
