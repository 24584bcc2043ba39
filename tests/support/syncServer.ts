// A CouchDB-protocol server for sync tests: pouchdb-server in memory, in a child process of its
// own so that a test can crash it (kill) and bring it back on the same port (restart), as a real
// server would go away and come back. Databases created without members are open to anyone
// (pouchdb-server does not implement require_valid_user), so tests name the members. A non-admin's
// PUT of a database that does not exist crashes pouchdb-server 4.2.0 (PouchDB sends one unless
// skip_setup is set), so tests create databases here first.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const executable = fileURLToPath(new URL('../../node_modules/.bin/pouchdb-server', import.meta.url));
const startDeadlineMs = 30_000;
const stopGraceMs = 5_000;
const outputTailChars = 4_000;
// The server ends itself when its stdin closes, that is when the test process is gone however it
// went: vitest stops its workers with SIGTERM, which skips 'exit' handlers, and a crash skips
// everything. A server left behind would hold its port until someone noticed.
const exitWithParent = `data:text/javascript,${encodeURIComponent('process.stdin.on("end", () => process.exit()).resume();')}`;

export interface SyncServer {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  port: number;
  /** The running process's, a new one after restart(). */
  readonly pid: number;
  admin: { username: string; password: string };
  createUser(name: string, password: string): Promise<void>;
  /** Created as admin; with members, only they (and admins) may use it. */
  createDatabase(name: string, members?: string[]): Promise<void>;
  docCount(db: string): Promise<number>;
  /** SIGKILL, as a crash would end it; resolves once the process has exited. */
  kill(): Promise<void>;
  /** Starts again on the same port and with the same admin, with no data (it is in memory). */
  restart(): Promise<void>;
  /** SIGTERM, SIGKILL if it is still running 5 s later; does nothing once stopped. */
  stop(): Promise<void>;
}

interface RunningProcess {
  child: ChildProcess;
  exited: Promise<void>;
  outputTail(): string;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function launch(port: number, folder: string, admin: SyncServer['admin']): RunningProcess {
  mkdirSync(folder, { recursive: true });
  // Written afresh for every start: pouchdb-server rewrites its config file (it hashes the password).
  const configFile = join(folder, 'config.json');
  const config = {
    admins: { [admin.username]: admin.password },
    couch_httpd_auth: { require_valid_user: true },
    log: { file: join(folder, 'log.txt') },
  };
  writeFileSync(configFile, JSON.stringify(config));
  const args = ['--in-memory', '--host', '127.0.0.1', '--port', String(port), '-c', configFile, '-n'];
  const child = spawn(process.execPath, ['--import', exitWithParent, executable, ...args], {
    cwd: folder,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-outputTailChars);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // A process that could not be spawned emits 'error' and never 'exit'.
    child.once('error', (error) => {
      keepTail(Buffer.from(String(error)));
      resolve();
    });
  });
  return { child, exited, outputTail: () => output };
}

async function waitUntilAnswering(url: string, authorization: string, server: RunningProcess): Promise<void> {
  const deadline = Date.now() + startDeadlineMs;
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  while (!exited && Date.now() < deadline) {
    try {
      // As admin, so that another server that happens to hold the port (ours then exits) does not pass.
      const response = await fetch(`${url}/`, { headers: { Authorization: authorization }, signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // pouchdb-server 4.2.0 reports a port in use as "stopTailingLog is not a function".
  const reason = exited ? 'exited while starting (is the port free?)' : `did not answer within ${startDeadlineMs / 1000} s`;
  if (!exited) await terminate(server, 'SIGKILL');
  throw new Error(`pouchdb-server on ${url} ${reason}; its output ended with:\n${server.outputTail()}`);
}

async function terminate(server: RunningProcess, signal: NodeJS.Signals): Promise<void> {
  if (hasExited(server.child) || server.child.pid === undefined) return server.exited;
  process.kill(server.child.pid, signal);
  return server.exited;
}

export async function startSyncServer(options: { port?: number } = {}): Promise<SyncServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const admin = { username: 'admin', password: randomBytes(16).toString('hex') };
  const folder = mkdtempSync(join(tmpdir(), 'kubecards-sync-server-'));
  const authorization = `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`;

  const start = async () => {
    const server = launch(port, folder, admin);
    await waitUntilAnswering(url, authorization, server);
    return server;
  };
  let current = await start().catch((error: unknown) => {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  });

  async function asAdmin(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text);
  }

  return {
    url,
    port,
    get pid() {
      return current.child.pid ?? -1;
    },
    admin,
    async createUser(name, password) {
      await asAdmin('PUT', `/_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`, {
        name,
        password,
        roles: [],
        type: 'user',
      });
    },
    async createDatabase(name, members) {
      await asAdmin('PUT', `/${encodeURIComponent(name)}`);
      if (members === undefined) return;
      await asAdmin('PUT', `/${encodeURIComponent(name)}/_security`, {
        members: { names: members, roles: [] },
        admins: { names: [], roles: [] },
      });
    },
    async docCount(db) {
      const info = (await asAdmin('GET', `/${encodeURIComponent(db)}`)) as { doc_count: number };
      return info.doc_count;
    },
    kill: () => terminate(current, 'SIGKILL'),
    async restart() {
      await terminate(current, 'SIGKILL');
      current = await start();
    },
    async stop() {
      const server = current;
      if (!hasExited(server.child)) {
        const grace = setTimeout(() => void terminate(server, 'SIGKILL'), stopGraceMs);
        await terminate(server, 'SIGTERM');
        clearTimeout(grace);
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
