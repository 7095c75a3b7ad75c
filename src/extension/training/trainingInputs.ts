import * as vscode from 'vscode';
import { formatFromFileName, parseSpec, type ResolvedSpec } from '../../modelSpec';
import { countDistinctTokens, estimateTrainingMemory, longestLineLength, type MemoryEstimate } from './memoryEstimate';
import { csvHeaderNames } from '../../data/csvTable';

/** What a training needs from the workspace: the spec's text and resolved value, and its data files' bytes. */
export interface TrainingInputs {
  specUri: vscode.Uri;
  specText: string;
  spec: ResolvedSpec;
  /** Keyed by the path the spec uses (relative to the spec's folder); each array owns its buffer. */
  files: Record<string, Uint8Array>;
  memory: MemoryEstimate;
}

/** The spec's text: the open editor's (even unsaved), else the file's. */
export async function readSpecText(specUri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === specUri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(specUri));
}

/** Data paths of a spec, relative to its folder. */
export function dataPaths(spec: ResolvedSpec): string[] {
  const paths = [spec.data.train];
  if (spec.data.test) paths.push(spec.data.test);
  if (typeof spec.data.validation === 'string') paths.push(spec.data.validation);
  return [...new Set(paths)];
}

/**
 * Reads and checks everything a run needs, on the host, through `vscode.workspace.fs`. Throws an Error
 * with a message for the user: invalid spec (SpecError), a data file outside the workspace folders in
 * an untrusted workspace, an unreadable file.
 */
export async function gatherTrainingInputs(specUri: vscode.Uri, text?: string): Promise<TrainingInputs> {
  // `text`: a sweep trial's spec (the file's text with its parameters written in).
  const specText = text ?? await readSpecText(specUri);
  const spec = parseSpec(specText, vscode.workspace.asRelativePath(specUri));
  const specFolder = vscode.Uri.joinPath(specUri, '..');
  const files: Record<string, Uint8Array> = {};
  for (const relPath of dataPaths(spec)) {
    const uri = vscode.Uri.joinPath(specFolder, relPath);
    if (!vscode.workspace.isTrusted && !vscode.workspace.getWorkspaceFolder(uri)) {
      throw new Error(`"${relPath}" lies outside the workspace folders; an untrusted workspace may only read data inside them`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      throw new Error(`cannot read the data file "${relPath}" (from ${vscode.workspace.asRelativePath(specUri)})`);
    }
    files[relPath] = new Uint8Array(bytes);
  }
  return { specUri, specText, spec, files, memory: estimateMemory(spec, files) };
}

const SAMPLE_BYTES = 1 << 20;

/** The estimate of memoryEstimate.ts, with vocabulary and sequence length bounded from a 1 MB sample of the training file. */
function estimateMemory(spec: ResolvedSpec, files: Record<string, Uint8Array>): MemoryEstimate {
  const train = files[spec.data.train];
  const sample = new TextDecoder().decode(train.subarray(0, SAMPLE_BYTES));
  const format = spec.data.format ?? formatFromFileName(spec.data.train);
  const datasetBytes = Object.values(files).reduce((sum, bytes) => sum + bytes.length, 0);
  const series = format === 'csv' && !spec.data.records;
  const csvColumns = series ? (spec.data.columns?.length ?? csvHeaderNames(sample, spec.data.delimiter).length) : 0;
  const vocabulary = countDistinctTokens(sample, spec.data.unit) + 2;
  const steps = format === 'text' ? spec.data.sequenceLength : series ? spec.data.window : longestLineLength(sample);
  return estimateTrainingMemory({
    cell: spec.model.cell,
    hiddenSize: spec.model.hiddenSize,
    layers: spec.model.layers,
    bidirectional: spec.model.bidirectional,
    embeddingSize: spec.model.embeddingSize,
    inputSize: series ? csvColumns : vocabulary,
    tokenInput: format !== 'csv',
    outputSize: series ? 1 : vocabulary,
    steps,
    batchSize: spec.training.batchSize,
    datasetBytes,
  });
}
