import * as vscode from 'vscode';
import type { BackendPreference } from '../engine/kernels/selectBackend';

/** The `rnnLab.*` settings of package.json, typed, with the manifest's defaults. */
export interface RnnLabSettings {
  runsFolder: string;
  defaultSeed: number;
  maxConcurrentTrainings: number;
  progressUpdatesPerSecond: number;
  backend: BackendPreference;
  workerMemoryLimitMb: number;
  /** 0: automatic (the cores divided among maxConcurrentTrainings). */
  trainingThreads: number;
}

export function readSettings(scope?: vscode.Uri): RnnLabSettings {
  const config = vscode.workspace.getConfiguration('rnnLab', scope);
  return {
    runsFolder: config.get('runsFolder', '.rnnlab/runs'),
    defaultSeed: config.get('defaultSeed', 1),
    maxConcurrentTrainings: config.get('maxConcurrentTrainings', 1),
    progressUpdatesPerSecond: config.get('progressUpdatesPerSecond', 4),
    backend: config.get<BackendPreference>('backend', 'auto'),
    workerMemoryLimitMb: config.get('workerMemoryLimitMb', 2048),
    trainingThreads: config.get('trainingThreads', 0),
  };
}

/** Segments of the runs folder setting (`.rnnlab/runs` → ['.rnnlab', 'runs']). */
function runsFolderSegments(scope: vscode.Uri): string[] {
  return readSettings(scope).runsFolder.split(/[\\/]+/).filter((segment) => segment && segment !== '.');
}

/** The runs folder of a spec: `<spec's folder>/<rnnLab.runsFolder>`. */
export function runsFolderOf(specUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(specUri, '..', ...runsFolderSegments(specUri));
}

/** The folder whose specs own a run folder: the inverse of runsFolderOf, one level up from the run. */
export function specFolderOfRun(runUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(runUri, '..', ...runsFolderSegments(runUri).map(() => '..'));
}
