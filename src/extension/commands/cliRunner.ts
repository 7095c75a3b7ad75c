import { spawn } from 'node:child_process';
import * as vscode from 'vscode';

export interface CliResult { exitCode: number; stdout: string; stderr: string }

/** What the CLI may read: `isTrusted` is `vscode.workspace.isTrusted`; `folders` the local workspace folders. */
export interface WorkspaceTrustState { isTrusted: boolean; folders: readonly string[] }

/** The trust state of this window. */
export function currentTrust(): WorkspaceTrustState {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return { isTrusted: vscode.workspace.isTrusted, folders };
}

/**
 * The CLI's arguments for a trust state: in an untrusted workspace, every workspace folder as
 * `--allow-root`, so that the CLI reads specs, data and runs only inside them (symlinks resolved).
 * Untrusted with no local folder, nothing may be read: that is an error, never an unrestricted run.
 */
export function cliArguments(args: readonly string[], trust: WorkspaceTrustState): string[] {
  if (trust.isTrusted) return [...args];
  if (trust.folders.length === 0) throw new Error('this window is untrusted and has no folder on disk: trust the workspace (or open a folder) to run the rnn-lab CLI');
  return [...args, ...trust.folders.flatMap((folder) => ['--allow-root', folder])];
}

/**
 * Runs the bundled `rnn-lab` CLI (dist/cli.js) in a child process, so evaluation, sampling, prediction,
 * gradient checks and export never run on the extension host thread. The CLI reads local files, so
 * its arguments must be `file:` URIs (virtual workspaces get a clear error instead).
 */
export class CliRunner {
  constructor(private readonly cliPath: string, private readonly log: vscode.LogOutputChannel,
    private readonly trust: () => WorkspaceTrustState = currentTrust) {}

  static localPath(uri: vscode.Uri): string {
    if (uri.scheme !== 'file') {
      throw new Error(`${uri.toString()} is not on the local disk. Evaluate, Sample, Predict, Check Gradients and Export run the rnn-lab CLI, which needs local files: open a folder on disk`);
    }
    return uri.fsPath;
  }

  /** Runs `rnn-lab …args` (with `--allow-root` for each workspace folder when the workspace is untrusted). */
  async run(commandArgs: string[], cwd: string, token?: vscode.CancellationToken): Promise<CliResult> {
    const args = cliArguments(commandArgs, this.trust());
    this.log.info(`rnn-lab ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
    return new Promise((resolve, reject) => {
      // process.execPath is Electron in desktop VS Code: ELECTRON_RUN_AS_NODE makes it a plain Node.
      const child = spawn(process.execPath, [this.cliPath, ...args], { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      token?.onCancellationRequested(() => child.kill());
      child.on('error', reject);
      child.on('close', (code) => {
        if (stderr.trim()) this.log.info(stderr.trimEnd());
        resolve({ exitCode: code ?? 1, stdout, stderr });
      });
    });
  }

  /** The last JSON line of stdout (`--json` ends with a `done`/`error` line), or undefined. */
  static lastJsonLine(stdout: string): Record<string, unknown> | undefined {
    const lines = stdout.trim().split('\n').reverse();
    for (const line of lines) {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch { /* not JSON: keep looking */ }
    }
    return undefined;
  }
}
