import type { Plugin } from 'vite';

// Everything comes from the app's own origin; nothing else may load or run. In a meta tag
// (static hosting has no headers to set), so frame-ancestors cannot be used here. A meta tag
// does not cover Web Workers: a host that can set headers should send this policy with every
// response (README, Deploy; deploy/Caddyfile does). 'wasm-unsafe-eval' lets the import worker
// compile SQLite's WASM.
function policyWithConnectSources(connectSources: string): string {
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src ${connectSources}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The policy of a default build: sync goes to the app's own origin (CouchDB behind the same proxy). */
export const contentSecurityPolicy = policyWithConnectSources("'self'");

// Plain http only where browsers treat it as a secure context anyway; anywhere else the
// sync password would travel in clear.
const hostsAllowedOverHttp = new Set(['localhost', '127.0.0.1']);

/** Why `origin` cannot be the sync server's origin, or undefined if it can. */
function syncOriginProblem(origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'not a URL';
  }
  if (url.origin === 'null') return 'not an origin';
  if (url.origin !== origin) return `not exactly an origin (that would be ${url.origin}: no path, query, default port or capitals)`;
  if (url.protocol === 'https:' || (url.protocol === 'http:' && hostsAllowedOverHttp.has(url.hostname))) return undefined;
  return 'https is required (http only for localhost and 127.0.0.1)';
}

/**
 * The app's policy, letting it also connect to `syncOrigin` (KUBECARDS_SYNC_ORIGIN at build
 * time): a sync server on another origin than the app's. Throws, naming the variable, if
 * that is not exactly one https origin.
 */
export function contentSecurityPolicyFor(syncOrigin?: string): string {
  if (syncOrigin === undefined) return contentSecurityPolicy;
  const origin = syncOrigin.endsWith('/') ? syncOrigin.slice(0, -1) : syncOrigin;
  const problem = syncOriginProblem(origin);
  if (problem) throw new Error(`Bad KUBECARDS_SYNC_ORIGIN ${JSON.stringify(syncOrigin)}: ${problem}. Give one origin, such as https://couch.example.com.`);
  return policyWithConnectSources(`'self' ${origin}`);
}

/** Adds the policy to the production build only: the dev server injects styles inline. */
export function contentSecurityPolicyPlugin(syncOrigin?: string): Plugin {
  // Checked now, so that a bad KUBECARDS_SYNC_ORIGIN stops the build before it starts.
  const policy = contentSecurityPolicyFor(syncOrigin);
  return {
    name: 'kubecards-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }],
  };
}
