/**
 * Run Sweep: one training per trial of a spec's `sweep` (src/train/sweep/runSweep.ts decides and
 * records), each through the training service's queue and concurrency limit, as Train is. When it ends,
 * the sweep's runs open in the runs table. Show Sweep opens the table of a sweep picked from the sweeps folder
 * (or of the Runs view's sweep node clicked). Resume Sweep continues a cancelled or interrupted one; Run
 * Sweep offers that too when the spec has one.
 */
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { runSweep, type SweepEvent } from '../../train/sweep/runSweep';
import { readSweep, type SweepRecord } from '../../train/sweep/sweepRecord';
import { trialSummary } from '../../train/sweep/trialOutcome';
import { RunsTablePanel } from '../panels/runsTablePanel';
import { relativePath } from '../relativePath';
import { readSettings, runsFolderOf } from '../settings';
import { readSpecText } from '../training/trainingInputs';
import type { TrainingService } from '../training/trainingService';
import { VscodeRunStore } from '../training/vscodeRunStore';
import { sweepsFolderOf } from '../views/sweepNodes';
import { specArgument } from './commandArguments';
import { chooseSweepToResume, sweepNodeOf } from './sweepChoice';

interface SweepOptions {
  /**
   * Continue this sweep (its id): finished trials are skipped. `false`: start a new sweep without
   * asking; absent: when the spec has a cancelled or interrupted sweep, ask whether to resume it.
   */
  resume?: string | false;
  /** Do not open the runs table at the end (tests). */
  quiet?: boolean;
}

/** The sweeps this window runs (the Runs view tells them from interrupted ones), and a redraw of the view. */
export interface SweepActivity {
  running: Set<string>;
  changed(): void;
}

export function registerSweepCommands(
  context: vscode.ExtensionContext, training: TrainingService, log: vscode.LogOutputChannel, activity: SweepActivity,
): vscode.Disposable[] {
  const showSweep = async (specUri: vscode.Uri, record: SweepRecord) => {
    const runs = record.trials.filter((t) => t.runId).map((t) => vscode.Uri.joinPath(runsFolderOf(specUri), t.runId!));
    return RunsTablePanel.show(context, runs, `Sweep ${record.id}`, { sweep: { id: record.id, monitor: record.monitor }, activeRunIds: training.activeRunIds });
  };
  return [
    vscode.commands.registerCommand('rnnLab.runSweep', async (argument?: unknown, options: SweepOptions = {}): Promise<SweepRecord | undefined> => {
      const specUri = await specArgument(argument);
      if (!specUri) return undefined;
      const runsFolder = runsFolderOf(specUri);
      const runs = new VscodeRunStore(runsFolder);
      const resume = options.resume ?? await chooseSweepToResume(specUri, training.activeRunIds, [...activity.running]);
      if (resume === undefined) return undefined;
      let id: string | undefined;
      try {
        const record = await runSweep({
          specText: await readSpecText(specUri),
          specPath: vscode.workspace.asRelativePath(specUri),
          specFileFromSweeps: relativePath(sweepsFolderOf(specUri), specUri),
          sweeps: new VscodeRunStore(sweepsFolderOf(specUri)),
          runs,
          resume: resume || undefined,
          parallel: readSettings(specUri).maxConcurrentTrainings,
          totalThreads: availableParallelism(),
          onEvent: (event) => {
            log.info(describe(event));
            if (event.event === 'sweep') activity.running.add(id = event.id);
            activity.changed();
          },
          trainTrial: async (job) => {
            const outcome = await training.trainTrial(specUri, job);
            return trialSummary(outcome.status, outcome.message, runs, job.runId, job.trial);
          },
        });
        if (!options.quiet) await showSweep(specUri, record);
        return record;
      } catch (error) {
        void vscode.window.showErrorMessage(`RNN Lab: Run Sweep failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      } finally {
        if (id) activity.running.delete(id);
        activity.changed();
      }
    }),
    vscode.commands.registerCommand('rnnLab.resumeSweep', async (argument?: unknown, options: Omit<SweepOptions, 'resume'> = {}): Promise<SweepRecord | undefined> => {
      const node = sweepNodeOf(argument);
      if (node) return vscode.commands.executeCommand<SweepRecord | undefined>('rnnLab.runSweep', node.specUri, { ...options, resume: node.id });
      const specUri = await specArgument(argument);
      const id = specUri && await chooseSweepToResume(specUri, training.activeRunIds, [...activity.running], { required: true });
      return id ? vscode.commands.executeCommand<SweepRecord | undefined>('rnnLab.runSweep', specUri, { ...options, resume: id }) : undefined;
    }),
    vscode.commands.registerCommand('rnnLab.showSweep', async (argument?: unknown): Promise<RunsTablePanel | undefined> => {
      const node = sweepNodeOf(argument);
      if (node) return showSweep(node.specUri, await readSweep(new VscodeRunStore(sweepsFolderOf(node.specUri)), node.id));
      const specUri = await specArgument(argument);
      if (!specUri) return undefined;
      const store = new VscodeRunStore(sweepsFolderOf(specUri));
      const ids = (await store.list('')).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)).reverse();
      if (!ids.length) {
        void vscode.window.showInformationMessage('RNN Lab: this spec has no sweeps yet; run "RNN Lab: Run Sweep" on a spec with a "sweep"');
        return undefined;
      }
      const id = ids.length === 1 ? ids[0] : await vscode.window.showQuickPick(ids, { placeHolder: 'Which sweep?' });
      return id ? showSweep(specUri, await readSweep(store, id)) : undefined;
    }),
  ];
}

function describe(event: SweepEvent): string {
  switch (event.event) {
    case 'sweep': return `sweep ${event.id}: ${event.method}, ${event.trials} trials (${event.toRun} to run), ${event.parallel} at once`;
    case 'trialStart': return `sweep ${event.id}: trial ${event.trial}${event.resumed ? ' (resumed)' : ''} ${JSON.stringify(event.parameters)} → ${event.run}`;
    case 'trialEnd': return `sweep ${event.id}: trial ${event.trial} ${event.status}${event.best !== null ? `, best ${event.best.toFixed(4)}` : ''}${event.message ? `: ${event.message}` : ''}`;
    case 'sweepDone': return `sweep ${event.id}: ${event.status}${event.best ? `, best trial ${event.best.trial} (${event.best.value.toFixed(4)})` : ''}`;
  }
}
