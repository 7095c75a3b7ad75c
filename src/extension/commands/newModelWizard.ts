import * as vscode from 'vscode';
import { inferSpecFromDataset } from '../../data';
import { formatFromFileName, tableRecords, TASKS, type ModelSpec } from '../../modelSpec';
import { relativePath } from '../relativePath';
import { readSettings } from '../settings';
import { isInsideWorkspace } from '../workspaceGuard';
import { datasetArgument } from './commandArguments';

type Cell = 'rnn' | 'lstm' | 'gru';
type Connections = 'none' | 'skip' | 'dense';

/** The wizard's answers; any given here is not asked (tests pass them all). */
export interface NewModelAnswers {
  dataset?: vscode.Uri;
  task?: string;
  cell?: Cell;
  hiddenSize?: number;
  layers?: number;
  bidirectional?: boolean;
  connections?: Connections;
  /** Where to write the spec; default `<dataset name>.rnn.json` beside the dataset. */
  specUri?: vscode.Uri;
}

async function ask<T>(step: number, title: string, items: { label: string; description?: string; value: T }[]): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title: `New Model (${step}/6): ${title}`, ignoreFocusOut: true });
  return chosen?.value;
}

/** A free spec file name beside the dataset: `name.rnn.json`, `name-2.rnn.json`, … */
async function freeSpecUri(dataset: vscode.Uri): Promise<vscode.Uri> {
  const base = dataset.path.slice(dataset.path.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '');
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.joinPath(dataset, '..', `${base}${n === 1 ? '' : `-${n}`}.rnn.json`);
    try { await vscode.workspace.fs.stat(uri); } catch { return uri; }
  }
}

/**
 * New Model…: dataset → task (inferred by `inferSpecFromDataset`, confirmable) → cell → hidden size → layers → bidirectional →
 * connections. Writes the spec beside the dataset, opens it, and resolves with its Uri.
 */
export async function newModelWizard(answers: NewModelAnswers = {}): Promise<vscode.Uri | undefined> {
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
  const otherTasks = format === 'text' || format === 'tsv' ? [] : format === 'csv' ? ['many-to-one', 'many-to-many'] : [...TASKS];
  const task = answers.task ?? (await ask(1, 'task', [
    { label: inferred.task, description: 'inferred from the data', value: inferred.task as string },
    ...otherTasks.filter((t) => t !== inferred.task).map((t) => ({ label: t, value: t as string })),
  ]));
  if (!task) return undefined;
  const cell = answers.cell ?? (await ask<Cell>(2, 'cell', [
    { label: 'lstm', description: 'long short-term memory: the safe default', value: 'lstm' },
    { label: 'gru', description: 'gated recurrent unit: fewer parameters', value: 'gru' },
    { label: 'rnn', description: 'Elman RNN: simplest, forgets quickly', value: 'rnn' },
  ]));
  if (!cell) return undefined;
  // The first item is the default (Enter takes it): pressing Enter through the wizard gives LSTM, 128 units, 2 layers.
  const hiddenSize = answers.hiddenSize ?? (await ask(3, 'hidden size', [128, 64, 256, 32].map((n) => ({ label: String(n), description: n === 128 ? 'default' : undefined, value: n }))));
  if (!hiddenSize) return undefined;
  const layers = answers.layers ?? (await ask(4, 'layers', [2, 1, 3, 4, 6].map((n) => ({ label: String(n), description: n === 2 ? 'default' : undefined, value: n }))));
  if (!layers) return undefined;
  const predictsNext = format === 'text' || (format === 'csv' && task === 'many-to-many' && !tableRecords(inferred.data, format));
  const bidirectional = predictsNext ? false : answers.bidirectional ?? (await ask(5, 'direction', [
    { label: 'unidirectional', value: false }, { label: 'bidirectional', description: 'reads the sequence both ways', value: true },
  ]));
  if (bidirectional === undefined) return undefined;
  const connections = layers === 1 ? 'none' : answers.connections ?? (await ask<Connections>(6, 'connections between layers', [
    { label: 'none', value: 'none' }, { label: 'skip', description: 'residual', value: 'skip' }, { label: 'dense', description: 'each layer sees all earlier ones', value: 'dense' },
  ]));
  if (!connections) return undefined;

  const specUri = answers.specUri ?? (await freeSpecUri(dataset));
  const specFolder = vscode.Uri.joinPath(specUri, '..');
  const train = relativePath(specFolder, dataset);
  const spec = {
    ...inferred,
    task,
    data: { ...inferred.data, train },
    model: { ...inferred.model, cell, hiddenSize, layers, bidirectional, ...(layers > 1 ? { connections } : {}) },
    training: { ...inferred.training, seed: readSettings(specUri).defaultSeed },
  };
  await vscode.workspace.fs.writeFile(specUri, new TextEncoder().encode(JSON.stringify(spec, null, 2) + '\n'));
  await vscode.window.showTextDocument(specUri);
  return specUri;
}
