/**
 * New Model…: dataset → task (inferred by `inferSpecFromDataset`) → cell → hidden size → layers →
 * direction → connections, in ONE QuickPick: `step`/`totalSteps` in its title, a Back button, typed
 * values where a number is asked (a hidden size of 96), and the parameter count of the answers so
 * far in the placeholder (each choice says what it would make it). Writes the spec beside the
 * dataset, opens it, and resolves with its Uri. Steps whose answer is passed in are not asked.
 */
import * as vscode from 'vscode';
import { inferSpecFromDataset } from '../../data';
import { formatFromFileName, tableRecords, type ModelSpec } from '../../modelSpec';
import type { DataSizes } from '../panels/diagramModel';
import type { DataSizeSource } from '../panels/types';
import { relativePath } from '../relativePath';
import { readSettings } from '../settings';
import { isInsideWorkspace } from '../workspaceGuard';
import { datasetArgument } from './commandArguments';
import {
  parameterCount, specOfAnswers, tasksFor, wizardSteps,
  type AnswerKey, type WizardAnswers, type WizardContext, type WizardStep,
} from './wizardSteps';

/** The wizard's answers; any given here is not asked (tests pass them all). */
export interface NewModelAnswers extends WizardAnswers {
  dataset?: vscode.Uri;
  /** Where to write the spec; default `<dataset name>.rnn.json` beside the dataset. */
  specUri?: vscode.Uri;
}

/** A QuickPick item carrying its answer; `problem` marks a typed value that is not one (Enter ignores it). */
export interface WizardItem extends vscode.QuickPickItem { value?: unknown; problem?: string }

const BACK = Symbol('back');
const SIZES_WAIT_MS = 3000;

/** A free spec file name beside the dataset: `name.rnn.json`, `name-2.rnn.json`, … */
async function freeSpecUri(dataset: vscode.Uri): Promise<vscode.Uri> {
  const base = dataset.path.slice(dataset.path.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.joinPath(dataset, '..', `${base}${n === 1 ? '' : `-${n}`}.rnn.json`);
    try { await vscode.workspace.fs.stat(uri); } catch { return uri; }
  }
}

export class NewModelWizard {
  /** The QuickPick while the wizard asks (integration tests type into it and press its buttons). */
  current: vscode.QuickPick<WizardItem> | undefined;

  constructor(private readonly dataSizes?: DataSizeSource) {}

  async run(answers: NewModelAnswers = {}): Promise<vscode.Uri | undefined> {
    const dataset = answers.dataset ?? (await datasetArgument(undefined));
    if (!dataset) return undefined;
    // The spec goes to answers.specUri, else beside the dataset: either way inside the workspace, asked before any question.
    const target = answers.specUri ?? vscode.Uri.joinPath(dataset, '..');
    if (!isInsideWorkspace(target)) {
      void vscode.window.showErrorMessage(`RNN Lab: New Model writes specs only inside the workspace folders, not to ${target.scheme === 'file' ? target.fsPath : target.toString()}`);
      return undefined;
    }
    const format = formatFromFileName(dataset.path);
    if (!format) {
      void vscode.window.showErrorMessage(`RNN Lab: ${vscode.workspace.asRelativePath(dataset)} is not a .txt, .csv, .jsonl or .tsv dataset`);
      return undefined;
    }
    const fileName = dataset.path.slice(dataset.path.lastIndexOf('/') + 1);
    let inferred: ModelSpec;
    try {
      inferred = inferSpecFromDataset(fileName, await vscode.workspace.fs.readFile(dataset));
    } catch (error) {
      void vscode.window.showErrorMessage(`RNN Lab: ${(error as Error).message}`);
      return undefined;
    }
    const context: WizardContext = {
      inferred,
      tasks: tasksFor(format, inferred.task),
      predictsNext: (task) => format === 'text' || (format === 'csv' && task === 'many-to-many' && !tableRecords(inferred.data, format)),
    };
    const given = new Set((Object.keys(answers) as (keyof NewModelAnswers)[]).filter((k) => answers[k] !== undefined && k !== 'dataset' && k !== 'specUri') as AnswerKey[]);
    const { dataset: _d, specUri: _s, ...passed } = answers;
    const chosen = await this.ask(context, passed, given, (spec) => this.sizesOf(dataset, spec));
    if (!chosen) return undefined;

    const specUri = answers.specUri ?? (await freeSpecUri(dataset));
    const train = relativePath(vscode.Uri.joinPath(specUri, '..'), dataset);
    const built = specOfAnswers(context, chosen);
    const spec = { ...built, data: { ...built.data, train }, training: { ...inferred.training, seed: readSettings(specUri).defaultSeed } };
    await vscode.workspace.fs.writeFile(specUri, new TextEncoder().encode(JSON.stringify(spec, null, 2) + '\n'));
    await vscode.window.showTextDocument(specUri);
    return specUri;
  }

