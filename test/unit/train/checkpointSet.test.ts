import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { NodeRunStore } from '../../../src/train/nodeRunStore';
import { PostingRunStore } from '../../../src/train/postingRunStore';
import { train, type Summary } from '../../../src/train/trainer';
import { writeSetJournaled, recoverSet, readCheckpointSet, PENDING_DIR } from '../../../src/train/checkpointSet';
import { decodeText, encodeText } from '../../../src/train/runStore';
import { markRunFailed } from '../../../src/train/runStatus';
import { isWorkerToHost, type StoreChangeMessage } from '../../../src/protocol/hostWorker';
import { options, setup, weights } from './trainHarness';
import { lmSpec, pseudoText, records } from './trainerSetup';

/** A worker store whose checkpoint writes fail while `failing` is set (a full disk, a lost network drive). */
class FailingStore extends PostingRunStore {
  failing = true;
  override async writeFileAtomic(relPath: string, bytes: Uint8Array): Promise<void> {
    if (this.failing && /(best|last|optimizer)\.safetensors$|state\.json$/.test(relPath)) throw new Error('no space left on device');
    return super.writeFileAtomic(relPath, bytes);
  }
  override async writeSet(relDir: string, files: Record<string, Uint8Array>): Promise<void> {
    if (this.failing) throw new Error('no space left on device');
    return super.writeSet(relDir, files);
  }
}

const readSummary = async (store: PostingRunStore): Promise<Summary> => JSON.parse(decodeText(await store.readFile('run/summary.json')));

