import * as vscode from 'vscode';
import { formatDuration } from '../../format/duration';
import { formatMetrics } from '../../format/metrics';
import { relativePath } from '../relativePath';
import type { ControlAction, TrainingEvent as PanelTrainingEvent } from '../../protocol/hostWebview';
import type { StartMessage } from '../../protocol/hostWorker';
import { PENDING_DIR } from '../../train/checkpointSet';
import type { DoneEvent, InfoEvent, ProgressEvent, StartEvent, TrainingEvent, WarningEvent } from '../../train/events';
import type { LiveRunState } from '../panels/types';
import type { TrialJob } from '../../train/sweep/runSweep';
import { newRunId } from '../../train/runStore';
import { markRunFailed } from '../../train/runStatus';
import { readSettings, runsFolderOf } from '../settings';
import { formatBytes } from './memoryEstimate';
import { gatherTrainingInputs, type TrainingInputs } from './trainingInputs';
import { TrainingQueue } from './trainingQueue';
import { TrainingSession, type SessionStatus } from '../../protocol/trainingSession';
import type { TrainingStatusBar } from './trainingStatusBar';
import { VscodeRunStore } from './vscodeRunStore';

export interface TrainingOutcome {
  status: SessionStatus;
  runUri?: vscode.Uri;
  metrics?: DoneEvent['metrics'];
  message?: string;
  /** Estimated memory of the run, in bytes. */
  estimatedBytes?: number;
}

/** A sweep's trial to train (src/train/sweep/runSweep.ts TrialJob, with the runs folder's store). */
export type TrialLaunch = Pick<TrialJob, 'specText' | 'runId' | 'resume' | 'sweep' | 'threads' | 'stopAfterEpoch'>;

/** A training that was asked for: waiting in the queue, then running. */
interface Job {
  runId: string;
  cancelled: boolean;
  /** Paused by the user (Pause in the dashboard), until Resume. */
  paused: boolean;
  session?: TrainingSession;
  latest?: ProgressEvent;
  /** The run's `start` event and its data warnings and notes, for a dashboard opened mid-run. */
  start?: StartEvent;
  notes: (WarningEvent | InfoEvent)[];
}

/** Warnings and notes a job keeps for late dashboards. */
const MAX_JOB_NOTES = 100;

/**
 * Trains specs in worker threads: gathers the inputs on the host (workspace.fs), refuses a run whose
 * estimated memory exceeds the worker's limit, queues runs up to `rnnLab.maxConcurrentTrainings`,
 * and shows each one as a cancellable progress notification, in the status bar and in the log.
 */
/** A training event and the run it belongs to; undefined marks a run that ended. */
export type TrainingChange = { runId: string; event: TrainingEvent } | undefined;

export class TrainingService implements vscode.Disposable {
  private readonly queue = new TrainingQueue(() => readSettings().maxConcurrentTrainings);
  private readonly jobs = new Set<Job>();
  private readonly changed = new vscode.EventEmitter<TrainingChange>();
  /** Fires on every training event (and with undefined when a run ends): views refresh, panels listen. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly workerPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly statusBar: TrainingStatusBar,
  ) {}

  /** Trains a spec into a new run; resolves when the run has ended (done, cancelled or error). */
  async train(specUri: vscode.Uri): Promise<TrainingOutcome> {
    let inputs: TrainingInputs;
    try {
      inputs = await gatherTrainingInputs(specUri);
    } catch (error) {
      return this.refuse((error as Error).message);
    }
    const tooBig = this.refuseTooBig(inputs);
    if (tooBig) return tooBig;
    const store = new VscodeRunStore(runsFolderOf(specUri));
    const runId = await newRunId(store, inputs.spec.name, new Date());
    const outcome = await this.launch(inputs, store, runId, undefined);
    // A run that never wrote a file (cancelled while queued, bad data) leaves no empty folder behind.
    if ((await store.list(runId)).length === 0) await store.remove(runId).then(undefined, () => undefined);
    return outcome;
  }

  /** Continues a run from its last checkpoint (the trainer refuses a spec or data that changed since). */
  async resume(specUri: vscode.Uri, runUri: vscode.Uri): Promise<TrainingOutcome> {
    let inputs: TrainingInputs;
    try {
      inputs = await gatherTrainingInputs(specUri);
    } catch (error) {
      return this.refuse((error as Error).message);
    }
    const store = new VscodeRunStore(vscode.Uri.joinPath(runUri, '..'));
    const runId = runUri.path.slice(runUri.path.lastIndexOf('/') + 1);
    const removed = await store.removeTemporaries(runId) + await store.removeTemporaries(`${runId}/${PENDING_DIR}`);
    if (removed > 0) this.log.info(`${runId}: removed ${removed} temporary file${removed === 1 ? '' : 's'} of an interrupted write`);
    const runFiles = await readRunFolder(store, runId);
    if (!runFiles[`${runId}/spec.json`]) return this.refuse(`${runId} is not a run folder: it has no spec.json to resume from`);
    return this.refuseTooBig(inputs) ?? this.launch(inputs, store, runId, runFiles);
  }

