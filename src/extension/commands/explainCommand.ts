/**
 * RNN Lab: Explain Prediction. The input is (in order) `options.input`, `options.file` + `options.line`
 * (the results view's explain links), the editor's selection, or, with nothing selected, the line under
 * the cursor of a saved dataset file. `rnn-lab explain … --json` answers in a child process; the
 * explanation view shows it, and the command returns it.
 */
import * as vscode from 'vscode';
import { cliInputArgument } from '../inspector/cliRunInspector';
import { asExplanationResult, type ExplanationResult } from '../results/explanationReport';
import type { ExplanationViews } from '../results/explanationViews';
import { CliRunner } from './cliRunner';
import { runArgument, uriOf } from './commandArguments';
import { cliOnRun } from './runCommands';

export const EXPLAIN_COMMAND = 'rnnLab.explainPrediction';

/** Options a caller (a test, a results-view link) may pass instead of the editor's selection. */
export interface ExplainOptions { input?: string; file?: string; line?: number; target?: string; step?: number }

/** The CLI's input flags for the options, else the selection, else the dataset line under the cursor. */
function inputArguments(options: ExplainOptions): string[] | undefined {
  if (options.input !== undefined) return ['--input', cliInputArgument(options.input)];
  if (options.file !== undefined && options.line !== undefined) return ['--file', CliRunner.localPath(uriOf(options.file)!), '--line', String(options.line)];
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  if (!editor.selection.isEmpty) return ['--input', cliInputArgument(editor.document.getText(editor.selection))];
  const { document } = editor;
  const line = editor.selection.active.line;
  if (document.isUntitled || document.isDirty || document.lineAt(line).isEmptyOrWhitespace) return undefined;
  return ['--file', CliRunner.localPath(document.uri), '--line', String(line + 1)];
}

export function registerExplainCommand(cli: CliRunner, views: ExplanationViews, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(EXPLAIN_COMMAND, async (argument?: unknown, options: ExplainOptions = {}): Promise<ExplanationResult | undefined> => {
    const input = inputArguments(options);
    if (!input) {
      void vscode.window.showInformationMessage('RNN Lab: select the input to explain, or put the cursor on a line of a saved dataset file');
      return undefined;
    }
    const runUri = uriOf(argument) ?? (await runArgument(undefined));
    if (!runUri) return undefined;
    const extra = [...(options.target !== undefined ? ['--target', options.target] : []), ...(options.step !== undefined ? ['--step', String(options.step)] : [])];
    const stdout = await cliOnRun(cli, 'explaining', (run) => ['explain', run, ...input, ...extra, '--json'], runUri);
    if (stdout === undefined) return undefined;
    const explanation = asExplanationResult(CliRunner.lastJsonLine(stdout));
    if (!explanation) {
      void vscode.window.showErrorMessage(`RNN Lab: explaining failed: rnn-lab explain printed no explanation: ${stdout.slice(0, 200)}`);
      return undefined;
    }
    log.info(`explain ${vscode.workspace.asRelativePath(runUri)} ${input.join(' ')}: ${explanation.target} (completeness error ${explanation.completenessError})`);
    views.show(runUri, explanation);
    return explanation;
  });
}