describe('checkpoint sets and resume', function () {
  this.timeout(60000);
  const spec = JSON.stringify({
    task: 'many-to-one', data: { train: 'train.jsonl' }, model: { cell: 'gru', hiddenSize: 8, embeddingSize: 4, dropout: 0.2 },
    training: { epochs: 2, batchSize: 16 },
  });
  const files = { 'train.jsonl': records(120, 5) };

  it('a run that failed before its first checkpoint is marked failed and resumes from the beginning', async () => {
    const straight = setup(files);
    await train(options(straight, spec));
    const broken = setup(files);
    const store = new FailingStore(() => undefined);
    broken.store = store;
    await assert.rejects(train(options(broken, spec)), /no space left on device/);
    const failed = await readSummary(store);
    assert.equal(failed.status, 'failed');
    assert.match(failed.message ?? '', /no space left on device/);
    store.failing = false;
    const summary = await train(options(broken, spec, { resume: 'run', runId: undefined }));
    assert.equal(summary.status, 'completed');
    assert.ok(broken.events.some((e) => e.event === 'info' && /no checkpoint was written yet; starting from epoch 1/.test(e.message)));
    assert.deepEqual(await weights(broken, 'run'), await weights(straight, 'run'));
  });

  it('a run whose worker died is marked failed by the host; a finished one is left alone', async () => {
    const s = setup(files);
    await train(options(s, spec, { overrides: { epochs: 1 } }));
    assert.equal(await markRunFailed(s.store, 'run', 'the training worker ran out of memory'), false);
    assert.equal((await readSummary(s.store)).status, 'completed');
    await s.store.writeFileAtomic('run/summary.json', encodeText(JSON.stringify({ ...(await readSummary(s.store)), status: 'running' })));
    assert.equal(await markRunFailed(s.store, 'run', 'the training worker ran out of memory'), true);
    const summary = await readSummary(s.store);
    assert.deepEqual([summary.status, summary.message], ['failed', 'the training worker ran out of memory']);
  });

  it('a run folder left before spec.json was written starts again with the given spec; a foreign folder is refused', async () => {
    const straight = setup(files);
    await train(options(straight, spec));
    const root = mkdtempSync(path.join(tmpdir(), 'runs-'));
    const store = new NodeRunStore(root);
    const early = { ...setup(files), store: store as unknown as PostingRunStore };
    await store.mkdir('run');
    writeFileSync(path.join(root, 'run', 'spec.json.tmp-123-0'), '{"trunc');
    const summary = await train(options(early, spec, { resume: 'run', runId: undefined }));
    assert.equal(summary.status, 'completed');
    assert.ok(early.events.some((e) => e.event === 'info' && /stopped before it wrote its spec; starting it from epoch 1/.test(e.message)));
    assert.deepEqual(await weights(early, 'run'), await weights(straight, 'run'));
    await store.mkdir('other');
    writeFileSync(path.join(root, 'other', 'thesis.tex'), 'mine');
    await assert.rejects(train(options(early, spec, { resume: 'other', runId: undefined })), /spec\.json is missing/);
    assert.deepEqual(readdirSync(path.join(root, 'other')), ['thesis.tex'], 'nothing written into a folder that is not a run');
  });

  it('resume verifies that the files belong together, and starts again when they do not, saying so', async () => {
    const straight = setup(files);
    await train(options(straight, spec));
    const mixed = setup(files);
    await train(options(mixed, spec, { overrides: { epochs: 1 } }));
    // The optimizer state of epoch 2 beside the weights and cursor of epoch 1.
    await mixed.store.writeFileAtomic('run/optimizer.safetensors', await straight.store.readFile('run/optimizer.safetensors'));
    await train(options(mixed, spec, { resume: 'run', runId: undefined, overrides: { epochs: 2 } }));
    const warning = mixed.events.find((e) => e.event === 'warning');
    assert.ok(warning && warning.event === 'warning', 'a warning event');
    assert.match(warning.message, /optimizer\.safetensors is generation 2, expected 1.*starting again from epoch 1/);
    assert.deepEqual(await weights(mixed, 'run'), await weights(straight, 'run'));
  });

  it('best.safetensors belongs to the set: a best of another generation is refused', async () => {
    const s = setup({ 'text.txt': pseudoText(2000, 3) });
    await train(options(s, lmSpec({ epochs: 1 })));
    const state = JSON.parse(decodeText(await s.store.readFile('run/state.json')));
    assert.equal(state.bestGeneration, 1);
    assert.equal(state.generation, 1);
    const other = setup({ 'text.txt': pseudoText(2000, 3) });
    await train(options(other, lmSpec({ epochs: 2 })));
    await s.store.writeFileAtomic('run/best.safetensors', await other.store.readFile('run/best.safetensors'));
    await assert.rejects(readCheckpointSet(s.store, 'run'), /best\.safetensors is generation 2, expected 1/);
  });

  it('the journal: an uncommitted set is discarded, a committed one completed', async () => {
    const store = new NodeRunStore(mkdtempSync(path.join(tmpdir(), 'runs-')));
    await store.writeFileAtomic('run/a.json', encodeText('old a'));
    await store.writeFileAtomic('run/b.json', encodeText('old b'));
    // Killed after the first file of the journal: nothing changes.
    await store.writeFileAtomic(`run/${PENDING_DIR}/a.json`, encodeText('new a'));
    assert.equal(await recoverSet(store, 'run'), 'discarded');
    assert.equal(decodeText(await store.readFile('run/a.json')), 'old a');
    assert.equal(await store.exists(`run/${PENDING_DIR}`), false);
    // Killed after commit.json and one rename: the rest is completed.
    const renames: string[] = [];
    const stopAfterOneRename = {
      writeFileAtomic: store.writeFileAtomic.bind(store), remove: store.remove.bind(store),
      rename: async (from: string, to: string) => {
        if (renames.push(to) > 1) throw new Error('killed');
        await store.rename(from, to);
      },
    };
    await assert.rejects(writeSetJournaled(stopAfterOneRename, 'run', { 'a.json': encodeText('new a'), 'b.json': encodeText('new b') }), /killed/);
    assert.equal(decodeText(await store.readFile('run/b.json')), 'old b');
    assert.equal(await recoverSet(store, 'run'), 'completed');
    assert.deepEqual([decodeText(await store.readFile('run/a.json')), decodeText(await store.readFile('run/b.json'))], ['new a', 'new b']);
    assert.deepEqual(await store.list('run'), ['a.json', 'b.json']);
  });

  it('the worker store sends a checkpoint as one set message, and recovery as renames and removals', async () => {
    const posted: StoreChangeMessage[] = [];
    const store = new PostingRunStore((change) => posted.push(change), {
      'run/a.json': encodeText('old'),
      [`run/${PENDING_DIR}/a.json`]: encodeText('new'),
      [`run/${PENDING_DIR}/commit.json`]: encodeText('{"files":["a.json"]}'),
    });
    assert.equal(await recoverSet(store, 'run'), 'completed');
    assert.deepEqual(posted.map((c) => c.type), ['renameFile', 'removeFile']);
    assert.equal(decodeText(await store.readFile('run/a.json')), 'new');
    await store.writeSet('run', { 'a.json': encodeText('newer'), 'b.json': encodeText('b') });
    assert.deepEqual(posted.slice(2).map((c) => c.type), ['writeSet']);
    assert.deepEqual(await store.list('run'), ['a.json', 'b.json']);
  });

  it('the worker protocol accepts the file-change messages and rejects malformed ones', () => {
    const bytes = new Uint8Array(1);
    for (const message of [
      { type: 'writeFile', relPath: 'run/a', bytes }, { type: 'writeSet', relDir: 'run', files: { a: bytes } },
      { type: 'renameFile', from: 'run/.checkpoint/a', to: 'run/a' }, { type: 'removeFile', relPath: 'run/.checkpoint' },
    ]) assert.ok(isWorkerToHost(message), message.type);
    for (const message of [
      { type: 'writeSet', relDir: 'run', files: { a: 'text' } }, { type: 'renameFile', from: 'run/a' }, { type: 'removeFile' },
    ]) assert.ok(!isWorkerToHost(message), JSON.stringify(message));
  });
});