  /**
   * Trains (or resumes) one trial of a sweep into the runs folder of `specUri`, through the same queue
   * and concurrency limit as Train.
   */
  async trainTrial(specUri: vscode.Uri, trial: TrialLaunch): Promise<TrainingOutcome> {
    let inputs: TrainingInputs;
    try {
      inputs = await gatherTrainingInputs(specUri, trial.specText);
    } catch (error) {
      return this.refuse((error as Error).message);
    }
    const store = new VscodeRunStore(runsFolderOf(specUri));
    const runFiles = trial.resume ? await readRunFolder(store, trial.runId) : undefined;
    return this.refuseTooBig(inputs) ?? this.launch(inputs, store, trial.runId, runFiles, trial);
  }

  /** Cancels every run (or the one with this id), running or queued. Returns how many were cancelled. */
  stop(runId?: string): number {
    let count = 0;
    for (const job of this.jobs) {
      if (runId && job.runId !== runId) continue;
      if (job.cancelled) continue;
      job.cancelled = true;
      job.session?.cancel();
      count++;
    }
    return count;
  }

  /** The dashboard's view of the service (src/extension/panels TrainingEventSource). */
  onEvent(runId: string, listener: (event: PanelTrainingEvent) => void): vscode.Disposable {
    // The webview's type requires `loss` among a metrics event's metrics, which the trainer always reports.
    return this.onDidChange((change) => { if (change?.runId === runId) listener(change.event as PanelTrainingEvent); });
  }

  control(runId: string, action: ControlAction): void {
    const job = this.jobOf(runId);
    if (action === 'stop') this.stop(runId);
    else if (!job?.session) return;
    else if (action === 'pause') { job.session.pause(); job.paused = true; }
    else { job.session.resume(); job.paused = false; }
  }

  liveState(runId: string): LiveRunState | undefined {
    const job = this.jobOf(runId);
    if (!job) return undefined;
    const events: TrainingEvent[] = [...(job.start ? [job.start] : []), ...job.notes, ...(job.latest ? [job.latest] : [])];
    return { paused: job.paused, events };
  }

  private jobOf(runId: string): Job | undefined {
    return [...this.jobs].find((candidate) => candidate.runId === runId);
  }

  isLive(runId: string): boolean {
    return this.activeRunIds.includes(runId);
  }

  get activeRunIds(): string[] {
    return [...this.jobs].map((job) => job.runId);
  }

  private refuse(message: string): TrainingOutcome {
    this.log.error(`training not started: ${message}`);
    void vscode.window.showErrorMessage(`RNN Lab: ${message}`);
    return { status: 'error', message };
  }

  /** The refusal of a run whose estimated memory exceeds the worker's limit, before any run folder is made. */
  private refuseTooBig(inputs: TrainingInputs): TrainingOutcome | undefined {
    const limitMb = readSettings(inputs.specUri).workerMemoryLimitMb;
    if (inputs.memory.bytes <= limitMb * 1024 * 1024) return undefined;
    return { ...this.refuse(`${inputs.spec.name} needs about ${formatBytes(inputs.memory.bytes)}, more than the worker's limit of ${limitMb} MB (rnnLab.workerMemoryLimitMb): reduce hiddenSize, layers, batchSize or the sequence length`), estimatedBytes: inputs.memory.bytes };
  }

