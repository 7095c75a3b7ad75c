import * as vscode from 'vscode';
import { cliInputArgument, type CliRunInspector } from '../inspector/cliRunInspector';
import { describePrediction } from '../inspector/predictionText';
import type { EvaluationViews } from '../results/evaluationViews';
import { runFolderProblem } from '../workspaceGuard';
import { CliRunner, type CliResult } from './cliRunner';
import { runArgument, specArgument, uriOf } from './commandArguments';

/** Options a caller (a test, another command) may pass instead of answering prompts. */
interface SampleOptions { length?: number; temperature?: number; prime?: string }
interface PredictOptions { input?: string }
/** `folder` skips the folder dialog, `trainer` the question whether data.py and train.py come too (default: no). */
interface ExportOptions { folder?: vscode.Uri; trainer?: boolean }
interface DeleteOptions { confirmed?: boolean }

/** Export Model's choice: model.py alone, or with data.py and train.py (`rnn-lab export --trainer`); undefined when dismissed. */
async function askTrainer(): Promise<boolean | undefined> {
  const picked = await vscode.window.showQuickPick([
    { label: 'Model', description: 'model.py and the weights, to use the network in PyTorch', trainer: false },
    { label: 'Model and trainer', description: 'also data.py and train.py, to continue training in PyTorch (torchrun for several GPUs or machines)', trainer: true },
  ], { placeHolder: 'What to export' });
  return picked?.trainer;
}

/**
 * Runs `work`, showing what it throws as `RNN Lab: <title> failed: <message>` instead of VS Code's generic
 * "command failed": e.g. a run in a virtual workspace, which the CLI cannot read (CliRunner.localPath).
 */
