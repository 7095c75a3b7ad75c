/**
 * The sweeps of a spec, for the Runs view: each `.rnnlab/sweeps/<id>.json` beside the spec's runs
 * folder whose spec file is this spec (or, for a record moved with its folder, whose name is the
 * spec's), newest first, with its progress and the runs of its trials.
 */
import * as vscode from 'vscode';
import { sweepProgress, type SweepProgress } from '../../train/sweep/sweepProgress';
import { readSweep, SWEEPS_FOLDER, type SweepRecord } from '../../train/sweep/sweepRecord';
import { runsFolderOf } from '../settings';
import { VscodeRunStore } from '../training/vscodeRunStore';
import type { RunInfo } from '../workspaceScan';

export interface SweepInfo extends SweepProgress {
  id: string;
  specUri: vscode.Uri;
  /** The runs of its trials that exist, in trial order. */
  runs: RunInfo[];
}

/** `.rnnlab/runs` → `.rnnlab/sweeps` (rnnLab.runsFolder moves both). */
export const sweepsFolderOf = (specUri: vscode.Uri) => vscode.Uri.joinPath(runsFolderOf(specUri), '..', SWEEPS_FOLDER);

/** `runs`: the spec's runs (listRuns); `runningHere`: the sweep ids this window is running. */
export async function listSweeps(specUri: vscode.Uri, specName: string, runs: RunInfo[], runningHere: readonly string[]): Promise<SweepInfo[]> {
  const folder = sweepsFolderOf(specUri);
  const store = new VscodeRunStore(folder);
  let names: string[];
  try {
    names = (await store.list('')).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const byId = new Map(runs.map((run) => [run.id, run]));
  const sweeps: SweepInfo[] = [];
  for (const name of names) {
    const record = await readSweep(store, name.slice(0, -'.json'.length)).catch(() => undefined);
    if (!record || !isSweepOf(record, folder, specUri, specName)) continue;
    const trialRuns = record.trials.flatMap((t) => (t.runId && byId.get(t.runId)) || []);
    const progress = sweepProgress(record, (runId) => byId.get(runId)?.status, runningHere.includes(record.id));
    sweeps.push({ ...progress, id: record.id, specUri, runs: trialRuns });
  }
  return sweeps.sort((a, b) => b.id.localeCompare(a.id));
}

function isSweepOf(record: SweepRecord, folder: vscode.Uri, specUri: vscode.Uri, specName: string): boolean {
  if (typeof record.specFile === 'string' && vscode.Uri.joinPath(folder, record.specFile).toString() === specUri.toString()) return true;
  return record.name === specName;
}
