/**
 * The dashboard's RunInspector (panels/types.ts) and the results view's evaluation, answered by the
 * bundled CLI in a child process, so no inference runs on the extension host thread:
 *   hidden states   `rnn-lab predict <run> --input … --json --hidden` (per-layer T×W, next-token top-10 for LMs)
 *   samples         `rnn-lab sample <run> --temperature t --seed n` (a new seed per request)
 *   evaluation      `rnn-lab eval <run> --json` (metrics, confusion matrix, per-class, worst, predictions)
 */
import * as vscode from 'vscode';
import type { HiddenStateAnswer } from '../../protocol/hostWebview';
import { CliRunner } from '../commands/cliRunner';
import type { ConfusionMatrix, RunInspector } from '../panels/types';
import { asEvaluationResult, type EvaluationResult } from './evaluationResult';

const SAMPLE_LENGTH = 200;
/** Confusion matrices kept, one per run and checkpoint. */
const CONFUSION_CACHE_ENTRIES = 16;

/** A selection or typed input as `--input`: JSON values (sequences, numbers) pass through; other text becomes a JSON string. */
export function cliInputArgument(input: string): string {
  return /^\s*[[{"\d-]/.test(input) ? input.trim() : JSON.stringify(input);
}

interface HiddenLine {
  kind?: string;
  top?: { token: string; probability: number }[];
  hidden?: { steps: string[]; layers: { label: string; width: number; states: number[][] }[] };
}

export class CliRunInspector implements RunInspector {
  private sampleSeed = 0;
  /** Keyed on the run folder and its best checkpoint's mtime and size: a new checkpoint is a new entry. */
  private readonly confusionCache = new Map<string, Promise<ConfusionMatrix | undefined>>();

  constructor(private readonly cli: CliRunner) {}

  /** Runs the CLI on the run folder's parent; resolves with stdout, or rejects with the CLI's own message. */
  private async run(runUri: vscode.Uri, args: (runPath: string) => string[], token?: vscode.CancellationToken): Promise<string> {
    const runPath = CliRunner.localPath(runUri);
    const result = await this.cli.run(args(runPath), vscode.Uri.joinPath(runUri, '..').fsPath, token);
    if (result.exitCode !== 0) {
      const message = CliRunner.lastJsonLine(result.stdout)?.message ?? (result.stderr.trim().split('\n').at(-1) || `exit code ${result.exitCode}`);
      throw new Error(String(message));
    }
    return result.stdout;
  }

  async evaluate(runUri: vscode.Uri, token?: vscode.CancellationToken): Promise<EvaluationResult> {
    const stdout = await this.run(runUri, (run) => ['eval', run, '--json'], token);
    const result = asEvaluationResult(CliRunner.lastJsonLine(stdout));
    if (!result) throw new Error(`rnn-lab eval printed no result line: ${stdout.slice(0, 200)}`);
    return result;
  }

  async hiddenState(runUri: vscode.Uri, input: string): Promise<HiddenStateAnswer> {
    const stdout = await this.run(runUri, (run) => ['predict', run, '--input', cliInputArgument(input), '--json', '--hidden']);
    const line = CliRunner.lastJsonLine(stdout) as HiddenLine | undefined;
    if (!line?.hidden) throw new Error('rnn-lab predict --hidden printed no hidden states');
    const { steps, layers } = line.hidden;
    const T = steps.length;
    return {
      steps,
      // T×W rows → the webview's W×T layout, row-major by unit: values[u·T + t] = h_t[u]
      layers: layers.map((layer) => {
        const values = new Array<number>(layer.width * T);
        layer.states.forEach((row, t) => row.forEach((v, u) => (values[u * T + t] = v)));
        return { label: layer.label, width: layer.width, values };
      }),
      ...(line.kind === 'next' && line.top ? { nextToken: line.top } : {}),
    };
  }

  async sample(runUri: vscode.Uri, temperature: number): Promise<string> {
    const seed = ++this.sampleSeed;
    const stdout = await this.run(runUri, (run) => ['sample', run, '--length', String(SAMPLE_LENGTH), '--temperature', String(temperature), '--seed', String(seed)]);
    return stdout.replace(/\n$/, '');
  }

  /**
   * The confusion matrix of the run's best weights on its test split (else validation), from `eval`.
   * Cached per run and checkpoint, so re-showing a dashboard does not evaluate again.
   */
  async confusionMatrix(runUri: vscode.Uri): Promise<ConfusionMatrix | undefined> {
    let checkpoint: vscode.FileStat;
    try {
      checkpoint = await vscode.workspace.fs.stat(vscode.Uri.joinPath(runUri, 'best.safetensors'));
    } catch {
      return undefined; // no weights to evaluate
    }
    const key = JSON.stringify([runUri.toString(), checkpoint.mtime, checkpoint.size]);
    let answer = this.confusionCache.get(key);
    if (!answer) {
      answer = this.evaluate(runUri).then((result) => result.confusionMatrix && { labels: result.confusionMatrix.labels, counts: result.confusionMatrix.matrix, split: result.split });
      this.confusionCache.set(key, answer);
      answer.catch(() => this.confusionCache.delete(key)); // a failure is not remembered
      if (this.confusionCache.size > CONFUSION_CACHE_ENTRIES) this.confusionCache.delete(this.confusionCache.keys().next().value!);
    }
    return answer;
  }
}
