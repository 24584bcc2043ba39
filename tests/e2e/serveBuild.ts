// Serves the production build (dist/, built by `npm test` first) on a free localhost port.
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { serveStatic } from '../support/staticServer.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

// Another folder can be named, so that two builds can be tested side by side while developing.
const folder = process.env.KUBECARDS_E2E_DIST ?? 'dist';

export default async function serveBuild(project: TestProject) {
  if (!existsSync(`${folder}/index.html`)) throw new Error(`${folder}/ is missing: run \`npm run build\` before the end-to-end tests`);
  const server = await serveStatic(folder);
  project.provide('baseUrl', server.url);
  return () => server.close();
}
