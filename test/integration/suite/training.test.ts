import * as assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { TrainingOutcome } from '../../../src/extension/training/trainingService';
import { activateExtension, exists, readText, waitFor, workspaceUri, writeText } from './helpers';

/** A copy of the fixture spec with more epochs, long enough to cancel and to measure the event loop. */
async function longSpec(name: string, epochs: number): Promise<vscode.Uri> {
  const spec = JSON.parse(await readText(workspaceUri('models', 'tiny.rnn.json')));
  spec.name = name;
  spec.training.epochs = epochs;
  const uri = workspaceUri('models', `${name}.rnn.json`);
  await writeText(uri, JSON.stringify(spec, null, 2));
  return uri;
}

/** Stop Training → the run's outcome, in ms. */
const CANCEL_BOUND_MS = 6000;
/** Event-loop delay p99 of the extension host while a training runs in its worker on every core (goal: 50 ms). */
const P99_BOUND_MS = 100;
/** The least bound on the longest stall (the p99 bound before parallel training; the max bound's floor). */
const MAX_FLOOR_MS = 250;

function delayStats(histogram: ReturnType<typeof monitorEventLoopDelay>) {
  return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 };
}

describe('training in a worker thread', () => {
  it('trains the fixture spec to completion and writes the run through workspace.fs', async () => {
    const api = await activateExtension();
    const events: string[] = [];
    const listener = api.training.onDidChange((change) => change && events.push(change.event.event));
    const outcome = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', workspaceUri('models', 'tiny.rnn.json'));
    listener.dispose();
    assert.equal(outcome.status, 'done', outcome.message);
    assert.ok(outcome.runUri && outcome.estimatedBytes && outcome.estimatedBytes > 0);
    for (const file of ['spec.json', 'summary.json', 'last.safetensors', 'state.json']) {
      assert.ok(await exists(vscode.Uri.joinPath(outcome.runUri, file)), `run has ${file}`);
    }
    assert.equal(events[0], 'start');
    assert.equal(events.at(-1), 'done');
    assert.ok(events.includes('progress') && events.includes('metrics'));
    assert.equal(typeof outcome.metrics?.loss, 'number');

    const specs = await api.runs.getChildren();
    const tiny = specs.find((node) => node.kind === 'spec' && node.summary.name === 'tiny');
    assert.ok(tiny, 'Runs shows the spec');
    const runs = await api.runs.getChildren(tiny);
    const item = api.runs.getTreeItem(runs[0]);
    assert.equal(item.label, outcome.runUri.path.split('/').at(-1));
    assert.match(String(item.description), /^(done|completed) · accuracy \d\.\d{4} · /);
  });

  // Stop → outcome measured 270–1,168 ms in 5 runs on a 2-core machine at load average 11–17 (it
  // failed the earlier 1,000 ms bound there); the bound leaves 5× headroom over the worst.
  it(`cancels promptly (under ${CANCEL_BOUND_MS} ms even on a loaded machine), leaves a valid checkpoint, and resumes it to the end`, async function () {
    this.timeout(300_000);
    const api = await activateExtension();
    const specUri = await longSpec('long', 400);
    const firstCheckpoint = new Promise<void>((resolve) => {
      const listener = api.training.onDidChange((change) => { if (change?.event.event === 'checkpoint') { listener.dispose(); resolve(); } });
    });
    const running = vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', specUri);
    await firstCheckpoint;
    assert.match(api.statusBar.text, /RNN Lab: epoch \d+\/400 · loss \d+\.\d\d/);
    const stopAsked = Date.now();
    assert.equal(await vscode.commands.executeCommand('rnnLab.stopTraining'), 1);
    const outcome = await running;
    const stopMs = Date.now() - stopAsked;
    console.log(`      cancel → run ended in ${stopMs} ms`);
    assert.equal(outcome.status, 'cancelled', outcome.message);
    assert.ok(stopMs < CANCEL_BOUND_MS, `stopped in ${stopMs} ms`);
    const state = JSON.parse(await readText(vscode.Uri.joinPath(outcome.runUri!, 'state.json')));
    assert.equal(state.runId, outcome.runUri!.path.split('/').at(-1), 'state.json is this run\'s');
    assert.equal(state.epochs, 400);
    assert.ok(Number.isInteger(state.cursor?.epoch) && state.cursor.epoch >= 1 && state.cursor.epoch < 400,
      `the checkpoint's cursor is past the first checkpoint and short of the end: ${JSON.stringify(state.cursor)}`);
    assert.ok(await exists(vscode.Uri.joinPath(outcome.runUri!, 'last.safetensors')), 'the weights of the checkpoint');

    const runs = await api.runs.getChildren((await api.runs.getChildren()).find((n) => n.kind === 'spec' && n.summary.name === 'long'));
    assert.equal(api.runs.getTreeItem(runs[0]).contextValue, 'rnnLab.run.resumable');

    const resumed = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.resumeRun', outcome.runUri);
    assert.equal(resumed.status, 'done', resumed.message);
    assert.equal(resumed.runUri?.toString(), outcome.runUri?.toString(), 'resume continues the same run folder');
    const summary = JSON.parse(await readText(vscode.Uri.joinPath(outcome.runUri!, 'summary.json')));
    assert.equal(summary.completedEpochs, 400);
  });

  // Stop in the middle of a batch that outlasts the old 800 ms grace: the worker must be let finish
  // the batch and write its checkpoint, not be terminated with the epoch's work lost. Batches of
  // 512 sequences × 60 steps through an LSTM of 384 units: about 1.5–4 s each here.
  it('Stop during a long batch waits for the batch and its checkpoint (nothing trained is lost)', async function () {
    this.timeout(300_000);
    const api = await activateExtension();
    const dataUri = workspaceUri('data', 'longbatch.jsonl');
    const records = Array.from({ length: 1536 }, (_, i) => {
      const input = Array.from({ length: 60 }, (_, t) => 'ab'[(i * 5 + t * t) % 3 === 0 ? 0 : 1]).join('');
      return JSON.stringify({ input, label: i % 2 ? 'A' : 'B' });
    });
    await writeText(dataUri, records.join('\n') + '\n');
    const specUri = workspaceUri('models', 'longbatch.rnn.json');
    await writeText(specUri, JSON.stringify({
      name: 'longbatch', task: 'many-to-one', data: { train: '../data/longbatch.jsonl', validation: { fraction: 0.01 } },
      model: { cell: 'lstm', hiddenSize: 384, embeddingSize: 4 }, training: { epochs: 1, batchSize: 512, seed: 1 },
    }, null, 2));
    let batchesDone = 0;
    const listener = api.training.onDidChange((change) => { if (change?.event.event === 'progress') batchesDone = change.event.batch; });
    try {
      const running = vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', specUri);
      await waitFor(() => batchesDone >= 1, 120_000, 'the first batch');
      assert.equal(await vscode.commands.executeCommand('rnnLab.stopTraining'), 1);
      const outcome = await running;
      assert.equal(outcome.status, 'cancelled', outcome.message);
      const stateUri = vscode.Uri.joinPath(outcome.runUri!, 'state.json');
      assert.ok(await exists(stateUri), 'the stop wrote a checkpoint (the worker was not terminated mid-batch)');
      const state = JSON.parse(await readText(stateUri));
      assert.equal(state.cursor.epoch, 0);
      assert.ok(state.cursor.batch >= 2, `the checkpoint keeps the batches trained, including the one Stop interrupted: ${JSON.stringify(state.cursor)}`);
    } finally {
      listener.dispose();
      await vscode.workspace.fs.delete(dataUri); // the views suite counts the fixture's datasets
    }
  });

  // The busy spec's batches each take longer than the p99 bound (about 1 s a batch here), so the check
  // fails if training ever ran on the host thread; the test asserts that premise from the progress
  // events' spacing.
  // Measured with this spec: training p99 18–24 ms, max 30–40 ms, batches 0.55–1.06 s apart (idle p99
  // 12–14 ms). With an earlier busy spec (LSTM 1,024, 17 MB checkpoints written by the host) the max
  // reached 328 ms. Blocking the host for 800 ms at each progress event (a simulated host-thread
  // training) gave max 1,010 ms, and 500 ms gave 674 ms against a bound of 540: the max bound catches
  // it, the p99 one alone would not.
  // With parallel training the run uses every core (rnnLab.trainingThreads 0: the cores divided among
  // maxConcurrentTrainings = 1), so the host thread competes with the training threads for CPU.
  it('keeps the extension host responsive while training on every core (event-loop delay)', async function () {
    this.timeout(300_000);
    const api = await activateExtension();
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    idle.disable();
    // 512 records of 40 steps in one batch through an LSTM of 256 units: long batches, small checkpoints
    // (the host writes each checkpoint, and a big one would stall it for reasons other than training).
    const dataUri = workspaceUri('data', 'busy.jsonl');
    const records = Array.from({ length: 512 }, (_, i) => {
      const input = Array.from({ length: 40 }, (_, t) => 'ab'[(i * 7 + t * t) % 3 === 0 ? 0 : 1]).join('');
      return JSON.stringify({ input, label: i % 2 ? 'A' : 'B' });
    });
    await writeText(dataUri, records.join('\n') + '\n');
    const spec = {
      name: 'busy', task: 'many-to-one', data: { train: '../data/busy.jsonl' },
      model: { cell: 'lstm', hiddenSize: 256, embeddingSize: 4 }, training: { epochs: 4, batchSize: 512, seed: 1 },
    };
    const specUri = workspaceUri('models', 'busy.rnn.json');
    await writeText(specUri, JSON.stringify(spec, null, 2));
    const progressAt: number[] = [];
    let threads: number | undefined;
    const listener = api.training.onDidChange((change) => {
      if (change?.event.event === 'progress') progressAt.push(Date.now());
      if (change?.event.event === 'start') threads = change.event.threads;
    });
    const busy = monitorEventLoopDelay({ resolution: 10 });
    busy.enable();
    const outcome = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', specUri);
    busy.disable();
    listener.dispose();
    await vscode.workspace.fs.delete(dataUri); // the views suite counts the fixture's datasets
    assert.equal(outcome.status, 'done', outcome.message);
    const baseline = delayStats(idle);
    const training = delayStats(busy);
    const batchMs = progressAt.slice(1).map((t, i) => t - progressAt[i]).sort((a, b) => a - b);
    const medianBatchMs = batchMs[Math.floor(batchMs.length / 2)];
    console.log(`      event-loop delay: idle p99 ${baseline.p99Ms.toFixed(1)} ms (max ${baseline.maxMs.toFixed(1)}); training on ${threads} threads p99 ${training.p99Ms.toFixed(1)} ms (max ${training.maxMs.toFixed(1)}); batches ${medianBatchMs} ms apart`);
    assert.equal(threads, availableParallelism(), 'the run trains on every core');
    assert.ok(medianBatchMs > MAX_FLOOR_MS, `the premise: a batch (${medianBatchMs} ms) outlasts the bounds, so host-thread training would fail this test`);
    assert.ok(training.p99Ms < P99_BOUND_MS, `p99 ${training.p99Ms} ms`);
    // A stall of three quarters of a batch means the host did a batch's work (or waited on it); the floor
    // keeps a fast machine's short batches from making the bound tighter than the p99 one. (Half a batch
    // was seen failing once on a loaded machine, 365 ms against 362, with training in the worker.)
    const maxBoundMs = Math.max(MAX_FLOOR_MS, medianBatchMs * 0.75);
    assert.ok(training.maxMs < maxBoundMs, `max ${training.maxMs} ms (bound ${maxBoundMs} ms)`);
  });
  it('queues a second training behind the first (rnnLab.maxConcurrentTrainings = 1) and runs both', async function () {
    this.timeout(300_000);
    const api = await activateExtension();
    const config = vscode.workspace.getConfiguration('rnnLab');
    await config.update('maxConcurrentTrainings', 1, vscode.ConfigurationTarget.Workspace);
    try {
      const [first, second] = [await longSpec('queued-a', 6), await longSpec('queued-b', 6)];
      const order: string[] = [];
      const listener = api.training.onDidChange((change) => {
        if (change && (change.event.event === 'start' || change.event.event === 'done')) order.push(`${change.event.event} ${change.runId.split('-').at(-1)}`);
      });
      const outcomes = await Promise.all([first, second].map((uri) => vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', uri)));
      listener.dispose();
      assert.deepEqual(outcomes.map((o) => o.status), ['done', 'done']);
      // Both were asked for at once; whichever got in first, the other starts only after it finished.
      const [earlier, later] = order[0] === 'start a' ? ['a', 'b'] : ['b', 'a'];
      assert.deepEqual(order, [`start ${earlier}`, `done ${earlier}`, `start ${later}`, `done ${later}`], 'the second started only after the first finished');
    } finally {
      await config.update('maxConcurrentTrainings', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('refuses a model too large for the worker with a clear error, and writes no run', async () => {
    const api = await activateExtension();
    const spec = JSON.parse(await readText(workspaceUri('models', 'tiny.rnn.json')));
    Object.assign(spec, { name: 'huge' });
    spec.model = { ...spec.model, hiddenSize: 4096, layers: 6 };
    const uri = workspaceUri('models', 'huge.rnn.json');
    await writeText(uri, JSON.stringify(spec, null, 2));
    const runsFolder = workspaceUri('models', '.rnnlab', 'runs');
    const runFolders = async () => (await vscode.workspace.fs.readDirectory(runsFolder).then((entries) => entries, () => [])).map(([name]) => name).sort();
    const before = await runFolders();
    const outcome = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', uri);
    assert.equal(outcome.status, 'error');
    assert.match(outcome.message ?? '', /^huge needs about [\d.]+ (MB|GB), more than the worker's limit of \d+ MB \(rnnLab.workerMemoryLimitMb\)/);
    assert.ok(!outcome.runUri, 'no run folder');
    assert.deepEqual(await runFolders(), before, 'no folder was added to the runs folder');
    assert.equal((await api.runs.getChildren()).filter((node) => node.kind === 'spec' && node.summary.name === 'huge').length, 0);
    await vscode.workspace.fs.delete(uri);
  });
});
