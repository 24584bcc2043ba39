import type { Plugin } from 'vite';

// Everything comes from the app's own origin; nothing else may load or run. In a meta tag
// (static hosting has no headers to set), so frame-ancestors cannot be used here. A meta tag
// does not cover Web Workers: a host that can set headers should send this policy with every
// response (README, Deploy). 'wasm-unsafe-eval' lets the import worker compile SQLite's WASM.
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Adds the policy to the production build only: the dev server injects styles inline. */
export function contentSecurityPolicyPlugin(): Plugin {
  return {
    name: 'kubecards-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy }, injectTo: 'head-prepend' },
    ],
  };
}
