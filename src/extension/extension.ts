/**
 * Composition root: builds the extension's objects and registers them. Nothing here trains or
 * computes; see training/ (worker threads), views/, editor/ and commands/.
 */
import * as vscode from 'vscode';
import { CliRunner } from './commands/cliRunner';
import { registerCompareCommands } from './commands/compareCommands';
import { registerExplainCommand } from './commands/explainCommand';
import { newModelWizard, type NewModelAnswers } from './commands/newModelWizard';
import { registerPanelCommands } from './commands/panelCommands';
import { registerRunCommands } from './commands/runCommands';
import { registerSweepCommands } from './commands/sweepCommands';
import { registerTrainingCommands } from './commands/trainingCommands';
import { SpecCodeLensProvider } from './editor/specCodeLens';
import { SpecDiagnostics } from './editor/specDiagnostics';
import { DatasetScanner } from './dataScan/datasetScanner';
import { DataSizeScanner } from './dataScan/dataSizeScanner';
import { CliRunInspector } from './inspector/cliRunInspector';
import { ArchitecturePanel, DashboardPanel, registerPanels, type PanelDeps } from './panels';
import { EvaluationViews } from './results/evaluationViews';
import { ExplanationViews } from './results/explanationViews';
import { TrainingService } from './training/trainingService';
import { TrainingStatusBar } from './training/trainingStatusBar';
import { DatasetsView } from './views/datasetsView';
import { ModelsView } from './views/modelsView';
import { RunsView, type RunsNode } from './views/runsView';
import { createRunsTreeView } from './views/runsTreeView';
import { isInRunsFolder, RunFolderWatcher } from './runsFolders';
import { DATASET_GLOB, SPEC_GLOB } from './workspaceScan';

/** What activate() returns: the live objects, for integration tests and other extensions. */
export interface RnnLabApi {
  training: TrainingService;
  models: ModelsView;
  datasets: DatasetsView;
  runs: RunsView;
  /** The Runs view's TreeView (selection, badge). */
  runsTree: vscode.TreeView<RunsNode>;
  /** Watches every run folder's summary.json, following rnnLab.runsFolder. */
  runWatcher: RunFolderWatcher;
  diagnostics: SpecDiagnostics;
  statusBar: TrainingStatusBar;
  /** Hidden states, samples and evaluation of runs, answered by the CLI in a child process. */
  inspector: CliRunInspector;
  /** The Evaluate Run results views. */
  results: EvaluationViews;
  /** The Explain Prediction views. */
  explanations: ExplanationViews;
  /** The data sizes of specs, for the architecture view. */
  dataSizes: DataSizeScanner;
  /** The open panels of a spec or run, with their message channel (tests drive the webview round trip). */
  panels: { architectureOf(specUri: vscode.Uri): ArchitecturePanel | undefined; dashboardOf(runUri: vscode.Uri): DashboardPanel | undefined };
}

