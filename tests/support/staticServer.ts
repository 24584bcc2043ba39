// A static file server for built apps, as a plain host would serve them: gzip for text,
// revalidation on every request. Its folder can be swapped while it runs (to publish a new
// version under the same URL), and it can serve under a sub-path such as /kubecards/. A test
// can have it send headers a host may set (the app's CSP on every response, as README asks of
// hosts that can) and serve files of its own beside the build. It can also pass a path prefix
// through to another server, as the reverse proxy in front of the app and CouchDB does.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { pipeline } from 'node:stream';
import { gzipSync } from 'node:zlib';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  // WebAssembly compiles while it downloads only with this type.
  '.wasm': 'application/wasm',
};

export interface StaticServer {
  url: string;
  serveFrom(folder: string): void;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Sent with every response (404s too), after the server's own. */
  headers?: Record<string, string>;
  /** Files served beside the folder's, by path under the base path ('probe.js'); they win over the folder's. */
  extraFiles?: Record<string, string | Uint8Array>;
  /**
   * Requests under prefix ('/db/', ending in '/') go to target() ('http://127.0.0.1:5985') with the
   * prefix cut down to '/', and its answers come back as they are (no gzip, no `headers`).
   * target is asked on every request, so the server behind it may move.
   */
  proxy?: { prefix: string; target: () => string };
}

// Streams both ways, so that long-polled _changes feeds flow as they would through nginx. An
// upstream that cannot be reached is a 502, as from a real proxy; one that breaks off mid-answer
// breaks off the client's connection too.
function forward(request: IncomingMessage, response: ServerResponse, target: URL, path: string, agent: Agent) {
  const upstreamRequest = httpRequest({
    hostname: target.hostname,
    port: target.port,
    path,
    method: request.method,
    headers: { ...request.headers, host: target.host },
    agent,
  });
  upstreamRequest.on('response', (upstreamResponse) => {
    response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.statusMessage, upstreamResponse.headers);
    pipeline(upstreamResponse, response, (error) => {
      if (error) response.destroy();
    });
  });
  upstreamRequest.on('error', (error) => {
    if (response.destroyed) return;
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Bad gateway: ${error.message}\n`);
  });
  // A client that goes away (or a close()) ends the upstream request, long polls included.
  response.on('close', () => {
    if (!response.writableFinished) upstreamRequest.destroy();
  });
  request.pipe(upstreamRequest);
}

export async function serveStatic(folder: string, basePath = '/', options: ServeOptions = {}): Promise<StaticServer> {
  let root = folder;
  const { headers = {}, extraFiles = {}, proxy } = options;
  // Its own pool, so that close() can end the upstream connections it keeps alive.
  const upstreamAgent = new Agent({ keepAlive: true });
  const server = createServer((request, response) => {
    const rawPath = request.url ?? '/';
    if (proxy && rawPath.startsWith(proxy.prefix)) {
      // The raw path, still percent-encoded: document ids such as org.couchdb.user%3Aana must stay so.
      const target = new URL(proxy.target());
      const upstreamPath = `${target.pathname.replace(/\/$/, '')}/${rawPath.slice(proxy.prefix.length)}`;
      forward(request, response, target, upstreamPath, upstreamAgent);
      return;
    }
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (!path.startsWith(basePath)) {
      response.writeHead(404, headers).end();
      return;
    }
    const relative = normalize(path.slice(basePath.length) || 'index.html').replace(/^(\.\.[/\\])+/, '');
    const extra = Object.hasOwn(extraFiles, relative) ? extraFiles[relative] : undefined;
    const file = join(root, relative);
    if (extra === undefined && (!existsSync(file) || !statSync(file).isFile())) {
      response.writeHead(404, headers).end();
      return;
    }
    const type = types[extname(file)] ?? 'application/octet-stream';
    const gzip = !type.startsWith('image/png') && /\bgzip\b/.test(String(request.headers['accept-encoding']));
    const content = extra === undefined ? readFileSync(file) : Buffer.from(extra);
    const body = gzip ? gzipSync(content) : content;
    // Revalidate everything, as static hosts commonly do for HTML and sw.js.
    response.writeHead(200, {
      'Content-Type': type,
      'Cache-Control': 'no-cache',
      'Content-Length': body.length,
      ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}),
      ...headers,
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    serveFrom(next) {
      root = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        upstreamAgent.destroy();
        server.close(() => resolve());
      }),
  };
}
