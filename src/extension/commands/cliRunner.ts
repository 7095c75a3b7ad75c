import { spawn } from 'node:child_process';
import * as vscode from 'vscode';

export interface CliResult { exitCode: number; stdout: string; stderr: string }

/**
 * Runs the bundled `rnn-lab` CLI (dist/cli.js) in a child process, so evaluation, sampling, prediction,
 * gradient checks and export never run on the extension host thread. The CLI reads local files, so
 * its arguments must be `file:` URIs (virtual workspaces get a clear error instead).
 */
export class CliRunner {
  constructor(private readonly cliPath: string, private readonly log: vscode.LogOutputChannel) {}

  static localPath(uri: vscode.Uri): string {
    if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not on the local disk: this command runs the rnn-lab CLI, which needs a folder on disk`);
    return uri.fsPath;
  }

  run(args: string[], cwd: string, token?: vscode.CancellationToken): Promise<CliResult> {
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
