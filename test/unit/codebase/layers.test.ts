/** The layers (README): the CLI and the extension are peers on top; the CLI never imports the extension's code. */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '../../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? tsFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('layers', () => {
  it('nothing in src/cli imports from src/extension', () => {
    const offenders = tsFiles(path.join(root, 'src/cli')).filter((file) =>
      /from '(\.\.\/)+extension\//.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders.map((file) => path.relative(root, file)), []);
  });
});
