/**
 * A CLI training killed at any moment resumes to the same weights: SIGKILL at 20 seeded random
 * moments, and the store's fault hook (RNN_LAB_FAULT_EXIT_AFTER_WRITES=k) for every write k of one
 * checkpoint. Each killed run is resumed once; it must finish with last, best and optimizer files
 * byte-identical to an uninterrupted run, and leave no temporary file or journal behind.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../../src/engine/random';
import { PENDING_DIR } from '../../../src/train/checkpointSet';
import { FAULT_EXIT_AFTER_WRITES } from '../../../src/train/nodeRunStore';

const cli = path.resolve('dist/cli.js');
const EPOCHS = 4;
/** spec.json, vocab.json, warmup.txt and summary.json come before the first checkpoint. */
const WRITES_BEFORE_FIRST_CHECKPOINT = 4;
/** 7 files to the journal, commit.json, 7 renames. */
const WRITES_PER_CHECKPOINT = 15;

interface Exit { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/**
 * Runs the CLI. With `kill`, SIGKILLs it `afterMs` after its `line`-th line of `--json` output: a moment
 * chosen by training progress (events) rather than wall time, which a loaded machine stretches.
 */
function runCli(args: string[], cwd: string, options: { env?: NodeJS.ProcessEnv; kill?: { line: number; afterMs: number } } = {}): Promise<Exit> {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    const { kill } = options;
    if (kill && !timer && stdout.split('\n').length > kill.line) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
  });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
  return new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, stdout, stderr });
  }));
}

/** A tiny LM by default; `large` is one whose batches split over 2 threads (threadPool.ts `shardsFor`). */
function workspace(large = false): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-kill-'));
  let text = '';
  for (let i = 0; text.length < (large ? 4000 : 2000); i++) text += ['in the beginning ', 'and the earth ', 'was without form ', 'and void. '][(i * 7) % 4];
  writeFileSync(path.join(dir, 'text.txt'), text);
  writeFileSync(path.join(dir, 'lm.rnn.json'), JSON.stringify({
    task: 'many-to-many', data: { train: 'text.txt', sequenceLength: large ? 24 : 10 },
    model: { cell: 'gru', hiddenSize: large ? 96 : 8, embeddingSize: large ? 32 : 4, dropout: 0.1 },
    training: { epochs: EPOCHS, batchSize: large ? 16 : 8, seed: 7 },
  }));
  return dir;
}

const CHECKPOINT_FILES = ['last.safetensors', 'best.safetensors', 'optimizer.safetensors'];

function checkpointBytes(runDir: string): Record<string, Buffer> {
  return Object.fromEntries(CHECKPOINT_FILES.map((f) => [f, readFileSync(path.join(runDir, f))]));
}

/** The one run folder under `runsDir`, if the killed process got as far as creating it. */
function runFolder(runsDir: string): string | undefined {
  const ids = existsSync(runsDir) ? readdirSync(runsDir) : [];
  assert.ok(ids.length <= 1, `one run folder, found ${ids.join(', ')}`);
  return ids[0] && path.join(runsDir, ids[0]);
}

/** Resumes whatever the kill left (or starts again when no run folder exists), then checks the result. */
async function resumeAndCompare(dir: string, runsDir: string, reference: Record<string, Buffer>, label: string, startArgs: string[] = []): Promise<Exit> {
  const runDir = runFolder(runsDir);
  const args = runDir ? ['train', 'lm.rnn.json', '--resume', runDir] : ['train', 'lm.rnn.json', '--runs-dir', runsDir, ...startArgs];
  const resumed = await runCli(args, dir);
  assert.equal(resumed.code, 0, `${label}: resume failed: ${resumed.stderr}`);
  const finished = runFolder(runsDir)!;
  const summary = JSON.parse(readFileSync(path.join(finished, 'summary.json'), 'utf8'));
  assert.equal(summary.status, 'completed', label);
  const leftovers = readdirSync(finished).filter((n) => n.includes('.tmp') || n === PENDING_DIR);
  assert.deepEqual(leftovers, [], `${label}: temporary files or the journal were left behind`);
  const bytes = checkpointBytes(finished);
  for (const file of CHECKPOINT_FILES) assert.ok(bytes[file].equals(reference[file]), `${label}: ${file} differs from the uninterrupted run`);
  return resumed;
}

const afterMsText = (kill: { line: number; afterMs: number }) => `${kill.afterMs} ms after event line ${kill.line}`;

/** Runs `jobs` two at a time (the CI machine has two cores). */
async function inPairs<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += 2) results.push(...(await Promise.all(jobs.slice(i, i + 2).map((job) => job()))));
  return results;
}

