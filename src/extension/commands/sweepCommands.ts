/**
 * Run Sweep: one training per trial of a spec's `sweep` (src/train/sweep/runSweep.ts decides and
 * records), each through the training service's queue and concurrency limit, as Train is. When it ends,
 * the sweep's runs open in the runs table. Show Sweep opens the table of a sweep picked from the sweeps folder.
 */
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { runSweep, type SweepEvent } from '../../train/sweep/runSweep';
import { readSweep, SWEEPS_FOLDER, type SweepRecord } from '../../train/sweep/sweepRecord';
import { trialSummary } from '../../train/sweep/trialOutcome';
import { RunsTablePanel } from '../panels/runsTablePanel';
import { relativePath } from '../relativePath';
import { readSettings, runsFolderOf } from '../settings';
import { readSpecText } from '../training/trainingInputs';
import type { TrainingService } from '../training/trainingService';
import { VscodeRunStore } from '../training/vscodeRunStore';
import { specArgument } from './commandArguments';

interface SweepOptions {
  /** Continue this sweep (its id): finished trials are skipped. */
  resume?: string;
  /** Do not open the runs table at the end (tests). */
  quiet?: boolean;
}

const sweepsFolderOf = (specUri: vscode.Uri) => vscode.Uri.joinPath(runsFolderOf(specUri), '..', SWEEPS_FOLDER);

export function registerSweepCommands(context: vscode.ExtensionContext, training: TrainingService, log: vscode.LogOutputChannel): vscode.Disposable[] {
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
      try {
        const record = await runSweep({
          specText: await readSpecText(specUri),
          specPath: vscode.workspace.asRelativePath(specUri),
          specFileFromSweeps: relativePath(sweepsFolderOf(specUri), specUri),
          sweeps: new VscodeRunStore(sweepsFolderOf(specUri)),
          runs,
          resume: options.resume,
          parallel: readSettings(specUri).maxConcurrentTrainings,
          totalThreads: availableParallelism(),
          onEvent: (event) => log.info(describe(event)),
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
      }
    }),
    vscode.commands.registerCommand('rnnLab.showSweep', async (argument?: unknown): Promise<RunsTablePanel | undefined> => {
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