  private async launch(inputs: TrainingInputs, store: VscodeRunStore, runId: string, runFiles: Record<string, Uint8Array> | undefined, trial?: TrialLaunch): Promise<TrainingOutcome> {
    const settings = readSettings(inputs.specUri);
    const estimate = `${formatBytes(inputs.memory.bytes)} estimated for ${inputs.memory.parameters.toLocaleString('en')} parameters`;
    this.log.info(`${runFiles ? 'resume' : 'train'} ${vscode.workspace.asRelativePath(inputs.specUri)} → ${runId} (${estimate})`);
    const job: Job = { runId, cancelled: false, paused: false, notes: [] };
    this.jobs.add(job);
    this.refreshStatus();
    const title = `RNN Lab: training ${inputs.spec.name}${trial ? ` (sweep trial ${trial.sweep.trial})` : ''}`;
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => this.stop(runId));
      progress.report({ message: `queued · ${estimate}` });
      return this.queue.run(() => (job.cancelled ? Promise.resolve<TrainingOutcome>({ status: 'cancelled' }) : this.runSession(job, inputs, store, runFiles, settings, progress, trial)));
    });
    this.jobs.delete(job);
    this.refreshStatus();
    this.changed.fire(undefined);
    return { ...outcome, runUri: store.uriOf(runId), estimatedBytes: inputs.memory.bytes };
  }

  private async runSession(job: Job, inputs: TrainingInputs, store: VscodeRunStore, runFiles: Record<string, Uint8Array> | undefined,
    settings: ReturnType<typeof readSettings>, progress: vscode.Progress<{ message?: string; increment?: number }>, trial?: TrialLaunch): Promise<TrainingOutcome> {
    const start: StartMessage = {
      type: 'start', specText: inputs.specText, specPath: inputs.specUri.path.slice(inputs.specUri.path.lastIndexOf('/') + 1),
      files: inputs.files, runId: job.runId, backend: settings.backend, ...(runFiles ? { resume: true, runFiles } : {}),
      ...(settings.trainingThreads >= 1 && { defaultThreads: settings.trainingThreads }),
      concurrentTrainings: Math.max(1, settings.maxConcurrentTrainings),
      // Every run folder is one level below the runs folder, so this path is the same for all of them.
      specFileFromRun: relativePath(store.uriOf(job.runId), inputs.specUri),
      ...(trial && { sweep: trial.sweep, threads: trial.threads, askStopAfterEpoch: true }),
    };
    const minIntervalMs = 1000 / settings.progressUpdatesPerSecond;
    let lastUpdate = 0;
    let reported = 0;
    const session = new TrainingSession({
      workerPath: this.workerPath, start, store, memoryLimitMb: settings.workerMemoryLimitMb,
      ...(trial && { stopAfterEpoch: trial.stopAfterEpoch }),
      onEvent: (event) => {
        this.changed.fire({ runId: job.runId, event });
        if (event.event === 'start') job.start = event;
        else if ((event.event === 'warning' || event.event === 'info') && job.notes.length < MAX_JOB_NOTES) job.notes.push(event);
        if (event.event === 'progress') {
          job.latest = event;
          const now = Date.now();
          if (now - lastUpdate < minIntervalMs) return;
          lastUpdate = now;
          const done = 100 * ((event.epoch - 1) * event.batches + event.batch) / (event.epochs * event.batches);
          progress.report({ message: progressMessage(event), increment: Math.max(0, done - reported) });
          reported = Math.max(reported, done);
          this.refreshStatus();
        } else {
          this.logEvent(job.runId, event);
        }
      },
    });
    job.session = session;
    session.onOutput((text) => this.log.debug(`[worker ${job.runId}] ${text.trimEnd()}`));
    if (job.cancelled) session.cancel();
    const result = await session.result;
    if (result.status === 'error') {
      this.log.error(`${job.runId}: ${result.message}`);
      // A worker that died (out of memory, crashed) wrote no final status: the run would stay "running".
      if (result.last?.event !== 'error') await markRunFailed(store, job.runId, result.message ?? 'the training worker stopped').catch(() => false);
      void vscode.window.showErrorMessage(`RNN Lab: ${inputs.spec.name}: ${result.message}`);
    } else {
      this.log.info(`${job.runId}: ${result.status}`);
    }
    const metrics = result.last?.event === 'done' ? result.last.metrics : undefined;
    return { status: result.status, metrics, message: result.message };
  }

  private logEvent(runId: string, event: TrainingEvent): void {
    switch (event.event) {
      case 'start': this.log.info(`${runId}: ${event.parameters} parameters, ${event.epochs} epochs × ${event.batchesPerEpoch} batches, backend ${event.backend}, ${event.threads ?? 1} thread(s)`); break;
      case 'metrics': this.log.info(`${runId}: epoch ${event.epoch} ${event.split} ${formatMetrics(event.metrics, ', ')}`); break;
      case 'sample': this.log.info(`${runId}: sample (epoch ${event.epoch}, T=${event.temperature}): ${JSON.stringify(event.text)}`); break;
      case 'checkpoint': this.log.debug(`${runId}: checkpoint ${event.file} (epoch ${event.epoch})`); break;
      case 'done': this.log.info(`${runId}: done, ${event.split} ${formatMetrics(event.metrics, ', ')}, best epoch ${event.best.epoch}`); break;
      case 'error': this.log.error(`${runId}: ${event.file}:${event.line}:${event.column}: ${event.message}`); break;
      case 'warning': this.log.warn(`${runId}: ${event.file}:${event.line}:${event.column}: ${event.message}`); break;
      case 'info': this.log.info(`${runId}: ${event.message}`); break;
      case 'gradients': case 'progress': break;
    }
  }

  private refreshStatus(): void {
    const running = [...this.jobs].filter((job) => job.session);
    const latest = running.map((job) => job.latest).filter((p): p is ProgressEvent => !!p).at(-1);
    this.statusBar.update(running.length, this.jobs.size - running.length, latest);
  }

  dispose(): void {
    this.stop();
    this.changed.dispose();
  }
}

function progressMessage(event: ProgressEvent): string {
  return `epoch ${event.epoch}/${event.epochs} · batch ${event.batch}/${event.batches} · loss ${event.loss.toFixed(3)} · ETA ${formatDuration(event.etaMs)}`;
}

/**
 * A run folder's files for a resuming worker, the checkpoint journal (`.checkpoint/`) included so that
 * the trainer can recover it.
 */
async function readRunFolder(store: VscodeRunStore, runId: string): Promise<Record<string, Uint8Array>> {
  const runFiles: Record<string, Uint8Array> = {};
  for (const relDir of [runId, `${runId}/${PENDING_DIR}`]) {
    for (const name of await store.list(relDir)) {
      if (name === PENDING_DIR) continue;
      runFiles[`${relDir}/${name}`] = new Uint8Array(await store.readFile(`${relDir}/${name}`));
    }
  }
  return runFiles;
}
