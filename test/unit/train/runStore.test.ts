import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NodeRunStore } from '../../../src/train/nodeRunStore';
import { newRunId, runTimestamp, safeRunName } from '../../../src/train/runStore';

describe('run store', () => {
  it('run names are valid folder names on Windows and macOS', () => {
    assert.equal(safeRunName('digits: bi/RNN?*'), 'digits-bi-RNN');
    assert.equal(safeRunName('CON'), 'CON-run');
    assert.equal(safeRunName('...'), 'run');
    assert.ok(safeRunName('x'.repeat(300)).length <= 60);
    assert.equal(runTimestamp(new Date(2024, 0, 2, 3, 4, 5)), '20240102-030405');
  });

  it('a second run in the same second gets a suffix', async () => {
    const store = new NodeRunStore(mkdtempSync(path.join(tmpdir(), 'runs-')));
    const now = new Date(2024, 0, 2, 3, 4, 5);
    const first = await newRunId(store, 'lm', now);
    await store.mkdir(first);
    assert.equal(first, '20240102-030405-lm');
    assert.equal(await newRunId(store, 'lm', now), '20240102-030405-lm-2');
  });

  it('reads back what it wrote, lists, removes, and refuses paths outside the root', async () => {
    const store = new NodeRunStore(mkdtempSync(path.join(tmpdir(), 'runs-')));
    await store.writeFileAtomic('r/a.json', new TextEncoder().encode('{"a":1}'));
    assert.equal(new TextDecoder().decode(await store.readFile('r/a.json')), '{"a":1}');
    assert.deepEqual(await store.list('r'), ['a.json']);
    await store.remove('r');
    assert.equal(await store.exists('r/a.json'), false);
    await assert.rejects(store.writeFileAtomic('../escape', new Uint8Array(1)), /leaves the runs folder/);
  });

  it('a write killed midway leaves the old file intact', async function () {
    this.timeout(30000);
    const root = mkdtempSync(path.join(tmpdir(), 'runs-'));
    writeFileSync(path.join(root, 'last.bin'), 'old content');
    const script = path.join(root, 'writer.ts');
    writeFileSync(script, `import { NodeRunStore } from ${JSON.stringify(path.resolve('src/train/nodeRunStore'))};
      process.stdout.write('go\\n');
      void new NodeRunStore(${JSON.stringify(root)}).writeFileAtomic('last.bin', new Uint8Array(400 * 1024 * 1024).fill(7));`);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    // Kill once the temporary file exists: the 400 MB write is then under way, not yet renamed.
    const tempOnDisk = () => readdirSync(root).some((n) => n.startsWith('last.bin.tmp-'));
    while (!tempOnDisk()) {
      assert.equal(child.exitCode, null, 'the writer exited and no temporary file ever appeared');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(readFileSync(path.join(root, 'last.bin'), 'utf8'), 'old content');
    assert.ok(tempOnDisk(), 'the killed write left its temporary file');
    const store = new NodeRunStore(root);
    assert.deepEqual(await store.list(''), ['last.bin', 'writer.ts'], 'the temporary file is not listed as a run file');
  });
});
