// No code of the app calls the browser's prompt(), confirm() or alert(): questions are asked
// in the app's own sheets (src/ui/common/ask.tsx).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(folder, entry.name)] : [],
  );
}

it('never calls prompt, confirm or alert', () => {
  const calls = sourceFiles('src').flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => (/^\s*(\/\/|\*)/.test(line) || !/(?<![\w.])(window\.)?(prompt|confirm|alert)\s*\(/.test(line) ? [] : [`${file}:${index + 1}`])),
  );
  expect(calls).toEqual([]);
});
