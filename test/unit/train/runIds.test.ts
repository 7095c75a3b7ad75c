import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NodeRunStore } from '../../../src/train/nodeRunStore';
import { PostingRunStore } from '../../../src/train/postingRunStore';
import { newRunId } from '../../../src/train/runStore';

describe('run ids', () => {
  const now = new Date(2024, 0, 2, 3, 4, 5);

  it('runs started at once in the same second get distinct ids and folders', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'runs-'));
    const store = new NodeRunStore(root);
    const ids = await Promise.all(Array.from({ length: 8 }, () => newRunId(store, 'lm', now)));
    assert.equal(new Set(ids).size, 8, `ids: ${ids.join(', ')}`);
    assert.deepEqual(readdirSync(root).sort(), [...ids].sort(), 'each id has its own folder, claimed when it was given');
    assert.ok(ids.includes('20240102-030405-lm') && ids.includes('20240102-030405-lm-8'));
  });

  it('two stores on one runs folder (two processes) never hand out the same id', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'runs-'));
    const [a, b] = [new NodeRunStore(root), new NodeRunStore(root)];
    const ids = await Promise.all([a, b, a, b].map((store) => newRunId(store, 'tagger', now)));
    assert.equal(new Set(ids).size, 4, `ids: ${ids.join(', ')}`);
  });

  it('the worker\'s in-memory store claims folders too', async () => {
    const store = new PostingRunStore(() => undefined);
    const ids = await Promise.all([1, 2, 3].map(() => newRunId(store, 'x', now)));
    assert.equal(new Set(ids).size, 3);
  });
});
