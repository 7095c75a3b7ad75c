/**
 * The Datasets view's facts about data files (format, size, records, purpose). The host only stats
 * and reads the files (through `vscode.workspace.fs`); counting and inferring what a model would do
 * run in the data-scan worker (dataSizesWorker.ts), one worker per pass, one file at a time, so at
 * most one file's bytes are in flight. Answers are cached on the file's mtime and size.
 */
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { formatFromFileName } from '../../modelSpec';
import { readSettings } from '../settings';
import type { DatasetInfo } from '../workspaceScan';
import type { DatasetFacts } from './datasetFacts';
import type { DatasetFactsAnswer, DatasetFactsRequest } from './dataSizesWorker';

/** Files above this size get no record count (reading them whole is not worth a tree item). */
const COUNT_LIMIT_BYTES = 32 * 1024 * 1024;

/** One data-scan worker, asked about files one after another. */
class FactsWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (facts: DatasetFacts | undefined) => void>();
  private nextId = 0;

  constructor(workerPath: string, memoryLimitMb: number) {
    this.worker = new Worker(workerPath, { resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb } });
    this.worker.on('message', (answer: DatasetFactsAnswer) => { this.pending.get(answer.id)?.(answer.facts); this.pending.delete(answer.id); });
    const failAll = () => { for (const resolve of this.pending.values()) resolve(undefined); this.pending.clear(); };
    this.worker.on('error', failAll);
    this.worker.on('exit', failAll);
  }

  facts(fileName: string, bytes: Uint8Array): Promise<DatasetFacts | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ kind: 'datasetFacts', id, fileName, bytes } satisfies DatasetFactsRequest, [bytes.buffer as ArrayBuffer]);
    });
  }

  dispose(): void { void this.worker.terminate(); }
}

export class DatasetScanner {
  private readonly cache = new Map<string, { stamp: string; info: DatasetInfo | undefined }>();

  constructor(private readonly workerPath: string) {}

  /** Facts of each data file, in the order given; files whose format is unknown are left out. */
  async describe(uris: readonly vscode.Uri[]): Promise<DatasetInfo[]> {
    let worker: FactsWorker | undefined;
    const infos: DatasetInfo[] = [];
    try {
      for (const uri of uris) {
        const info = await this.describeOne(uri, () => (worker ??= new FactsWorker(this.workerPath, readSettings(uri).workerMemoryLimitMb)));
        if (info) infos.push(info);
      }
    } finally {
      worker?.dispose();
    }
    const seen = new Set(uris.map((uri) => uri.toString()));
    for (const key of this.cache.keys()) if (!seen.has(key)) this.cache.delete(key);
    return infos;
  }

  private async describeOne(uri: vscode.Uri, worker: () => FactsWorker): Promise<DatasetInfo | undefined> {
    const fileName = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    const format = formatFromFileName(fileName);
    if (!format) return undefined;
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      return undefined; // deleted since the search
    }
    const stamp = `${stat.mtime}:${stat.size}`;
    const cached = this.cache.get(uri.toString());
    if (cached?.stamp === stamp) return cached.info;
    const unit = format === 'text' ? 'characters' : format === 'csv' ? 'rows' : 'records';
    let info: DatasetInfo | undefined = { uri, format, records: NaN, unit, bytes: stat.size };
    if (stat.size <= COUNT_LIMIT_BYTES) {
      try {
        const facts = await worker().facts(fileName, new Uint8Array(await vscode.workspace.fs.readFile(uri)));
        if (facts) info = { ...info, records: facts.records, purpose: facts.purpose };
      } catch {
        info = undefined; // unreadable
      }
    }
    this.cache.set(uri.toString(), { stamp, info });
    return info;
  }
}
