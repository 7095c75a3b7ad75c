import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CliRunner, cliArguments, currentTrust } from '../../../src/extension/commands/cliRunner';
import { activateExtension, EXTENSION_ID, exists, workspaceUri, writeText } from './helpers';

const SECRET = 'SECRET-LINE-OF-A-PRIVATE-KEY';

/** A folder outside the workspace with a secret text in it. */
function outsideFolder(): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'rnn-lab-outside-')));
  writeFileSync(path.join(dir, 'secret.txt'), `${SECRET} the quick brown fox\n`.repeat(40));
  return dir;
}

/** Calls `run` with vscode.window.showErrorMessage recorded; returns its result and the messages shown. */
async function recordingErrors<T>(run: () => Thenable<T>): Promise<{ result: T; errors: string[] }> {
  const errors: string[] = [];
  const window = vscode.window as { showErrorMessage: (message: string, ...rest: unknown[]) => Thenable<unknown> };
  const original = window.showErrorMessage;
  window.showErrorMessage = (message: string) => { errors.push(message); return Promise.resolve(undefined); };
  try {
    return { result: await run(), errors };
  } finally {
    window.showErrorMessage = original;
  }
}

describe('untrusted input: the CLI runner, command arguments, virtual workspaces', () => {
  let outside: string;
  let log: vscode.LogOutputChannel;

  before(async () => {
    await activateExtension();
    outside = outsideFolder();
    log = vscode.window.createOutputChannel('RNN Lab security test', { log: true });
  });
  after(() => log.dispose());

  it('the runner adds every workspace folder as --allow-root when the workspace is untrusted, and nothing when trusted', () => {
    const folders = ['/ws/a', '/ws/b c'];
    assert.deepEqual(cliArguments(['eval', '/ws/a/run', '--json'], { isTrusted: true, folders }), ['eval', '/ws/a/run', '--json']);
    assert.deepEqual(cliArguments(['eval', '/ws/a/run', '--json'], { isTrusted: false, folders }),
      ['eval', '/ws/a/run', '--json', '--allow-root', '/ws/a', '--allow-root', '/ws/b c']);
    assert.throws(() => cliArguments(['gradcheck', '/x.rnn.json'], { isTrusted: false, folders: [] }), /untrusted and has no folder on disk/);
    const trust = currentTrust();
    assert.equal(trust.isTrusted, vscode.workspace.isTrusted);
    assert.deepEqual(trust.folders, vscode.workspace.workspaceFolders!.map((f) => f.uri.fsPath));
  });

  it('untrusted, the CLI the extension runs refuses a spec whose data climbs out of the workspace (exit 2), and shows none of it', async () => {
    const spec = workspaceUri('models', 'escape.rnn.json');
    const train = path.relative(path.dirname(spec.fsPath), path.join(outside, 'secret.txt')).split(path.sep).join('/');
    await writeText(spec, JSON.stringify({ name: 'escape', task: 'many-to-many', data: { train, sequenceLength: 8 },
      model: { cell: 'rnn', hiddenSize: 4, embeddingSize: 0 }, training: { epochs: 1, batchSize: 4 } }));
    try {
      const cliPath = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'dist', 'cli.js').fsPath;
      const folders = vscode.workspace.workspaceFolders!.map((f) => f.uri.fsPath);
      const untrusted = new CliRunner(cliPath, log, () => ({ isTrusted: false, folders }));
      const refused = await untrusted.run(['gradcheck', spec.fsPath, '--json'], folders[0]);
      assert.equal(refused.exitCode, 2, refused.stderr);
      assert.match(refused.stderr, /outside the allowed roots/);
      assert.ok(refused.stderr.includes(path.join(outside, 'secret.txt')) && refused.stderr.includes(`--allow-root ${realpathSync(folders[0])}`), refused.stderr);
      assert.ok(!refused.stdout.includes(SECRET) && !refused.stderr.includes(SECRET));
      // The same spec, trusted: the data is read (the refusal above is the trust state's doing).
      const trusted = new CliRunner(cliPath, log, () => ({ isTrusted: true, folders }));
      assert.equal((await trusted.run(['gradcheck', spec.fsPath, '--json'], folders[0])).exitCode, 0);
    } finally {
      await vscode.workspace.fs.delete(spec);
    }
  });

  it('Delete Run refuses, and deletes nothing of, a folder that is not a run folder under the runs folder', async () => {
    const notRuns = workspaceUri('keep', 'important');
    const noSummary = workspaceUri('models', '.rnnlab', 'runs', '20990101-000000-no-summary');
    const foreignRuns = path.join(outside, '.rnnlab', 'runs', '20990101-000000-foreign');
    mkdirSync(foreignRuns, { recursive: true });
    writeFileSync(path.join(foreignRuns, 'summary.json'), '{}');
    await writeText(vscode.Uri.joinPath(notRuns, 'summary.json'), '{}');
    await writeText(vscode.Uri.joinPath(noSummary, 'notes.txt'), 'not a run');
    try {
      for (const target of [notRuns, noSummary, vscode.Uri.file(foreignRuns), workspaceUri('models'), vscode.Uri.file(outside)]) {
        const { result, errors } = await recordingErrors(() => vscode.commands.executeCommand('rnnLab.deleteRun', target, { confirmed: true }));
        assert.equal(result, false, `refused ${target.fsPath}`);
        assert.equal(await exists(target), true, `${target.fsPath} is still there`);
        assert.match(errors.join('\n'), /Delete Run refused/);
      }
    } finally {
      for (const uri of [workspaceUri('keep'), noSummary]) await vscode.workspace.fs.delete(uri, { recursive: true });
    }
  });

  it('New Model refuses a specUri outside the workspace folders, and writes nothing there', async () => {
    const specUri = vscode.Uri.file(path.join(outside, 'planted.rnn.json'));
    const { result, errors } = await recordingErrors(() => vscode.commands.executeCommand<vscode.Uri | undefined>('rnnLab.newModel', {
      dataset: workspaceUri('data', 'tiny.jsonl'), specUri, task: 'many-to-one', cell: 'gru', hiddenSize: 8, layers: 1, bidirectional: false,
    }));
    assert.equal(result, undefined);
    assert.equal(await exists(specUri), false, 'no spec written outside the workspace');
    assert.match(errors.join('\n'), /only inside the workspace folders/);
  });

  it('the CLI commands on a virtual (non-file) URI say plainly that they need local files, instead of failing generically', async () => {
    const virtualRun = vscode.Uri.from({ scheme: 'rnnlab-virtual', path: '/ws/models/.rnnlab/runs/20250101-000000-tiny' });
    const virtualSpec = vscode.Uri.from({ scheme: 'rnnlab-virtual', path: '/ws/models/tiny.rnn.json' });
    const calls: [string, unknown[]][] = [
      ['rnnLab.sampleRun', [virtualRun, { length: 5 }]],
      ['rnnLab.predictSelection', [virtualRun, { input: 'ab' }]],
      ['rnnLab.explainPrediction', [virtualRun, { input: 'ab' }]],
      ['rnnLab.exportModel', [virtualRun, { folder: workspaceUri('exported-virtual') }]],
      ['rnnLab.checkGradients', [virtualSpec]],
      ['rnnLab.evaluateRun', [virtualRun]],
    ];
    for (const [command, args] of calls) {
      const { result, errors } = await recordingErrors(() => vscode.commands.executeCommand(command, ...args));
      assert.equal(result, undefined, command);
      assert.match(errors.join('\n'), /not on the local disk.*needs local files/, `${command}: ${errors.join(' | ')}`);
    }
  });
});
