/**
 * `rnn-lab sweep <spec> [--parallel N] [--json] [--resume <id>]`: one training per trial of the spec's
 * `sweep`, the plan and progress in `.rnnlab/sweeps/<id>.json` beside the runs folder. One trial at a
 * time trains in this process; with `--parallel N` > 1 each trial trains in a worker thread (trialWorker.ts). Ctrl-C
 * checkpoints the running trials, then exits 130; `--resume <id>` continues.
 */
import { availableParallelism, hostname } from 'node:os';
import * as path from 'node:path';
import type { BackendPreference } from '../../engine/kernels/selectBackend';
import type { TrainingEvent } from '../../train/events';
import { formatErrorLine } from '../../train/errors';
import { runSweep, type SweepEvent } from '../../train/sweep/runSweep';
import { SWEEPS_FOLDER } from '../../train/sweep/sweepRecord';
import { train } from '../../train/trainer';
import { EXIT_INTERRUPTED, fail } from '../failure';
import { FileAccess, type AllowRootOptions } from '../fileAccess';
import { formatMetrics } from '../../format/metrics';
import { defaultRunsDir } from '../runLocation';
import { trainTrialInWorker } from '../trialWorker';

export interface SweepCommandOptions extends AllowRootOptions {
  parallel?: number; json?: boolean; resume?: string; runsDir?: string; backend?: BackendPreference;
}

export async function sweepCommand(spec: string, options: SweepCommandOptions): Promise<void> {
  const json = options.json ?? false;
  const specPath = path.resolve(spec);
  try {
    const files = FileAccess.fromOptions(options);
    const specText = new TextDecoder().decode(files.read(specPath));
    const runsDir = options.runsDir ? path.resolve(options.runsDir) : defaultRunsDir(specPath);
    const sweepsDir = path.join(path.dirname(runsDir), SWEEPS_FOLDER);
    const runs = files.runStore(runsDir);
    const controller = new AbortController();
    let interrupts = 0;
    const onInterrupt = () => {
      if (++interrupts > 1) process.exit(EXIT_INTERRUPTED);
      process.stderr.write('\nInterrupted: writing a checkpoint of each running trial (Ctrl-C again to quit at once)…\n');
      controller.abort();
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
    const say = json ? (event: SweepEvent) => process.stdout.write(JSON.stringify(event) + '\n') : humanSweepPrinter();
    const record = await runSweep({
      specText,
      specPath,
      specFileFromSweeps: path.relative(sweepsDir, specPath).split(path.sep).join('/'),
      sweeps: files.runStore(sweepsDir),
      runs,
      resume: options.resume?.replace(/\.json$/i, ''),
      parallel: options.parallel,
      totalThreads: availableParallelism(),
      runLocation: (runId) => path.join(runsDir, runId),
      onEvent: say,
      signal: controller.signal,
      trainTrial: (job) => ((options.parallel ?? 1) > 1 ? trainTrialInWorker(job, {
        specPath, read: files.dataReader(specPath), runs, runsDir, backend: options.backend, signal: controller.signal,
        onEvent: json ? () => undefined : trialPrinter(job.trial),
      }) : train({
        specText: job.specText,
        specPath,
        read: files.dataReader(specPath),
        store: runs,
        runLocation: (runId) => path.join(runsDir, runId),
        specFileFromRun: (runId) => path.relative(path.join(runsDir, runId), specPath).split(path.sep).join('/'),
        ...(job.resume ? { resume: job.runId } : { runId: job.runId }),
        onEvent: json ? () => undefined : trialPrinter(job.trial),
        signal: controller.signal,
        backend: options.backend,
        owner: { pid: process.pid, host: hostname() },
        sweep: job.sweep,
        threads: job.threads,
        stopAfterEpoch: job.stopAfterEpoch,
      })),
    });
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    if (record.status === 'cancelled' && controller.signal.aborted) {
      process.stderr.write(`Sweep cancelled; continue with: rnn-lab sweep ${spec} --resume ${record.id}\n`);
      process.exit(EXIT_INTERRUPTED);
    }
  } catch (error) {
    fail(error, specPath, json);
  }
}

/** A trial's training events in words, each line marked with its trial (trials may run at once). */
function trialPrinter(trial: number): (event: TrainingEvent) => void {
  const mark = `[trial ${trial}]`;
  return (event) => {
    if (event.event === 'metrics') process.stdout.write(`${mark} epoch ${event.epoch} ${event.split.padEnd(10)} ${formatMetrics(event.metrics)}\n`);
    else if (event.event === 'warning') process.stderr.write(`${mark} warning: ${formatErrorLine(event)}\n`);
    else if (event.event === 'error') process.stderr.write(`${mark} ${formatErrorLine(event)}\n`);
  };
}

function humanSweepPrinter(): (event: SweepEvent) => void {
  const show = (parameters: Record<string, unknown>) => Object.entries(parameters).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('  ');
  let monitor = 'validation loss';
  return (event) => {
    const line = (text: string) => process.stdout.write(text + '\n');
    switch (event.event) {
      case 'sweep':
        monitor = event.monitor;
        line(`Sweep ${event.id}: ${event.method}, ${event.trials} trials (${event.toRun} to run), ${event.parallel} at once, ${event.threads} thread(s) each; comparing ${event.monitor}`);
        break;
      case 'trialStart':
        line(`Trial ${event.trial}${event.resumed ? ' (resumed)' : ''}: ${show(event.parameters)}\nRun: ${event.run}`);
        break;
      case 'trialEnd':
        line(`Trial ${event.trial}: ${event.status}${event.best !== null ? `, best ${monitor} ${event.best.toFixed(4)}` : ''}${event.message ? ` (${event.message})` : ''}`);
        break;
      case 'sweepDone':
        line(`Sweep ${event.status}.${event.best ? ` Best: trial ${event.best.trial}, ${monitor} ${event.best.value.toFixed(4)}\nRun: ${event.best.run}` : ''}`);
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unknown sweep event ${JSON.stringify(unknown)}`);
      }
    }
  };
}
