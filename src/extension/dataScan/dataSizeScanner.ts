/**
 * The sizes a spec's dataset gives its network (vocabulary, classes, features), for the architecture
 * view. Host side: parses the spec, reads the data files through `vscode.workspace.fs` and hands
 * them to a short-lived worker (dataSizesWorker.ts) with the training worker's memory limit.
 * Answers are cached on the spec's task and data section and the files' mtime and size, so typing
 * elsewhere in the spec never rescans. Any failure (invalid spec, unreadable data) is `undefined`:
 * the view then keeps its symbols.
 */
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { parseSpec } from '../../modelSpec';
import type { DataSizes } from '../panels/diagramModel';
import { readSettings } from '../settings';
import { dataPaths } from '../training/trainingInputs';
import type { DataSizesAnswer, DataSizesRequest } from './dataSizesWorker';

const CACHE_ENTRIES = 8;

export class DataSizeScanner {
  private readonly cache = new Map<string, Promise<Partial<DataSizes> | undefined>>();

  constructor(private readonly workerPath: string, private readonly log: vscode.LogOutputChannel) {}

  /** Sizes for the spec text (unsaved edits included) of `specUri`, or undefined when the data cannot say. */
  async sizesOf(specUri: vscode.Uri, specText: string): Promise<Partial<DataSizes> | undefined> {
    let spec: ReturnType<typeof parseSpec>;
    try {
      spec = parseSpec(specText, vscode.workspace.asRelativePath(specUri));
    } catch {
      return undefined;
    }
    const folder = vscode.Uri.joinPath(specUri, '..');
    const paths = dataPaths(spec);
    const uris = paths.map((relPath) => vscode.Uri.joinPath(folder, relPath));
    if (!vscode.workspace.isTrusted && uris.some((uri) => !vscode.workspace.getWorkspaceFolder(uri))) return undefined;
    let stats: vscode.FileStat[];
    try {
      stats = await Promise.all(uris.map((uri) => vscode.workspace.fs.stat(uri)));
    } catch {
      return undefined;
    }
    const key = JSON.stringify([folder.toString(), spec.task, spec.data, stats.map((s) => [s.mtime, s.size])]);
    let answer = this.cache.get(key);
    if (!answer) {
      answer = this.scan(specUri, specText, paths, uris);
      this.cache.set(key, answer);
      if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    }
    return answer;
  }

  private async scan(specUri: vscode.Uri, specText: string, paths: string[], uris: vscode.Uri[]): Promise<Partial<DataSizes> | undefined> {
    const files: Record<string, Uint8Array> = {};
    try {
      for (let i = 0; i < paths.length; i++) files[paths[i]] = new Uint8Array(await vscode.workspace.fs.readFile(uris[i]));
    } catch {
      return undefined;
    }
    const request: DataSizesRequest = { specText, specFile: vscode.workspace.asRelativePath(specUri), files };
    const answer = await new Promise<DataSizesAnswer>((resolve) => {
      const worker = new Worker(this.workerPath, { resourceLimits: { maxOldGenerationSizeMb: readSettings(specUri).workerMemoryLimitMb } });
      worker.once('message', (message: DataSizesAnswer) => { resolve(message); void worker.terminate(); });
      worker.once('error', (error) => resolve({ error: error.message }));
      worker.once('exit', (code) => resolve({ error: `the data scan ended with exit code ${code}` }));
      worker.postMessage(request, Object.values(files).map((bytes) => bytes.buffer as ArrayBuffer));
    });
    if ('error' in answer) {
      this.log.debug(`data sizes of ${vscode.workspace.asRelativePath(specUri)}: ${answer.error}`);
      return undefined;
    }
    return answer.sizes;
  }
}
