/**
 * Every file in src/ and webview/ stays at most 400 lines (issue 17): a file that grows past it is
 * split by what it holds. Generated files (build outputs in a `generated/` folder, `__pycache__`) are exempt.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const MAX_LINES = 400;
const ROOTS = ['src', 'webview'];
/** Generated files: build outputs (e.g. src/export/python/generated/pythonSources.js) and Python's bytecode cache. */
const GENERATED_FOLDERS = new Set(['generated', '__pycache__']);

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return GENERATED_FOLDERS.has(entry.name) ? [] : filesBelow(at);
    return entry.isFile() ? [at] : [];
  });
}

function lineCount(file: string): number {
  const text = readFileSync(file, 'utf8');
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('codebase: file length', () => {
  const files = ROOTS.flatMap((root) => filesBelow(root));

  it(`no file in ${ROOTS.join('/ or ')}/ is over ${MAX_LINES} lines (split it by what it holds)`, () => {
    const over = files.map((f) => ({ file: f, lines: lineCount(f) }))
      .filter((f) => f.lines > MAX_LINES).map((f) => `${f.file}: ${f.lines} lines`);
    assert.deepEqual(over, []);
  });

  it('reads the files it judges (the walk finds the sources, and counts lines as wc -l does)', () => {
    assert.ok(files.includes('src/train/trainer.ts') && files.includes('webview/main.ts'), 'the walk found the sources');
    assert.ok(!files.some((f) => f.includes('/generated/')), 'generated folders are skipped');
    assert.equal(lineCount('package.json'), readFileSync('package.json', 'utf8').match(/\n/g)!.length);
  });
});
