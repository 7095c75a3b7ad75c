import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TrainingOutcome } from '../../../src/extension/training/trainingService';
import type { ExplanationResult } from '../../../src/extension/results/explanationReport';
import { activateExtension, workspaceUri } from './helpers';

describe('Explain Prediction', () => {
  let run: vscode.Uri;

  before(async function () {
    this.timeout(300_000);
    await activateExtension();
    const outcome = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', workspaceUri('models', 'tiny.rnn.json'));
    assert.equal(outcome.status, 'done', outcome.message);
    run = outcome.runUri!;
  });

  after(async () => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('explains the selection, and a dataset line under the cursor, in the explanation view', async () => {
    const api = await activateExtension();
    const document = await vscode.workspace.openTextDocument({ content: 'bbbbbbbbbbbb\naaab' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, 4);
    const selected = await vscode.commands.executeCommand<ExplanationResult>('rnnLab.explainPrediction', run);
    assert.equal(selected?.kind, 'explanation');
    assert.deepEqual(selected.tokens, ['a', 'a', 'a', 'b']);
    assert.equal(selected.attributions.length, 4);
    assert.ok(['A', 'B'].includes(selected.target));
    assert.ok(selected.completenessError < 0.01 * Math.abs(selected.output! - selected.baselineOutput!) + 1e-9);
    const panel = api.explanations.panelOf(run);
    assert.ok(panel, 'the explanation view is open');
    assert.match(panel.webview.html, /Why (A|B)\?/);
    assert.equal(panel.webview.html.match(/class="token [a-z]+-\d" title="step/g)?.length, 4, 'a shaded span per token');

    // a dataset line: the cursor on line 3 of tiny.jsonl, nothing selected
    const data = await vscode.window.showTextDocument(workspaceUri('data', 'tiny.jsonl'));
    const third = JSON.parse(data.document.lineAt(2).text) as { input: string };
    data.selection = new vscode.Selection(2, 3, 2, 3);
    const fromLine = await vscode.commands.executeCommand<ExplanationResult>('rnnLab.explainPrediction', run);
    assert.deepEqual(fromLine?.tokens, [...third.input]);
    const linked = await vscode.commands.executeCommand<ExplanationResult>('rnnLab.explainPrediction', run.toString(), { file: workspaceUri('data', 'tiny.jsonl').toString(), line: 3 });
    assert.deepEqual(linked, fromLine, 'the results view\'s link (URI strings, as a command URI passes them) explains the same line');
  });

  it('the results view offers an explain link on each worst example', async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand('rnnLab.evaluateRun', run);
    const html = api.results.panelOf(run)!.webview.html;
    const links = html.match(/<a class="explain" href="command:rnnLab\.explainPrediction\?[^"]+"/g) ?? [];
    assert.ok(links.length >= 1 && links.length === (html.match(/<tr><td>/g) ?? []).length, `${links.length} explain links`);
  });
});
