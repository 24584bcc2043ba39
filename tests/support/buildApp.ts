// Builds the production app into a temporary folder with other build settings, for tests
// that need a second version (update flow) or a sub-path deployment.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

export async function buildApp(settings: { base?: string; label?: string; outDir?: string }): Promise<string> {
  const outDir = settings.outDir ?? mkdtempSync(join(tmpdir(), 'kubecards-build-'));
  const saved = { base: process.env.KUBECARDS_BASE, label: process.env.KUBECARDS_BUILD };
  process.env.KUBECARDS_BASE = settings.base ?? '/';
  process.env.KUBECARDS_BUILD = settings.label ?? 'test';
  try {
    await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
  } finally {
    for (const [key, value] of [['KUBECARDS_BASE', saved.base], ['KUBECARDS_BUILD', saved.label]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return outDir;
}