  /** The data's sizes for a spec beside the dataset (vocabulary, classes), or none if they take long or cannot be read. */
  private async sizesOf(dataset: vscode.Uri, spec: ModelSpec): Promise<Partial<DataSizes>> {
    if (!this.dataSizes) return {};
    const probe = vscode.Uri.joinPath(dataset, '..', '.new-model.rnn.json');
    const timeout = new Promise<undefined>((resolve) => setTimeout(resolve, SIZES_WAIT_MS));
    return (await Promise.race([this.dataSizes.sizesOf(probe, JSON.stringify(spec)), timeout])) ?? {};
  }

  /** Asks the steps not `given`, one QuickPick throughout; undefined when cancelled. */
  private async ask(context: WizardContext, passed: WizardAnswers, given: ReadonlySet<AnswerKey>,
    sizesOf: (spec: ModelSpec) => Promise<Partial<DataSizes>>): Promise<WizardAnswers | undefined> {
    const answers: WizardAnswers = { ...passed };
    if (wizardSteps(context, answers, given).length === 0) return answers;
    const pick = vscode.window.createQuickPick<WizardItem>();
    pick.ignoreFocusOut = true;
    this.current = pick;
    const history: AnswerKey[] = [];
    const previous: WizardAnswers = {};
    try {
      for (;;) {
        const steps = wizardSteps(context, answers, given);
        if (history.length >= steps.length) return answers;
        const step = steps[history.length];
        const known = await sizesOf(specOfAnswers(context, answers));
        const result = await this.show(pick, step, history.length + 1, steps.length, (more) => parameterCount(specOfAnswers(context, { ...answers, ...more }), known), previous[step.key]);
        if (result === undefined) return undefined;
        if (result === BACK) {
          const key = history.pop();
          if (key) delete answers[key];
          continue;
        }
        (answers as Record<string, unknown>)[step.key] = result;
        (previous as Record<string, unknown>)[step.key] = result;
        history.push(step.key);
      }
    } finally {
      this.current = undefined;
      pick.dispose();
    }
  }

  /** One step in the QuickPick: resolves with the answer, BACK, or undefined when the pick is closed. */
  private show(pick: vscode.QuickPick<WizardItem>, step: WizardStep, n: number, total: number,
    countWith: (more: WizardAnswers) => string | undefined, last: unknown): Promise<unknown> {
    return new Promise((resolve) => {
      const counted = (value: unknown) => countWith({ [step.key]: value });
      const choices: WizardItem[] = step.choices.map((c) => ({ label: c.label, description: c.description, detail: counted(c.value), value: c.value }));
      pick.title = `New Model: ${step.title}`;
      pick.step = n;
      pick.totalSteps = total;
      pick.buttons = n > 1 ? [vscode.QuickInputButtons.Back] : [];
      pick.placeholder = `So far: ${countWith({}) ?? 'parameters unknown'}${step.typed ? ' · type a number for another value' : ''}`;
      pick.value = '';
      const update = () => {
        const text = pick.value.trim();
        const typed = step.typed && text ? step.typed(text) : undefined;
        const typedItem: WizardItem[] = !typed ? [] : 'value' in typed
          ? [{ label: String(typed.value), description: 'typed', detail: counted(typed.value), value: typed.value, alwaysShow: true }]
          : [{ label: `$(error) ${text}`, description: typed.problem, problem: typed.problem, alwaysShow: true }];
        pick.items = [...typedItem, ...choices.filter((c) => !typedItem.some((t) => t.label === c.label))];
        const again = pick.items.find((item) => item.value === last && last !== undefined);
        if (!text && again) pick.activeItems = [again];
      };
      update();
      const listeners: vscode.Disposable[] = [];
      const done = (value: unknown) => { listeners.forEach((l) => l.dispose()); resolve(value); };
      listeners.push(
        pick.onDidChangeValue(update),
        pick.onDidAccept(() => {
          const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
          if (chosen && !chosen.problem) done(chosen.value);
        }),
        pick.onDidTriggerButton((button) => { if (button === vscode.QuickInputButtons.Back) done(BACK); }),
        pick.onDidHide(() => done(undefined)),
      );
      pick.show();
    });
  }
}