export function activate(context: vscode.ExtensionContext): RnnLabApi {
  const log = vscode.window.createOutputChannel('RNN Lab', { log: true });
  const dist = (file: string) => vscode.Uri.joinPath(context.extensionUri, 'dist', file).fsPath;
  const statusBar = new TrainingStatusBar();
  const training = new TrainingService(dist('worker.js'), log, statusBar);
  const datasets = new DatasetsView(new DatasetScanner(dist('dataSizes.js')));
  const runs = new RunsView(() => training.activeRunIds);
  const runsTree = createRunsTreeView(runs, training);
  const diagnostics = new SpecDiagnostics();
  const cli = new CliRunner(dist('cli.js'), log);
  const inspector = new CliRunInspector(cli);
  const results = new EvaluationViews();
  const explanations = new ExplanationViews();
  const dataSizes = new DataSizeScanner(dist('dataSizes.js'), log);
  const models = new ModelsView(dataSizes);
  const panelDeps: PanelDeps = { events: training, inspector, dataSizes };
  const refreshAll = () => { models.refresh(); datasets.refresh(); runs.refresh(); };

  const specWatcher = vscode.workspace.createFileSystemWatcher(SPEC_GLOB);
  const dataWatcher = vscode.workspace.createFileSystemWatcher(DATASET_GLOB);
  const runWatcher = new RunFolderWatcher();
  const updateDiagnostics = (document: vscode.TextDocument) => void diagnostics.update(document);
  /** A data file changed: the Datasets view and the open specs' diagnostics follow (a run's metrics.jsonl is no data file). */
  const dataChanged = (uri: vscode.Uri) => {
    if (isInRunsFolder(uri)) return;
    datasets.refresh();
    diagnostics.refreshOpenSpecs();
  };
  const runFolderName = (uri: vscode.Uri) => uri.path.slice(uri.path.lastIndexOf('/') + 1);

  context.subscriptions.push(
    log, statusBar, training, models, datasets, runs, diagnostics, results, specWatcher, dataWatcher, runWatcher,
    vscode.window.registerTreeDataProvider('rnnLab.models', models),
    vscode.window.registerTreeDataProvider('rnnLab.datasets', datasets),
    ...runsTree.disposables,
    vscode.languages.registerCodeLensProvider({ pattern: '**/*.rnn.json' }, new SpecCodeLensProvider()),
    specWatcher.onDidCreate(refreshAll), specWatcher.onDidDelete(refreshAll), specWatcher.onDidChange(() => models.refresh()),
    dataWatcher.onDidCreate(dataChanged), dataWatcher.onDidDelete(dataChanged), dataWatcher.onDidChange(dataChanged),
    // A live run rewrites its summary.json every epoch; the training service says when it starts and ends.
    runWatcher.onDidChange((runFolder) => { if (!training.isLive(runFolderName(runFolder))) runs.refresh(); }),
    training.onDidChange((change) => { if (!change || change.event.event === 'start') runs.refresh(); }),
    vscode.workspace.onDidChangeConfiguration((change) => { if (change.affectsConfiguration('rnnLab.runsFolder')) refreshAll(); }),
    vscode.workspace.onDidOpenTextDocument(updateDiagnostics),
    vscode.workspace.onDidChangeTextDocument((change) => diagnostics.schedule(change.document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.forget(document.uri)),
    vscode.commands.registerCommand('rnnLab.newModel', (answers?: NewModelAnswers) => newModelWizard(answers)),
    vscode.commands.registerCommand('rnnLab.createModelForDataset', (dataset?: { uri?: vscode.Uri } | vscode.Uri, answers?: NewModelAnswers) =>
      newModelWizard({ ...answers, dataset: dataset instanceof vscode.Uri ? dataset : dataset?.uri })),
    vscode.commands.registerCommand('rnnLab.showLog', () => { log.show(true); return log.name; }),
    vscode.commands.registerCommand('rnnLab.refresh', refreshAll),
    ...registerTrainingCommands(training),
    ...registerRunCommands(cli, inspector, results, log, () => runs.refresh()),
    ...registerCompareCommands(context, () => training.activeRunIds),
    ...registerSweepCommands(context, training, log),
    explanations, registerExplainCommand(cli, explanations, log),
    ...registerPanels(context, panelDeps),
    ...registerPanelCommands(context, panelDeps),
  );
  vscode.workspace.textDocuments.forEach(updateDiagnostics);
  const panels = { architectureOf: (uri: vscode.Uri) => ArchitecturePanel.find(uri), dashboardOf: (uri: vscode.Uri) => DashboardPanel.find(uri) };
  return { training, models, datasets, runs, runsTree: runsTree.tree, runWatcher, diagnostics, statusBar, inspector, results, explanations, dataSizes, panels };
}

export function deactivate(): void {
  // Every resource is in context.subscriptions; disposing the TrainingService cancels its runs.
}