describe('killed CLI training resumes bit-identically', function () {
  this.timeout(600000);
  let dir: string;
  let reference: Record<string, Buffer>;
  /** Lines of `--json` output of an uninterrupted run. */
  let eventLines: number;

  before(async function () {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    dir = workspace();
    // Two uninterrupted runs side by side: they must agree with each other.
    const straight = await inPairs([0, 1].map((i) => () => runCli(['train', 'lm.rnn.json', '--json', '--runs-dir', path.join(dir, `reference-${i}`)], dir)));
    for (const run of straight) assert.equal(run.code, 0, run.stderr);
    reference = checkpointBytes(runFolder(path.join(dir, 'reference-0'))!);
    const again = checkpointBytes(runFolder(path.join(dir, 'reference-1'))!);
    for (const file of CHECKPOINT_FILES) assert.ok(again[file].equals(reference[file]), `two uninterrupted runs agree on ${file}`);
    eventLines = straight[0].stdout.trim().split('\n').length;
  });

  it('SIGKILL at 20 seeded random moments of training, each resumed once', async () => {
    const rng = new Rng(2024);
    const moments = Array.from({ length: 20 }, () => ({ line: 1 + rng.int(eventLines - 1), afterMs: rng.int(20) }));
    const killedAfter = await inPairs(moments.map((kill, i) => async () => {
      const runsDir = path.join(dir, `kill-${i}`);
      const killed = await runCli(['train', 'lm.rnn.json', '--json', '--runs-dir', runsDir], dir, { kill });
      const state = path.join(runFolder(runsDir) ?? runsDir, 'state.json');
      const epochs = killed.signal === 'SIGKILL' && existsSync(state) ? JSON.parse(readFileSync(state, 'utf8')).cursor.epoch as number : undefined;
      await resumeAndCompare(dir, runsDir, reference, `kill ${i} ${afterMsText(kill)}`);
      return epochs;
    }));
    // The kills reach the checkpoints, not only the start-up: most land after one and before the end.
    const midRun = killedAfter.filter((epochs) => epochs !== undefined && epochs >= 1 && epochs < EPOCHS).length;
    assert.ok(midRun >= 8, `kills after a checkpoint and before the end: ${midRun} of 20 (epochs done: ${killedAfter.join(', ')})`);
  });

  it(`the fault hook exits after each write k of the first checkpoint (${FAULT_EXIT_AFTER_WRITES})`, async () => {
    const ks = Array.from({ length: WRITES_PER_CHECKPOINT + 1 }, (_, i) => WRITES_BEFORE_FIRST_CHECKPOINT + i);
    const said = await inPairs(ks.map((k) => async () => {
      const runsDir = path.join(dir, `fault-${k}`);
      const killed = await runCli(['train', 'lm.rnn.json', '--runs-dir', runsDir], dir, { env: { [FAULT_EXIT_AFTER_WRITES]: String(k) } });
      assert.equal(killed.signal, 'SIGKILL', `k=${k}: the hook killed the process (${killed.stderr})`);
      const resumed = await resumeAndCompare(dir, runsDir, reference, `k=${k}`);
      return resumed.stdout + resumed.stderr;
    }));
    // Write k+1 is where the process dies: the 7 journal files and commit.json (uncommitted: the set is
    // discarded, and before the first checkpoint the run starts again), then the 7 renames (committed:
    // resume completes the set), then the first journal file of the second checkpoint.
    const journalWrites = 8;
    said.forEach((text, i) => {
      const label = `k=${ks[i]}: ${text}`;
      if (i < journalWrites) assert.match(text, /no checkpoint was written yet; starting from epoch 1/, label);
      else if (i < WRITES_PER_CHECKPOINT) assert.match(text, /completed the checkpoint that was being written when the run stopped/, label);
      else assert.match(text, /incomplete and is discarded; resuming from the previous one \(epoch 2\)/, label);
      if (i < journalWrites || i === WRITES_PER_CHECKPOINT) assert.match(text, /removed 1 temporary file/, label);
    });
  });
});

describe('killed CLI training on 2 threads resumes bit-identically on 2 threads', function () {
  this.timeout(600000);

  it('SIGKILL at 6 seeded moments of a run whose batches split, each resumed once (without --threads)', async () => {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    const dir = workspace(true);
    const threads = ['--threads', '2'];
    const straight = await runCli(['train', 'lm.rnn.json', '--json', '--runs-dir', path.join(dir, 'reference'), ...threads], dir);
    assert.equal(straight.code, 0, straight.stderr);
    const referenceDir = runFolder(path.join(dir, 'reference'))!;
    assert.equal(JSON.parse(readFileSync(path.join(referenceDir, 'summary.json'), 'utf8')).threads, 2);
    const reference = checkpointBytes(referenceDir);
    const lines = straight.stdout.trim().split('\n').length;
    const rng = new Rng(13);
    const moments = Array.from({ length: 6 }, () => ({ line: 1 + rng.int(lines - 1), afterMs: rng.int(20) }));
    await inPairs(moments.map((kill, i) => async () => {
      const runsDir = path.join(dir, `kill-${i}`);
      await runCli(['train', 'lm.rnn.json', '--json', '--runs-dir', runsDir, ...threads], dir, { kill });
      await resumeAndCompare(dir, runsDir, reference, `2 threads, kill ${i} ${afterMsText(kill)}`, threads);
      assert.equal(JSON.parse(readFileSync(path.join(runFolder(runsDir)!, 'summary.json'), 'utf8')).threads, 2);
    }));
  });
});
