/**
 * Where runs live, as the `rnnLab.runsFolder` setting says (per workspace folder, relative to each
 * spec's folder): globs for watching their summary.json files and for keeping their metrics.jsonl
 * out of the dataset scan. The default `.rnnlab/runs` is always included, so runs made before the
 * setting changed are still recognised.
 */
import * as vscode from 'vscode';
import { readSettings } from './settings';

const DEFAULT_RUNS_FOLDER = '.rnnlab/runs';

/** The runs folder settings in use, normalised to `a/b` (no `.` segments, forward slashes). */
export function runsFolderPaths(): string[] {
  const settings = [DEFAULT_RUNS_FOLDER, readSettings().runsFolder,
    ...(vscode.workspace.workspaceFolders ?? []).map((folder) => readSettings(folder.uri).runsFolder)];
  const paths = settings.map((setting) => setting.split(/[\\/]+/).filter((segment) => segment && segment !== '.').join('/'));
  return [...new Set(paths.filter((path) => path !== '' && !path.split('/').includes('..')))];
}

/** A literal path inside a glob: the glob's special characters each in a character class. */
const globLiteral = (path: string): string => path.replace(/[*?[\]{}!]/g, (c) => `[${c}]`);


/** What workspace searches for specs and datasets leave out: dependencies, git, and every runs folder. */
export function scanExcludeGlob(): string {
  return `{**/node_modules/**,**/.git/**,**/.rnnlab/**,${runsFolderPaths().map((path) => `**/${globLiteral(path)}/**`).join(',')}}`;
}

/** Whether a file lies inside a runs folder (a run's metrics.jsonl is not a dataset). */
export function isInRunsFolder(uri: vscode.Uri): boolean {
  return runsFolderPaths().some((path) => `${uri.path}/`.includes(`/${path}/`));
}

/**
 * Watches the summary.json of every run folder, following `rnnLab.runsFolder`. One watcher on every
 * `summary.json`, filtered by the current setting, so a changed setting applies at once (a watcher
 * made anew would take a moment to start). `onDidChange` gives the run folder.
 */
export class RunFolderWatcher implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** `<runs folder>/<run>/summary.json` anywhere: the filter below keeps those of a runs folder. */
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/summary.json');

  constructor() {
    const fire = (uri: vscode.Uri) => { if (RunFolderWatcher.isRunSummary(uri)) this.changed.fire(vscode.Uri.joinPath(uri, '..')); };
    this.watcher.onDidCreate(fire);
    this.watcher.onDidChange(fire);
    this.watcher.onDidDelete(fire);
  }

  /** Whether a file is `<runs folder>/<run>/summary.json` for the runs folder settings in use now. */
  static isRunSummary(uri: vscode.Uri): boolean {
    if (!uri.path.endsWith('/summary.json')) return false;
    const runsFolder = vscode.Uri.joinPath(uri, '..', '..').path;
    return runsFolderPaths().some((path) => runsFolder.endsWith(`/${path}`));
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
