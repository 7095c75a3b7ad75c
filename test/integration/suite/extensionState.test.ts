/**
 * Extension state that must survive hiding, reopening and concurrency (issue 11): pause across a
 * hidden dashboard, a dashboard opened mid-run, the cached confusion matrix, unique run ids,
 * rnnLab.runsFolder, the Runs view's refreshes, the data scan off the host thread, and diagnostics.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RnnLabApi } from '../../../src/extension/extension';
import type { DashboardPanel } from '../../../src/extension/panels/dashboardPanel';
import { RunFolderWatcher } from '../../../src/extension/runsFolders';
import type { TrainingOutcome } from '../../../src/extension/training/trainingService';
import { VscodeRunStore } from '../../../src/extension/training/vscodeRunStore';
import type { HostToWebview, WebviewToHost } from '../../../src/protocol/hostWebview';
import { newRunId } from '../../../src/train/runStore';
import { activateExtension, exists, waitFor, workspaceUri, writeText } from './helpers';

const LM_TEXT = 'the cat sat on the mat and the dog sat on the log. '.repeat(30);

async function writeSpec(name: string, spec: Record<string, unknown>): Promise<vscode.Uri> {
  const uri = workspaceUri('models', `${name}.rnn.json`);
  await writeText(uri, JSON.stringify({ name, ...spec }, null, 2));
  return uri;
}

/** Every message the panel posts from now on. */
function recordPosts(panel: DashboardPanel): HostToWebview[] {
  const posted: HostToWebview[] = [];
  const post = panel.post.bind(panel);
  panel.post = (m) => { posted.push(m); post(m); };
  return posted;
}

/** Hides the dashboard's tab behind another editor, then shows it again: the webview reloads and says `ready`. */
async function hideAndShow(panel: DashboardPanel): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
  await waitFor(() => !panel.panel.visible, 10_000, 'the dashboard tab to be hidden');
  panel.panel.reveal();
  await waitFor(() => panel.panel.visible, 10_000, 'the dashboard tab to be shown');
}

/** A message from the webview, through the same handler the webview's own messages reach. */
function fromWebview(panel: DashboardPanel, message: WebviewToHost): Promise<void> {
  return (panel as unknown as { onMessage(m: WebviewToHost): Promise<void> }).onMessage(message);
}

const snapshots = (posted: HostToWebview[]) => posted.filter((m): m is Extract<HostToWebview, { type: 'dashboard' }> => m.type === 'dashboard');

