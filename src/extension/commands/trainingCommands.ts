import * as vscode from 'vscode';
import { specName } from '../specSummary';
import type { TrainingOutcome, TrainingService } from '../training/trainingService';
import { specOfRun } from '../workspaceScan';
import { runArgument, specArgument } from './commandArguments';

/** Train Model, Stop Training and Resume Training. Train and Resume resolve with the run's outcome. */
export function registerTrainingCommands(training: TrainingService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('rnnLab.train', async (argument?: unknown): Promise<TrainingOutcome | undefined> => {
      const specUri = await specArgument(argument);
      if (!specUri) return undefined;
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === specUri.toString());
      if (open?.isDirty) await open.save();
      return training.train(specUri);
    }),
    vscode.commands.registerCommand('rnnLab.stopTraining', (runId?: string): number => {
      const stopped = training.stop(typeof runId === 'string' ? runId : undefined);
      if (stopped === 0) void vscode.window.showInformationMessage('RNN Lab: no training is running');
      return stopped;
    }),
    vscode.commands.registerCommand('rnnLab.resumeRun', async (argument?: unknown): Promise<TrainingOutcome | undefined> => {
      const runUri = await runArgument(argument);
      if (!runUri) return undefined;
      const specUri = await specOfRun(runUri, specName);
      if (!specUri) {
        void vscode.window.showErrorMessage(`RNN Lab: cannot find the spec of run ${vscode.workspace.asRelativePath(runUri)}`);
        return undefined;
      }
      return training.resume(specUri, runUri);
    }),
  ];
}