async function showingFailure<T>(title: string, work: () => PromiseLike<T | undefined>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    void vscode.window.showErrorMessage(`RNN Lab: ${title} failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Runs the CLI on a run folder and shows its failure, if any. Returns stdout on success. */
export function cliOnRun(cli: CliRunner, title: string, args: (runPath: string) => string[], runUri: vscode.Uri): Promise<string | undefined> {
  return showingFailure(title, async () => {
    const runPath = CliRunner.localPath(runUri);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `RNN Lab: ${title}`, cancellable: true },
      (_progress, token) => cli.run(args(runPath), vscode.Uri.joinPath(runUri, '..').fsPath, token));
    return cliOutput(title, result);
  });
}

/** stdout of a successful CLI run; otherwise shows the CLI's own message and returns undefined. */
function cliOutput(title: string, result: CliResult): string | undefined {
  if (result.exitCode !== 0) {
    const message = CliRunner.lastJsonLine(result.stdout)?.message ?? (result.stderr.trim().split('\n').at(-1) || `exit code ${result.exitCode}`);
    void vscode.window.showErrorMessage(`RNN Lab: ${title} failed: ${String(message)}`);
    return undefined;
  }
  return result.stdout;
}

async function showText(content: string, language: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ content, language });
  await vscode.window.showTextDocument(document, { preview: true });
}

/** Evaluate, Sample, Predict on Selection, Check Gradients, Export and Delete (Compare: compareCommands.ts). */
export function registerRunCommands(cli: CliRunner, inspector: CliRunInspector, results: EvaluationViews, log: vscode.LogOutputChannel,
  refresh: () => void): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('rnnLab.evaluateRun', async (argument?: unknown) => {
      const runUri = await runArgument(argument);
      if (!runUri) return undefined;
      try {
        const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'RNN Lab: evaluating', cancellable: true },
          (_progress, token) => inspector.evaluate(runUri, token));
        log.info(`evaluate ${vscode.workspace.asRelativePath(runUri)}: ${JSON.stringify(result.metrics)}`);
        results.show(runUri, result);
        return result;
      } catch (error) {
        void vscode.window.showErrorMessage(`RNN Lab: evaluating failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('rnnLab.sampleRun', async (argument?: unknown, options: SampleOptions = {}) => {
      const runUri = await runArgument(argument);
      if (!runUri) return undefined;
      const args = (run: string) => ['sample', run, '--length', String(options.length ?? 200),
        ...(options.temperature !== undefined ? ['--temperature', String(options.temperature)] : []),
        ...(options.prime !== undefined ? ['--prime', options.prime] : [])];
      const text = await cliOnRun(cli, 'sampling', args, runUri);
      if (text !== undefined) await showText(text, 'plaintext');
      return text;
    }),
    vscode.commands.registerCommand('rnnLab.predictSelection', async (argument?: unknown, options: PredictOptions = {}) => {
      const editor = vscode.window.activeTextEditor;
      const input = options.input ?? (editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined);
      if (input === undefined) {
        void vscode.window.showInformationMessage('RNN Lab: select the text or sequence to predict on');
        return undefined;
      }
      const runUri = uriOf(argument) ?? (await runArgument(undefined));
      if (!runUri) return undefined;
      const json = cliInputArgument(input);
      const stdout = await cliOnRun(cli, 'predicting', (run) => ['predict', run, '--input', json, '--json'], runUri);
      const result = stdout === undefined ? undefined : CliRunner.lastJsonLine(stdout);
      if (result) {
        log.info(`predict ${vscode.workspace.asRelativePath(runUri)} on ${json}: ${JSON.stringify(result)}`);
        void vscode.window.showInformationMessage(`RNN Lab prediction: ${describePrediction(result)}`);
      }
      return result;
    }),
    vscode.commands.registerCommand('rnnLab.checkGradients', async (argument?: unknown) => {
      const specUri = await specArgument(argument);
      if (!specUri) return undefined;
      const result = await showingFailure('checking gradients', () => vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'RNN Lab: checking gradients', cancellable: true },
        (_progress, token) => cli.run(['gradcheck', CliRunner.localPath(specUri)], vscode.Uri.joinPath(specUri, '..').fsPath, token)));
      if (!result) return undefined;
      log.info(result.stdout.trimEnd());
      const ok = result.exitCode === 0;
      const message = `gradient check of ${vscode.workspace.asRelativePath(specUri)}: ${ok ? 'every parameter within tolerance' : `failed (exit ${result.exitCode})`}`;
      if (ok) void vscode.window.showInformationMessage(`RNN Lab: ${message}`, 'Show Log').then((choice) => choice && log.show());
      else void vscode.window.showErrorMessage(`RNN Lab: ${message}`, 'Show Log').then((choice) => choice && log.show());
      return { ok, output: result.stdout };
    }),
    vscode.commands.registerCommand('rnnLab.exportModel', async (argument?: unknown, options: ExportOptions = {}) => {
      const runUri = await runArgument(argument);
      if (!runUri) return undefined;
      const trainer = options.trainer ?? (options.folder ? false : await askTrainer());
      if (trainer === undefined) return undefined;
      const folder = options.folder ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export here', defaultUri: runUri }))?.[0];
      if (!folder) return undefined;
      const args = (run: string) => ['export', run, '--out', CliRunner.localPath(folder), ...(trainer ? ['--trainer'] : [])];
      if ((await cliOnRun(cli, 'exporting', args, runUri)) === undefined) return undefined;
      const modelPy = vscode.Uri.joinPath(folder, 'model.py');
      if (!options.folder) {
        void vscode.window.showInformationMessage(`RNN Lab: exported to ${vscode.workspace.asRelativePath(folder)}`, 'Open model.py')
          .then((choice) => choice && vscode.window.showTextDocument(modelPy));
      }
      return folder;
    }),
    vscode.commands.registerCommand('rnnLab.deleteRun', async (argument?: unknown, options: DeleteOptions = {}) => {
      const runUri = await runArgument(argument);
      if (!runUri) return false;
      const problem = await runFolderProblem(runUri);
      if (problem) {
        log.warn(`refused to delete ${runUri.toString()}: ${problem}`);
        void vscode.window.showErrorMessage(`RNN Lab: Delete Run refused: ${problem}`);
        return false;
      }
      const name = vscode.workspace.asRelativePath(runUri);
      const confirmed = options.confirmed ?? (await vscode.window.showWarningMessage(`Delete run ${name} and its checkpoints?`, { modal: true }, 'Delete')) === 'Delete';
      if (!confirmed) return false;
      await vscode.workspace.fs.delete(runUri, { recursive: true, useTrash: false });
      log.info(`deleted run ${name}`);
      refresh();
      return true;
    }),
  ];
}
