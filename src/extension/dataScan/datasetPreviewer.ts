/**
 * Host side of the dataset preview: finds the spec that names a dataset as its `data.train`,
 * `data.validation` or `data.test` file (when exactly one does, its settings are used and the panel
 * says which spec and role; otherwise the worker infers what `init` would write),
 * reads the files through `vscode.workspace.fs` and hands them to a short-lived worker
 * (datasetPreviewWorker.ts) with the training worker's memory limit.
 */
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { dataRoleOf, type DataRole } from '../../data/preview/dataRole';
import { parseSpec } from '../../modelSpec';
import { readSettings } from '../settings';
import { dataPaths, readSpecText } from '../training/trainingInputs';
import { findSpecs } from '../workspaceScan';
import type { DatasetPreviewAnswer, DatasetPreviewRequest } from './datasetPreviewWorker';

export class DatasetPreviewer {
  constructor(private readonly workerPath: string) {}

  /** The specs whose `data.train`, `data.validation` or `data.test` is this file, with that role (specs that do not parse are skipped). */
  async specsNaming(dataset: vscode.Uri): Promise<{ uri: vscode.Uri; text: string; role: DataRole; path: string }[]> {
    const found: { uri: vscode.Uri; text: string; role: DataRole; path: string }[] = [];
    for (const uri of await findSpecs()) {
      try {
        const text = await readSpecText(uri);
        const spec = parseSpec(text, vscode.workspace.asRelativePath(uri));
        const named = dataRoleOf(spec.data, (path) => vscode.Uri.joinPath(uri, '..', path).toString() === dataset.toString());
        if (named) found.push({ uri, text, ...named });
      } catch {
        // an invalid spec names nothing yet
      }
    }
    return found;
  }

  async preview(dataset: vscode.Uri): Promise<DatasetPreviewAnswer> {
    if (!vscode.workspace.isTrusted && !vscode.workspace.getWorkspaceFolder(dataset)) {
      return { error: 'this file is outside the workspace folders, and the workspace is not trusted' };
    }
    const specs = await this.specsNaming(dataset);
    const files: Record<string, Uint8Array> = {};
    let request: DatasetPreviewRequest;
    try {
      if (specs.length === 1) {
        const [{ uri, text, role, path: dataFile }] = specs;
        const file = vscode.workspace.asRelativePath(uri);
        const spec = parseSpec(text, file);
        for (const path of dataPaths(spec)) {
          const dataUri = vscode.Uri.joinPath(uri, '..', path);
          if (!vscode.workspace.isTrusted && !vscode.workspace.getWorkspaceFolder(dataUri)) throw new Error(`${path} is outside the workspace folders, and the workspace is not trusted`);
          files[path] = new Uint8Array(await vscode.workspace.fs.readFile(dataUri));
        }
        request = { spec: { text, file, role }, dataFile, files };
      } else {
        const name = dataset.path.slice(dataset.path.lastIndexOf('/') + 1);
        files[name] = new Uint8Array(await vscode.workspace.fs.readFile(dataset));
        const inferredBecause = specs.length === 0 ? 'no spec names this file' : `${specs.length} specs name this file`;
        request = { dataFile: name, inferredBecause, files };
      }
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    return new Promise<DatasetPreviewAnswer>((resolve) => {
      const worker = new Worker(this.workerPath, { resourceLimits: { maxOldGenerationSizeMb: readSettings(dataset).workerMemoryLimitMb } });
      worker.once('message', (answer: DatasetPreviewAnswer) => { resolve(answer); void worker.terminate(); });
      worker.once('error', (error) => resolve({ error: error.message }));
      worker.once('exit', (code) => resolve({ error: `the dataset preview ended with exit code ${code}` }));
      worker.postMessage(request, Object.values(files).map((bytes) => bytes.buffer as ArrayBuffer));
    });
  }
}
