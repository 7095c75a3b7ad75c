import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, waitFor, workspaceUri, writeText } from './helpers';

async function diagnosticsOf(specText: string, file: string): Promise<vscode.Diagnostic[]> {
  const api = await activateExtension();
  const uri = workspaceUri('models', file);
  await writeText(uri, specText);
  const document = await vscode.workspace.openTextDocument(uri);
  await api.diagnostics.update(document);
  return waitFor(() => {
    const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'RNN Lab');
    return found.length ? found : undefined;
  }, 5000, `diagnostics on ${file}`);
}

describe('diagnostics on broken specs', () => {
  after(async () => {
    for (const file of ['missing-data.rnn.json', 'wrong-key.rnn.json', 'wrong-task.rnn.json', 'quoted-header.rnn.json']) {
      await vscode.workspace.fs.delete(workspaceUri('models', file)).then(undefined, () => undefined);
    }
    await vscode.workspace.fs.delete(workspaceUri('data', 'quoted-header.csv')).then(undefined, () => undefined);
  });

  it('a missing dataset file is an error on data.train', async () => {
    const text = '{\n  "task": "many-to-one",\n  "data": { "train": "../data/absent.jsonl" },\n  "model": { "cell": "lstm" }\n}\n';
    const [diagnostic, ...rest] = await diagnosticsOf(text, 'missing-data.rnn.json');
    assert.equal(rest.length, 0);
    assert.match(diagnostic.message, /data file not found: "\.\.\/data\/absent\.jsonl"/);
    assert.equal(diagnostic.range.start.line, 2);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
  });

  it('a key that is not in the data is an error on that key', async () => {
    const text = '{\n  "task": "many-to-one",\n  "data": { "train": "../data/tiny.jsonl", "labelKey": "category" },\n  "model": { "cell": "gru" }\n}\n';
    const [diagnostic] = await diagnosticsOf(text, 'wrong-key.rnn.json');
    assert.match(diagnostic.message, /no key "category" or "target" \(line 1 has "input", "label"\)/);
    const document = await vscode.workspace.openTextDocument(workspaceUri('models', 'wrong-key.rnn.json'));
    assert.equal(document.getText(diagnostic.range), '"category"');
  });

  it('reads a CSV header as the trainer does: a quoted name keeps its delimiter, and only a column not in it is an error', async () => {
    await writeText(workspaceUri('data', 'quoted-header.csv'), '"sales, EUR",units\n1,2\n3,4\n');
    const text = '{\n  "task": "many-to-one",\n  "data": { "train": "../data/quoted-header.csv", "columns": ["sales, EUR", "units"],\n' +
      '    "target": "profit", "window": 1 },\n  "model": { "cell": "gru" }\n}\n';
    const diagnostics = await diagnosticsOf(text, 'quoted-header.rnn.json');
    assert.deepEqual(diagnostics.map((d) => d.message), ['column "profit" is not in the header of ../data/quoted-header.csv (sales, EUR, units)']);
  });

  it('a task the format cannot have is an error on task', async () => {
    const text = '{\n  "task": "seq2seq",\n  "data": { "train": "../data/notes.txt" },\n  "model": { "cell": "rnn" }\n}\n';
    const [diagnostic] = await diagnosticsOf(text, 'wrong-task.rnn.json');
    assert.match(diagnostic.message, /"text" data supports task "many-to-many"/);
    assert.equal(diagnostic.range.start.line, 1);
  });
});
