/** `rnn-lab train <spec>`: trains (or resumes) a run beside the spec; Ctrl-C checkpoints, then exits. */
import { hostname } from 'node:os';
import * as path from 'node:path';
import { PauseGate } from '../../train/pauseGate';
import type { BackendPreference } from '../../engine/kernels/selectBackend';
import { train } from '../../train/trainer';
import { fail } from '../failure';
import { FileAccess, type AllowRootOptions } from '../fileAccess';
import { humanPrinter, jsonPrinter } from '../output';
import { defaultRunsDir, locateRun } from '../runLocation';
import { withSweepNote } from '../sweepNote';

export interface TrainCommandOptions extends AllowRootOptions {
  epochs?: number; json?: boolean; resume?: string; runsDir?: string; seed?: number; backend?: BackendPreference;
}

export async function trainCommand(spec: string, options: TrainCommandOptions): Promise<void> {
  const json = options.json ?? false;
  const specPath = path.resolve(spec);
  try {
    const files = FileAccess.fromOptions(options);
    const specText = new TextDecoder().decode(files.read(specPath));
    let runsDir = options.runsDir ? path.resolve(options.runsDir) : defaultRunsDir(specPath);
    let resume: string | undefined;
    if (options.resume) ({ runsDir, runId: resume } = locateRun(options.resume, runsDir));
    const store = files.runStore(runsDir);
    const controller = new AbortController();
    let interrupts = 0;
    const onInterrupt = () => {
      if (++interrupts > 1) process.exit(130);
      process.stderr.write('\nInterrupted: writing a checkpoint (Ctrl-C again to quit at once)…\n');
      controller.abort();
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
    const summary = await train({
      specText,
      specPath,
      read: files.dataReader(specPath),
      store,
      runLocation: (runId) => path.join(runsDir, runId),
      specFileFromRun: (runId: string) => path.relative(path.join(runsDir, runId), specPath).split(path.sep).join('/'),
      resume,
      overrides: { epochs: options.epochs, seed: options.seed },
      onEvent: withSweepNote(specText, json ? jsonPrinter() : humanPrinter()),
      signal: controller.signal,
      pause: new PauseGate(),
      backend: options.backend,
      owner: { pid: process.pid, host: hostname() },
    });
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    if (!json) process.stdout.write(`Status: ${summary.status}, ${summary.completedEpochs} epochs in ${(summary.elapsedMs / 1000).toFixed(1)} s\n`);
  } catch (error) {
    fail(error, specPath, json);
  }
}
