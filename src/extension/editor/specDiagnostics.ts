import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import * as vscode from 'vscode';
import { ModelSpecSchema, resolveSpec, specBaseName, specTextIssues, targetNames, type ResolvedSpec } from '../../modelSpec';
import { schemaIssues } from '../../modelSpec/schemaIssues';
import { dataPaths } from '../training/trainingInputs';
import { csvHeaderNames } from '../../data/csvTable';

/** Typing pauses this long before a spec's diagnostics are computed again. */
export const DIAGNOSTICS_DEBOUNCE_MS = 250;

/**
 * Semantic diagnostics on `*.rnn.json` files, beyond what the JSON schema (contributes.jsonValidation)
 * already reports in the editor: cross-key rules of the spec (task vs. format, BPTT windows), data
 * files that do not exist, and JSONL keys or CSV columns the data does not have.
 *
 * Edits are debounced (`schedule`), and each computation carries a generation: a result is shown
 * only if no newer computation of that document started meanwhile, so a slow older result (one that
 * read a data file) never overwrites a newer one. Data files changing re-run every open spec.
 */
export class SpecDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('rnnLab');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly generations = new Map<string, number>();
  private nextGeneration = 0;
  /** How many computations ran, per document (tests check the debounce). */
  private readonly computations = new Map<string, number>();

  static isSpec(uri: vscode.Uri): boolean {
    return uri.path.endsWith('.rnn.json');
  }

  /** Computes the document's diagnostics now and shows them, unless a newer computation started meanwhile. */
  async update(document: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    if (!SpecDiagnostics.isSpec(document.uri)) return [];
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const generation = ++this.nextGeneration;
    this.generations.set(key, generation);
    this.computations.set(key, (this.computations.get(key) ?? 0) + 1);
    const diagnostics = await specDiagnostics(document);
    if (this.generations.get(key) === generation && !document.isClosed) this.collection.set(document.uri, diagnostics);
    return diagnostics;
  }

  /** How many times the diagnostics of this document were computed. */
  computationsOf(uri: vscode.Uri): number {
    return this.computations.get(uri.toString()) ?? 0;
  }

  /** Updates the document once typing has paused for DIAGNOSTICS_DEBOUNCE_MS. */
  schedule(document: vscode.TextDocument): void {
    if (!SpecDiagnostics.isSpec(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); void this.update(document); }, DIAGNOSTICS_DEBOUNCE_MS));
  }

  /** A data file was created, changed or deleted: every open spec may read it. */
  refreshOpenSpecs(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document);
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.generations.set(key, ++this.nextGeneration); // a computation still running is not shown
    this.collection.delete(uri);
    this.computations.delete(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.collection.dispose();
  }
}

async function specDiagnostics(document: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  const text = document.getText();
  const root = parseTree(text);
  if (!root) return [];                                   // syntax errors: the JSON language service shows them
  let value: unknown;
  try { value = JSON.parse(text); } catch { return []; }
  if (schemaIssues(ModelSpecSchema, value).length) return [];   // schema errors: shown by jsonValidation
  const crossKey = specTextIssues(text);
  if (crossKey.length) {
    return crossKey.map((issue) => {
      const position = new vscode.Position((issue.line ?? 1) - 1, (issue.column ?? 1) - 1);
      return diagnostic(document.getWordRangeAtPosition(position, /"[^"]*"|[^\s,{}[\]]+/) ?? new vscode.Range(position, position), issue.message);
    });
  }
  const spec = resolveSpec(value, specBaseName(document.uri.path));
  const rangeOf = (path: (string | number)[]) => nodeRange(document, findNodeAtLocation(root, path) ?? root);
  const diagnostics: vscode.Diagnostic[] = [];
  const specFolder = vscode.Uri.joinPath(document.uri, '..');
  const location: Record<string, (string | number)[]> = { [spec.data.train]: ['data', 'train'] };
  if (spec.data.test) location[spec.data.test] = ['data', 'test'];
  if (typeof spec.data.validation === 'string') location[spec.data.validation] = ['data', 'validation'];
  for (const relPath of dataPaths(spec)) {
    const uri = vscode.Uri.joinPath(specFolder, relPath);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      diagnostics.push(diagnostic(rangeOf(location[relPath]), `data file not found: "${relPath}" (looked for ${vscode.workspace.asRelativePath(uri)})`));
      continue;
    }
    if (!vscode.workspace.isTrusted && !vscode.workspace.getWorkspaceFolder(uri)) {
      diagnostics.push(diagnostic(rangeOf(location[relPath]), `"${relPath}" is outside the workspace folders: an untrusted workspace may not read it`));
    }
  }
  const explicit = (path: (string | number)[]) => findNodeAtLocation(root, path) !== undefined;
  if (diagnostics.length === 0) diagnostics.push(...await keyDiagnostics(spec, vscode.Uri.joinPath(specFolder, spec.data.train), rangeOf, explicit));
  return diagnostics;
}