describe('extension state: pause, late dashboards, cached evaluation, run ids, runs folder, views, diagnostics', () => {
  let api: RnnLabApi;
  const cleanup: vscode.Uri[] = [];

  /** A run folder in a custom runs folder (rnnLab.runsFolder = experiments/runs), with its metrics.jsonl. */
  const customRun = () => workspaceUri('models', 'experiments', 'runs', '20300101-000000-tiny');

  before(async () => {
    api = await activateExtension();
    await writeText(vscode.Uri.joinPath(customRun(), 'metrics.jsonl'), '{"epoch":1,"split":"train","loss":0.5}\n');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of cleanup) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
  });

  it('a dashboard opened mid-run shows backend and parameters, and a paused run stays paused when its tab is hidden and shown', async function () {
    this.timeout(180_000);
    const data = workspaceUri('data', 'state-lm.txt');
    cleanup.push(data);
    await writeText(data, LM_TEXT);
    const spec = await writeSpec('pausable', { task: 'many-to-many', data: { train: '../data/state-lm.txt', sequenceLength: 12 },
      model: { cell: 'lstm', hiddenSize: 8, embeddingSize: 4 }, training: { epochs: 100_000, batchSize: 8, seed: 2 } });
    cleanup.push(spec);
    let runId: string | undefined;
    let progressed = false;
    const listener = api.training.onDidChange((change) => {
      if (change?.event.event === 'start') runId ??= change.runId;
      if (change?.event.event === 'progress') progressed = true;
    });
    const training = vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', spec);
    try {
      await waitFor(() => runId && progressed, 60_000, 'the training to start');
      const runUri = workspaceUri('models', '.rnnlab', 'runs', runId!);
      await vscode.commands.executeCommand('rnnLab.openDashboard', runUri);
      const panel = api.panels.dashboardOf(runUri)!;
      const posted = recordPosts(panel);
      // The webview's own `ready` may have been answered before the recording began: ask as it does.
      await fromWebview(panel, { type: 'ready' });
      const first = snapshots(posted).at(-1)!;
      assert.equal(first.run.status, 'running');

      await fromWebview(panel, { type: 'control', action: 'pause' });
      const beforeShow = snapshots(posted).length;
      await hideAndShow(panel);
      const again = await waitFor(() => snapshots(posted)[beforeShow], 30_000, 'the snapshot after the tab was shown again');
      assert.equal(again.run.status, 'paused', 'the paused run is still paused');
      assert.equal(again.run.live, true);
      await fromWebview(panel, { type: 'control', action: 'resume' });
      assert.equal(api.training.liveState(runId!)?.paused, false, 'resumed');

      const start = first.events.find((e) => e.event === 'start');
      assert.ok(start && start.event === 'start', `the snapshot of a late dashboard has the start event: ${first.events.map((e) => e.event).join(', ')}`);
      assert.ok(start.parameters > 0 && start.backend.length > 0, JSON.stringify({ parameters: start.parameters, backend: start.backend }));
      assert.ok(first.events.some((e) => e.event === 'progress'), 'and the latest progress, so epoch and loss show at once');
    } finally {
      listener.dispose();
      api.training.stop(runId);
      const outcome = await training;
      assert.equal(outcome.status, 'cancelled', outcome.message);
    }
  });

  it('the confusion matrix names the test split and is evaluated once per checkpoint, not on every re-show', async function () {
    this.timeout(180_000);
    const spec = await writeSpec('tested', { task: 'many-to-one', data: { train: '../data/tiny.jsonl', test: '../data/tiny.jsonl' },
      model: { cell: 'gru', hiddenSize: 8, embeddingSize: 4 }, training: { epochs: 2, batchSize: 8, seed: 1 } });
    cleanup.push(spec);
    const outcome = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', spec);
    assert.equal(outcome.status, 'done', outcome.message);
    const inspector = api.inspector;
    const evaluate = inspector.evaluate.bind(inspector);
    let evaluations = 0;
    inspector.evaluate = (...args) => { evaluations++; return evaluate(...args); };
    try {
      await vscode.commands.executeCommand('rnnLab.openDashboard', outcome.runUri);
      const panel = api.panels.dashboardOf(outcome.runUri!)!;
      const posted = recordPosts(panel);
      const confusions = () => posted.filter((m): m is Extract<HostToWebview, { type: 'confusionMatrix' }> => m.type === 'confusionMatrix');
      // The webview's own `ready` may have been answered before the recording began: ask as it does.
      await fromWebview(panel, { type: 'ready' });
      const first = confusions()[0];
      assert.ok(first, 'the snapshot of a finished classifier is followed by its confusion matrix');
      await hideAndShow(panel);
      await waitFor(() => confusions()[1], 60_000, 'the confusion matrix after re-showing');
      assert.equal(evaluations, 1, 'the second showing used the cached matrix');
      assert.equal(first.split, 'test', 'the run has a test split, and eval counts it');
      assert.deepEqual(first.labels, ['A', 'B']);
    } finally {
      inspector.evaluate = evaluate;
    }
  });

  it('runs started at once get distinct ids and folders', async function () {
    this.timeout(180_000);
    const store = new VscodeRunStore(workspaceUri('models', '.rnnlab', 'ids-test'));
    cleanup.push(store.runsFolder);
    const now = new Date(2030, 0, 2, 3, 4, 5);
    const ids = await Promise.all(Array.from({ length: 6 }, () => newRunId(store, 'same', now)));
    assert.equal(new Set(ids).size, 6, ids.join(', '));
    for (const id of ids) assert.ok(await exists(store.uriOf(id)), `${id} was created when it was handed out`);
    // Through the service: two trainings asked for in the same moment.
    const spec = workspaceUri('models', 'tiny.rnn.json');
    const outcomes = await Promise.all([spec, spec].map((uri) => vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', uri)));
    assert.deepEqual(outcomes.map((o) => o.status), ['done', 'done']);
    assert.notEqual(outcomes[0].runUri!.toString(), outcomes[1].runUri!.toString());
  });

  it('the Runs view refreshes when a run starts and ends, not on every epoch', async function () {
    this.timeout(180_000);
    // Epochs of about a second each, so that the file watcher reports each epoch's summary.json on its own.
    const data = workspaceUri('data', 'state-epochs.txt');
    cleanup.push(data);
    await writeText(data, LM_TEXT.repeat(96));
    const spec = await writeSpec('epochs', { task: 'many-to-many', data: { train: '../data/state-epochs.txt', sequenceLength: 24 },
      model: { cell: 'lstm', hiddenSize: 32, embeddingSize: 8 }, training: { epochs: 8, batchSize: 8, seed: 2 } });
    cleanup.push(spec);
    let refreshes = 0;
    const listener = api.runs.onDidChangeTreeData(() => refreshes++);
    const outcome = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', spec);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // late watcher events
    listener.dispose();
    assert.equal(outcome.status, 'done', outcome.message);
    console.log(`      Runs view refreshes during an 8-epoch run: ${refreshes}`);
    // Start and end, and perhaps a file-watcher report of the final summary.json that arrives after the end.
    assert.ok(refreshes >= 1 && refreshes <= 4, `${refreshes} refreshes`);
  });

  it('rnnLab.runsFolder: run folders there are watched, and their metrics.jsonl files are not datasets', async function () {
    this.timeout(60_000);
    const config = vscode.workspace.getConfiguration('rnnLab');
    await config.update('runsFolder', 'experiments/runs', vscode.ConfigurationTarget.Workspace);
    cleanup.push(workspaceUri('models', 'experiments'));
    try {
      const summary = vscode.Uri.joinPath(customRun(), 'summary.json');
      await writeText(summary, JSON.stringify({ status: 'completed', metrics: { loss: 0.5 } }));
      const datasets = (await api.datasets.getChildren()).map((info) => vscode.workspace.asRelativePath(info.uri));
      assert.ok(!datasets.some((path) => path.includes('experiments/')), `datasets: ${datasets.join(', ')}`);
      // What the run watcher passes on to the Runs view: the file watcher's own delivery is VS Code's.
      assert.equal(RunFolderWatcher.isRunSummary(summary), true, 'a summary.json in the custom runs folder refreshes the Runs view');
      assert.equal(RunFolderWatcher.isRunSummary(workspaceUri('models', 'experiments', 'summary.json')), false);
      assert.equal(RunFolderWatcher.isRunSummary(workspaceUri('models', 'elsewhere', 'x', 'summary.json')), false);
      const runs = (await api.runs.getChildren()).find((node) => node.kind === 'spec' && node.summary.name === 'tiny');
      assert.ok(runs?.kind === 'spec' && runs.runs.some((run) => run.id === '20300101-000000-tiny'), 'the Runs view lists the run of the custom folder');
    } finally {
      await config.update('runsFolder', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('the Datasets view counts a 28 MB text file without blocking the extension host', async function () {
    this.timeout(120_000);
    const big = workspaceUri('data', 'big.txt');
    cleanup.push(big);
    const line = 'the quick brown fox jumps over the lazy dog — ça va? 🙂\n';
    const copies = Math.ceil((28 * 1024 * 1024) / new TextEncoder().encode(line).length);
    await vscode.workspace.fs.writeFile(big, new TextEncoder().encode(line.repeat(copies)));
    // The longest gap between ticks of a 10 ms timer: how long the host thread was held at once.
    let last = performance.now();
    let maxMs = 0;
    const ticker = setInterval(() => { const now = performance.now(); maxMs = Math.max(maxMs, now - last - 10); last = now; }, 10);
    const started = Date.now();
    const infos = await api.datasets.getChildren();
    clearInterval(ticker);
    maxMs = Math.max(maxMs, performance.now() - last - 10);
    const info = infos.find((i) => i.uri.path.endsWith('/data/big.txt'));
    assert.ok(info, 'the big file is listed');
    assert.equal(info.records, [...line].length * copies, 'characters are code points');
    console.log(`      Datasets view on a 28 MB text: ${Date.now() - started} ms, longest event-loop stall ${maxMs.toFixed(1)} ms`);
    // Reading and handing over the bytes stays on the host; counting them there held it for 0.4 s (idle) to 0.9 s (loaded) at 16 MB.
    assert.ok(maxMs < 300, `the host thread was blocked for ${maxMs.toFixed(0)} ms`);
  });

  it('diagnostics refresh when a data file appears, without an edit to the spec', async function () {
    this.timeout(60_000);
    const data = workspaceUri('data', 'later.jsonl');
    cleanup.push(data);
    const specUri = await writeSpec('later', { task: 'many-to-one', data: { train: '../data/later.jsonl' }, model: { cell: 'gru' } });
    cleanup.push(specUri);
    const document = await vscode.workspace.openTextDocument(specUri);
    await vscode.window.showTextDocument(document);
    const ours = () => vscode.languages.getDiagnostics(specUri).filter((d) => d.source === 'RNN Lab');
    await waitFor(() => ours().some((d) => /data file not found/.test(d.message)), 10_000, 'the missing-file diagnostic');
    await vscode.workspace.fs.copy(workspaceUri('data', 'tiny.jsonl'), data);
    await waitFor(() => ours().length === 0, 15_000, 'the diagnostic to clear once the data file exists');
  });

  it('diagnostics: an older, slower result never overwrites a newer one', async function () {
    this.timeout(60_000);
    // The older version reads a large data file (slow); the newer one is not even JSON (answered at once).
    const big = workspaceUri('data', 'wide.jsonl');
    cleanup.push(big);
    await vscode.workspace.fs.writeFile(big, new TextEncoder().encode('{"text":"abc","label":"A"}\n'.repeat(200_000)));
    const specUri = await writeSpec('stale', { task: 'many-to-one', data: { train: '../data/wide.jsonl' }, model: { cell: 'gru' } });
    cleanup.push(specUri);
    const document = await vscode.workspace.openTextDocument(specUri);
    const ours = () => vscode.languages.getDiagnostics(specUri).filter((d) => d.source === 'RNN Lab').map((d) => d.message);
    await waitFor(() => ours().length > 0, 10_000, 'the diagnostic of the records\' missing key');
    api.diagnostics.collection.delete(specUri);
    // The same document one edit later, without waiting for the editor round trip: the newer text.
    const newer = Object.create(document, { getText: { value: () => '{ "name": ' }, version: { value: document.version + 1 } }) as vscode.TextDocument;
    const older = api.diagnostics.update(document);
    await api.diagnostics.update(newer);
    await older;
    assert.deepEqual(ours(), [], 'the newer text (broken JSON) has no RNN Lab diagnostic; the older result was dropped');
  });

  it('diagnostics: quick typing is computed once the typing pauses, and shows the last text', async function () {
    this.timeout(60_000);
    const specUri = await writeSpec('typing', { task: 'many-to-one', data: { train: '../data/tiny.jsonl' }, model: { cell: 'gru' } });
    cleanup.push(specUri);
    const document = await vscode.workspace.openTextDocument(specUri);
    await vscode.window.showTextDocument(document);
    const whole = () => new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    const missing = (i: number) => JSON.stringify({ name: 'typing', task: 'many-to-one', data: { train: `../data/absent-${i}.jsonl` }, model: { cell: 'gru' } }, null, 2);
    const before = api.diagnostics.computationsOf(specUri);
    for (let i = 1; i <= 10; i++) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(specUri, whole(), missing(i));
      await vscode.workspace.applyEdit(edit);
    }
    const ours = () => vscode.languages.getDiagnostics(specUri).filter((d) => d.source === 'RNN Lab').map((d) => d.message);
    await waitFor(() => ours().some((m) => m.includes('absent-10.jsonl')), 10_000, 'the diagnostic of the last text');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(ours().length, 1, ours().join('; '));
    const computed = api.diagnostics.computationsOf(specUri) - before;
    console.log(`      diagnostics computed ${computed} times for 10 quick edits`);
    // One when typing pauses; a loaded machine may pause between two edits for longer than the debounce now and then.
    assert.ok(computed <= 4, `${computed} computations for 10 quick edits`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
