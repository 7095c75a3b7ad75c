import { hostname } from 'node:os';
import { isOrphaned, type RunOwner } from '../train/runStatus';
import * as vscode from 'vscode';
import type { DataFormat } from '../modelSpec';
import { scanExcludeGlob } from './runsFolders';
import { specFolderOfRun, runsFolderOf } from './settings';

export const SPEC_GLOB = '**/*.rnn.json';
export const DATASET_GLOB = '**/*.{txt,csv,jsonl,tsv}';
const MAX_FILES = 2000;

/** Every `*.rnn.json` in every workspace folder, sorted by path. */
export async function findSpecs(): Promise<vscode.Uri[]> {
  return sortByPath(await vscode.workspace.findFiles(SPEC_GLOB, scanExcludeGlob(), MAX_FILES));
}

export async function findDatasets(): Promise<vscode.Uri[]> {
  return sortByPath(await vscode.workspace.findFiles(DATASET_GLOB, scanExcludeGlob(), MAX_FILES));
}

function sortByPath(uris: vscode.Uri[]): vscode.Uri[] {
  return uris.sort((a, b) => a.toString().localeCompare(b.toString()));
}

export interface DatasetInfo {
  uri: vscode.Uri;
  format: DataFormat;
  records: number;
  unit: 'records' | 'characters' | 'rows';
  bytes: number;
  /** What a model for it would do, e.g. `character LM`, `classification` (undefined when the task cannot be told). */
  purpose?: string;
}

export interface RunInfo {
  uri: vscode.Uri;
  id: string;
  /** The `name` in the run's spec.json, which ties the run to its spec. */
  specName: string | undefined;
  status: string;
  metrics: Record<string, number>;
  startedAt: Date | undefined;
  durationMs: number | undefined;
  resumable: boolean;
  /** summary.json's `message`: why a run failed, diverged or was cancelled. */
  message?: string;
}

export async function readJsonFile(uri: vscode.Uri): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** `20250101-093000-name` → that local time. */
function startOfRunId(id: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(id);
  return match ? new Date(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]) : undefined;
}

/** Whether a process of this host is alive (signal 0 tests without signalling; EPERM: alive, not ours). */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a run folder says about itself (summary.json when finished, state.json while a checkpoint exists). */
export async function describeRun(uri: vscode.Uri, activeRunIds: readonly string[]): Promise<RunInfo> {
  const id = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  const [summary, spec, state] = await Promise.all(['summary.json', 'spec.json', 'state.json'].map((f) => readJsonFile(vscode.Uri.joinPath(uri, f))));
  const startedAt = startOfRunId(id);
  let status = typeof summary?.status === 'string' ? summary.status : state ? 'stopped' : 'incomplete';
  let message = typeof summary?.message === 'string' ? summary.message : undefined;
  const trainsIt = activeRunIds.includes(id);
  if (trainsIt) status = 'running';
  else if (summary && isOrphaned(summary, { host: hostname(), pid: process.pid, trainsIt, isAlive: processIsAlive })) {
    status = 'interrupted';
    message = `the process that trained it (pid ${(summary.owner as RunOwner).pid}) is gone; resume it to continue from its last checkpoint`;
  }
  const metrics = (summary?.metrics && typeof summary.metrics === 'object' ? summary.metrics : {}) as Record<string, number>;
  let durationMs = typeof summary?.durationMs === 'number' ? summary.durationMs : undefined;
  if (durationMs === undefined && startedAt) {
    try {
      durationMs = (await vscode.workspace.fs.stat(vscode.Uri.joinPath(uri, summary ? 'summary.json' : 'state.json'))).mtime - startedAt.getTime();
    } catch { /* no file to date the end by */ }
  }
  return {
    uri, id, specName: typeof spec?.name === 'string' ? spec.name : undefined, status, metrics, startedAt, durationMs,
    // A run killed before its first checkpoint (spec.json, no state.json) resumes from the beginning.
    resumable: (!!state || !!spec) && status !== 'running' && status !== 'done' && status !== 'completed',
    ...(message !== undefined && { message }),
  };
}

/** The runs of one spec: folders of its runs folder whose spec.json names it, newest first. */
export async function listRuns(specUri: vscode.Uri, specName: string, activeRunIds: readonly string[]): Promise<RunInfo[]> {
  const runsFolder = runsFolderOf(specUri);
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(runsFolder);
  } catch {
    return [];
  }
  const runs = await Promise.all(entries.filter(([, type]) => type === vscode.FileType.Directory)
    .map(([name]) => describeRun(vscode.Uri.joinPath(runsFolder, name), activeRunIds)));
  return runs.filter((run) => run.specName === specName || (!run.specName && run.id.endsWith(`-${specName}`)))
    .sort((a, b) => b.id.localeCompare(a.id));
}

/** The spec a run belongs to, among the workspace's specs. */
export async function specOfRun(runUri: vscode.Uri, specNameOf: (spec: vscode.Uri) => Promise<string>): Promise<vscode.Uri | undefined> {
  const folder = specFolderOfRun(runUri).toString();
  const run = await describeRun(runUri, []);
  for (const spec of await findSpecs()) {
    if (vscode.Uri.joinPath(spec, '..').toString() !== folder) continue;
    const name = await specNameOf(spec);
    if (run.specName === name || run.id.endsWith(`-${name}`)) return spec;
  }
  return undefined;
}
