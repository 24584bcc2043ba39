// Serves the production build (dist/, built by `npm test` first) on a free localhost port.
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { serveStatic } from '../support/staticServer.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function serveBuild(project: TestProject) {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests');
  const server = await serveStatic('dist');
  project.provide('baseUrl', server.url);
  return () => server.close();
}
