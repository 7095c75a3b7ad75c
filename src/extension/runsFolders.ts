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
 * Watches the summary.json of every run folder, following `rnnLab.runsFolder`: the watcher is
 * rebuilt when the setting changes. `onDidChange` gives the run folder.
 */
export class RunFolderWatcher implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private watchers: vscode.FileSystemWatcher[] = [];
  private readonly configListener: vscode.Disposable;

  constructor() {
    this.watch();
    this.configListener = vscode.workspace.onDidChangeConfiguration((change) => {
      if (change.affectsConfiguration('rnnLab.runsFolder')) this.watch();
    });
  }

  /** The globs watched now, one per runs folder setting (the file watcher takes no `**` inside braces). */
  get globs(): string[] { return runsFolderPaths().map((path) => `**/${globLiteral(path)}/*/summary.json`); }

  private watch(): void {
    for (const watcher of this.watchers) watcher.dispose();
    const fire = (uri: vscode.Uri) => this.changed.fire(vscode.Uri.joinPath(uri, '..'));
    this.watchers = this.globs.map((glob) => {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      watcher.onDidCreate(fire);
      watcher.onDidChange(fire);
      watcher.onDidDelete(fire);
      return watcher;
    });
  }

  dispose(): void {
    for (const watcher of this.watchers) watcher.dispose();
    this.configListener.dispose();
    this.changed.dispose();
  }
}
