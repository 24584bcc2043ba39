// Runs bench/bench.ts through Vite's module runner (TypeScript on Node 20, no extra tool).
// The module runner would otherwise leave NODE_ENV unset, and Workbox would build a
// development service worker (unminified, different precache format) for the measurements.
process.env.NODE_ENV = 'production';
const { runnerImport } = await import('vite');

await runnerImport(new URL('./bench.ts', import.meta.url).pathname);
