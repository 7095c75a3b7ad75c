import * as vscode from 'vscode';
import { SpecError, parseSpec, specBaseName, type ResolvedSpec } from '../modelSpec';
import type { DataSizeScanner } from './dataScan/dataSizeScanner';
import { buildDiagramModel } from './panels/diagramModel';
import { gatherTrainingInputs, readSpecText } from './training/trainingInputs';

/** What the Models view shows of a spec. */
export interface SpecSummary {
  uri: vscode.Uri;
  name: string;
  spec?: ResolvedSpec;
  /** Parameter count of the network on this data (undefined when the data cannot be read). */
  parameters?: number;
  /** The first problem, when the spec is invalid or its data unreadable. */
  problem?: string;
}

/** The spec's name: its `name`, or the file name without `.rnn.json` when it does not parse. */
export async function specName(uri: vscode.Uri): Promise<string> {
  try {
    return parseSpec(await readSpecText(uri), uri.path).name;
  } catch {
    return specBaseName(uri.path);
  }
}

/**
 * Task, cell and parameter count of a spec. The count is exact (the engine's parameter shapes on the
 * sizes the data gives, read off the main thread by `dataSizes`) when the data can be scanned, and
 * the training memory estimate's otherwise.
 */
export async function summarizeSpec(uri: vscode.Uri, dataSizes?: DataSizeScanner): Promise<SpecSummary> {
  let spec: ResolvedSpec;
  let text: string;
  try {
    text = await readSpecText(uri);
    spec = parseSpec(text, vscode.workspace.asRelativePath(uri));
  } catch (error) {
    const problem = error instanceof SpecError ? `${error.path || 'spec'}: ${error.issues[0].message}` : (error as Error).message;
    return { uri, name: specBaseName(uri.path), problem };
  }
  try {
    const sizes = await dataSizes?.sizesOf(uri, text);
    const total = sizes ? buildDiagramModel(JSON.parse(text), spec.name, sizes).totalParams : undefined;
    if (total && Object.keys(total.terms).length === 0) return { uri, name: spec.name, spec, parameters: total.constant };
    const inputs = await gatherTrainingInputs(uri);
    return { uri, name: spec.name, spec, parameters: inputs.memory.parameters };
  } catch (error) {
    return { uri, name: spec.name, spec, problem: (error as Error).message };
  }
}
