/**
 * Every file in src/ and webview/ stays at most 400 lines (issue 17): a file that grows past it is
 * split by what it holds. Generated files (build outputs in a `generated/` folder) are exempt.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const MAX_LINES = 400;
const ROOTS = ['src', 'webview'];
/** Build outputs live in folders of this name (e.g. src/engine/wasm/generated/kernelBytes.js). */
const GENERATED_FOLDER = 'generated';

/**
 * TEMPORARY, for the lead to remove: files another helper is splitting in the same session (issue 17).
 * Delete each entry once its split has merged; the last test below fails while an entry is stale.
 */
const TEMPORARY_EXEMPTIONS: string[] = [
  'src/engine/model.ts', // helper "attention": generation and bridging move out
  'src/export/modelPy.ts', // helper "export": the Python program becomes a real model.py file
];

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const at = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === GENERATED_FOLDER ? [] : filesBelow(at);
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
    const over = files.filter((f) => !TEMPORARY_EXEMPTIONS.includes(f)).map((f) => ({ file: f, lines: lineCount(f) }))
      .filter((f) => f.lines > MAX_LINES).map((f) => `${f.file}: ${f.lines} lines`);
    assert.deepEqual(over, []);
  });

  it('reads the files it judges (the walk finds the sources, and counts lines as wc -l does)', () => {
    assert.ok(files.includes('src/train/trainer.ts') && files.includes('webview/main.ts'), 'the walk found the sources');
    assert.ok(!files.some((f) => f.split('/').includes(GENERATED_FOLDER)), 'generated folders are skipped');
    assert.equal(lineCount('package.json'), readFileSync('package.json', 'utf8').match(/\n/g)!.length);
  });

  it('lists no stale temporary exemption (a file that is gone or back within the limit)', () => {
    const stale = TEMPORARY_EXEMPTIONS.filter((f) => !files.includes(f) || lineCount(f) <= MAX_LINES);
    assert.deepEqual(stale, [], 'remove these from TEMPORARY_EXEMPTIONS');
  });
});
