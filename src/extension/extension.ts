/**
 * Composition root: builds the extension's objects and registers them. Nothing here trains or
 * computes; see training/ (worker threads), views/, editor/ and commands/.
 */
import * as vscode from 'vscode';
import { CliRunner } from './commands/cliRunner';
import { newModelWizard, type NewModelAnswers } from './commands/newModelWizard';
import { registerPanelCommands } from './commands/panelCommands';
import { registerPanels } from './panels';
import { registerRunCommands } from './commands/runCommands';
import { registerTrainingCommands } from './commands/trainingCommands';
import { SpecCodeLensProvider } from './editor/specCodeLens';
import { SpecDiagnostics } from './editor/specDiagnostics';
import { TrainingService } from './training/trainingService';
import { TrainingStatusBar } from './training/trainingStatusBar';
import { DatasetsView } from './views/datasetsView';
import { ModelsView } from './views/modelsView';
import { RunsView } from './views/runsView';
import { DATASET_GLOB, SPEC_GLOB } from './workspaceScan';

/** What activate() returns: the live objects, for integration tests and other extensions. */
export interface RnnLabApi {
  training: TrainingService;
  models: ModelsView;
  datasets: DatasetsView;
  runs: RunsView;
  diagnostics: SpecDiagnostics;
  statusBar: TrainingStatusBar;
}

export function activate(context: vscode.ExtensionContext): RnnLabApi {
  const log = vscode.window.createOutputChannel('RNN Lab', { log: true });
  const dist = (file: string) => vscode.Uri.joinPath(context.extensionUri, 'dist', file).fsPath;
  const statusBar = new TrainingStatusBar();
  const training = new TrainingService(dist('worker.js'), log, statusBar);
  const models = new ModelsView();
  const datasets = new DatasetsView();
  const runs = new RunsView(() => training.activeRunIds);
  const diagnostics = new SpecDiagnostics();
  const refreshAll = () => { models.refresh(); datasets.refresh(); runs.refresh(); };

  const specWatcher = vscode.workspace.createFileSystemWatcher(SPEC_GLOB);
  const dataWatcher = vscode.workspace.createFileSystemWatcher(DATASET_GLOB);
  const runWatcher = vscode.workspace.createFileSystemWatcher('**/.rnnlab/runs/*/summary.json');
  const updateDiagnostics = (document: vscode.TextDocument) => void diagnostics.update(document);

  context.subscriptions.push(
    log, statusBar, training, models, datasets, runs, diagnostics, specWatcher, dataWatcher, runWatcher,
    vscode.window.registerTreeDataProvider('rnnLab.models', models),
    vscode.window.registerTreeDataProvider('rnnLab.datasets', datasets),
    vscode.window.registerTreeDataProvider('rnnLab.runs', runs),
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.rnn.json' }, new SpecCodeLensProvider()),
    specWatcher.onDidCreate(refreshAll), specWatcher.onDidDelete(refreshAll), specWatcher.onDidChange(() => models.refresh()),
    dataWatcher.onDidCreate(() => datasets.refresh()), dataWatcher.onDidDelete(() => datasets.refresh()),
    runWatcher.onDidCreate(() => runs.refresh()), runWatcher.onDidChange(() => runs.refresh()),
    training.onDidChange((change) => { if (!change || change.event.event === 'start') runs.refresh(); }),
    vscode.workspace.onDidOpenTextDocument(updateDiagnostics),
    vscode.workspace.onDidChangeTextDocument((change) => updateDiagnostics(change.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.forget(document.uri)),
    vscode.commands.registerCommand('rnnLab.newModel', (answers?: NewModelAnswers) => newModelWizard(answers)),
    vscode.commands.registerCommand('rnnLab.createModelForDataset', (dataset?: { uri?: vscode.Uri } | vscode.Uri, answers?: NewModelAnswers) =>
      newModelWizard({ ...answers, dataset: dataset instanceof vscode.Uri ? dataset : dataset?.uri })),
    vscode.commands.registerCommand('rnnLab.showLog', () => { log.show(true); return log.name; }),
    vscode.commands.registerCommand('rnnLab.refresh', refreshAll),
    ...registerTrainingCommands(training),
    ...registerRunCommands(new CliRunner(dist('cli.js'), log), log, () => runs.refresh()),
    ...registerPanels(context, { events: training }),
    ...registerPanelCommands(context, { events: training }),
  );
  vscode.workspace.textDocuments.forEach(updateDiagnostics);
  return { training, models, datasets, runs, diagnostics, statusBar };
}

export function deactivate(): void {
  // Every resource is in context.subscriptions; disposing the TrainingService cancels its runs.
}
