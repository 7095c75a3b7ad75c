/**
 * How far a sweep got, for the Runs view's sweep node: its status as a person should read it and
 * its trial count. A record still says `running` after the process that ran it died (the editor
 * closed, the CLI was killed); with no trial training now and nobody here running it, it is
 * `interrupted`, and like a cancelled sweep it can be resumed (`--resume <id>`, Resume Sweep).
 */
import { needsRun, type SweepRecord } from './sweepRecord';

export type SweepProgressStatus = 'running' | 'completed' | 'cancelled' | 'interrupted';

export interface SweepProgress {
  status: SweepProgressStatus;
  /** Trials that need no more training (completed, stopped, diverged…). */
  finished: number;
  trials: number;
  /** Cancelled or interrupted with trials left to run. */
  resumable: boolean;
}

/**
 * `runStatus`: a trial run's status as the Runs view shows it (`running` while a process trains it);
 * `runningHere`: this process runs the sweep (between two trials no trial is running).
 */
export function sweepProgress(record: SweepRecord, runStatus: (runId: string) => string | undefined, runningHere: boolean): SweepProgress {
  const trialRunning = record.trials.some((t) => t.runId !== undefined && runStatus(t.runId) === 'running');
  const status: SweepProgressStatus = record.status !== 'running' ? record.status : runningHere || trialRunning ? 'running' : 'interrupted';
  const left = record.trials.filter(needsRun).length;
  return { status, finished: record.trials.length - left, trials: record.trials.length, resumable: (status === 'cancelled' || status === 'interrupted') && left > 0 };
}