/** The JSONL keys a task reads; `alternatives` lists keys of which one must be present. */
function requiredKeys(spec: ResolvedSpec): { key: keyof ResolvedSpec['data']; alternatives?: (keyof ResolvedSpec['data'])[] }[] {
  switch (spec.task) {
    case 'many-to-one': return [{ key: 'inputKey' }, { key: 'labelKey', alternatives: ['labelKey', 'targetKey'] }];
    case 'many-to-many': return [{ key: 'inputKey' }, { key: 'labelsKey' }];
    case 'one-to-many': return [{ key: 'inputKey' }, { key: 'targetKey' }];
    case 'seq2seq': return [{ key: 'sourceKey' }, { key: 'targetKey' }];
  }
}

type JsonPath = (string | number)[];

async function keyDiagnostics(spec: ResolvedSpec, trainUri: vscode.Uri, rangeOf: (path: JsonPath) => vscode.Range,
  explicit: (path: JsonPath) => boolean): Promise<vscode.Diagnostic[]> {
  const format = spec.data.format;
  if (format !== 'jsonl' && format !== 'csv') return [];
  const text = new TextDecoder().decode((await vscode.workspace.fs.readFile(trainUri)).subarray(0, 1 << 16));
  const diagnostics: vscode.Diagnostic[] = [];
  if (format === 'csv') {
    const header = csvHeaderNames(text, spec.data.delimiter);
    if (!header.length) return [];                        // a header that does not parse is the reader's error, at train time
    (spec.data.columns ?? []).forEach((column, index) => {
      if (!header.includes(column)) diagnostics.push(diagnostic(rangeOf(['data', 'columns', index]), `column "${column}" is not in the header of ${spec.data.train} (${header.join(', ')})`));
    });
    const named: [JsonPath, string | undefined][] = [
      ...targetNames(spec.data.target).map((t, i): [JsonPath, string] => [typeof spec.data.target === 'string' ? ['data', 'target'] : ['data', 'target', i], t]),
      [['data', 'time'], spec.data.time],
    ];
    for (const [at, column] of named) {
      if (column && !header.includes(column)) {
        diagnostics.push(diagnostic(rangeOf(at), `column "${column}" is not in the header of ${spec.data.train} (${header.join(', ')})`));
      }
    }
    return diagnostics;
  }
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(firstLine) as Record<string, unknown>;
  } catch {
    return [];                                            // malformed data is the reader's error, at train time
  }
  const keys = Object.keys(record);
  for (const { key, alternatives } of requiredKeys(spec)) {
    const names = (alternatives ?? [key]).map((k) => spec.data[k] as string);
    if (names.some((name) => name in record)) continue;
    const where = (alternatives ?? [key]).find((k) => explicit(['data', k]));
    const range = rangeOf(['data', where ?? 'train']);
    const wanted = names.map((name) => `"${name}"`).join(' or ');
    diagnostics.push(diagnostic(range, `the records of ${spec.data.train} have no key ${wanted} (line 1 has ${keys.map((k) => `"${k}"`).join(', ') || 'no keys'})`));
  }
  return diagnostics;
}

function nodeRange(document: vscode.TextDocument, node: Node): vscode.Range {
  return new vscode.Range(document.positionAt(node.offset), document.positionAt(node.offset + node.length));
}

function diagnostic(range: vscode.Range, message: string): vscode.Diagnostic {
  const result = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
  result.source = 'RNN Lab';
  return result;
}
