/**
 * Lines of JSONL or TSV read into task-shaped raw records (still strings and numbers, no ids yet),
 * each knowing its file, line and how to point at the column of any of its values.
 */
import { findNodeAtLocation, parse as parseLenient, parseTree, type ParseError } from 'jsonc-parser';
import type { ResolvedSpec } from '../modelSpec';
import type { TaskShape } from '../engine/types';
import { DataError } from './dataError';
import { showValue } from '../format/showValue';
import { readLabel, readSequence, readVector, ValueProblem, type RawSequence } from './sequenceValue';
import { beyondRange } from './numberRange';
import { TextLines } from '../modelSpec/textLines';
import { sideOptions, type SideOptions, type TextSide } from './textOptions';
import { decodeUtf8 } from './utf8';

export interface RawRecord {
  file: string;
  line: number;
  /** The input sequence (many-to-one, many-to-many) or the source (seq2seq). */
  input?: RawSequence;
  /** many-to-one classification. */
  label?: string;
  /** many-to-many: one label per input step. */
  labels?: string[];
  /** many-to-one regression. */
  value?: number[];
  /** one-to-many conditioning vector. */
  initVector?: number[];
  /** seq2seq / one-to-many generated tokens (without markers). */
  output?: string[];
  /** 1-based column of the value under `key` (and inside it, `index`). */
  columnOf(key: string, index?: readonly number[]): number;
}

/** Which keys a task reads, with the key names of the spec. */
export interface RecordKeys {
  task: TaskShape;
  input: string;
  label: string;
  labels: string;
  target: string;
  source: string;
  /** How each side's strings are cut, and what its new vocabulary keeps. */
  sides: Record<TextSide, SideOptions>;
}

export function recordKeys(spec: ResolvedSpec): RecordKeys {
  const d = spec.data;
  return {
    task: spec.task, input: d.inputKey, label: d.labelKey, labels: d.labelsKey, target: d.targetKey, source: d.sourceKey,
    sides: { input: sideOptions(spec, 'input'), source: sideOptions(spec, 'source'), target: sideOptions(spec, 'target') },
  };
}

/** The record shape a task expects, for messages. */
function shapeOf(keys: RecordKeys): string {
  switch (keys.task) {
    case 'many-to-one':
      return `{"${keys.input}": <sequence>, "${keys.label}": <label>} or {"${keys.input}": <sequence>, "${keys.target}": <number or number[]>}`;
    case 'many-to-many':
      return `{"${keys.input}": <sequence>, "${keys.labels}": [<one label per step>]}`;
    case 'seq2seq':
      return `{"${keys.source}": <sequence>, "${keys.target}": <sequence>}`;
    case 'one-to-many':
      return `{"${keys.input}": number[], "${keys.target}": <sequence>}`;
  }
}

/** Reads every non-blank line of a JSONL file. Throws `DataError` at the first malformed one. */
export function readJsonlRecords(bytes: Uint8Array, file: string, keys: RecordKeys): RawRecord[] {
  const lines = new TextLines(decodeUtf8(bytes, file));
  const records: RawRecord[] = [];
  let regression: boolean | undefined;
  for (let line = 1; line <= lines.count; line++) {
    const text = lines.line(line);
    if (!text.trim()) continue;
    const object = parseJsonLine(text, file, line);
    const columnOf = (key: string, index: readonly number[] = []) => jsonColumn(text, [key, ...index]).column;
    const record: RawRecord = { file, line, columnOf };
    const fail = (key: string, problem: unknown): never => {
      if (!(problem instanceof ValueProblem)) throw problem;
      const { column, raw } = jsonColumn(text, [key, ...problem.index]);
      // JSON.parse reads 1e400 as Infinity: the message shows the number as written
      throw new DataError(file, line, column, `"${key}": ${problem.beyondRange && raw ? beyondRange(raw) : problem.message}`);
    };
    const need = (key: string): unknown => {
      if (!(key in object)) throw new DataError(file, line, 1, `missing key "${key}": expected ${shapeOf(keys)}`);
      return object[key];
    };
    const read = <T>(key: string, reader: (v: unknown) => T): T => {
      const value = need(key);
      try {
        return reader(value);
      } catch (problem) {
        return fail(key, problem);
      }
    };
    switch (keys.task) {
      case 'many-to-one': {
        record.input = read(keys.input, (v) => readSequence(v, keys.sides.input.text));
        const isRegression = !(keys.label in object) && keys.target in object;
        if (regression !== undefined && isRegression !== regression) {
          const [key, other] = regression ? [keys.target, keys.label] : [keys.label, keys.target];
          throw new DataError(file, line, isRegression ? columnOf(keys.target) : columnOf(keys.label),
            `expected "${key}" as in the first record, got "${other}": a file is either classification or regression`);
        }
        regression = isRegression;
        if (isRegression) record.value = read(keys.target, readVector);
        else record.label = read(keys.label, (v) => readLabel(v));
        break;
      }
      case 'many-to-many': {
        record.input = read(keys.input, (v) => readSequence(v, keys.sides.input.text));
        const labels = read(keys.labels, (v) => {
          if (!Array.isArray(v)) throw new ValueProblem(`expected an array of labels (one per step), got ${showValue(v)}`);
          return v.map((label, i) => readLabel(label, [i]));
        });
        const steps = record.input.kind === 'tokens' ? record.input.tokens.length : record.input.steps;
        if (labels.length !== steps) {
          throw new DataError(file, line, columnOf(keys.labels), `expected ${steps} labels (one per step of "${keys.input}"), got ${labels.length}`);
        }
        record.labels = labels;
        break;
      }
      case 'seq2seq':
        record.input = read(keys.source, (v) => readSequence(v, keys.sides.source.text));
        record.output = read(keys.target, (v) => (readSequence(v, keys.sides.target.text, true) as { tokens: string[] }).tokens);
        break;
      case 'one-to-many':
        record.initVector = read(keys.input, readVector);
        record.output = read(keys.target, (v) => (readSequence(v, keys.sides.target.text, true) as { tokens: string[] }).tokens);
        break;
    }
    records.push(record);
  }
  if (!records.length) throw new DataError(file, 1, 1, `empty file: expected one JSON object a line, ${shapeOf(keys)}`);
  return records;
}

function parseJsonLine(text: string, file: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const errors: ParseError[] = [];
    parseLenient(text, errors, { disallowComments: true, allowTrailingComma: false });
    const column = errors.length ? errors[0].offset + 1 : 1;
    throw new DataError(file, line, column, `invalid JSON (${(e as Error).message}): expected one JSON object a line`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataError(file, line, 1, `expected a JSON object, got ${showValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** 1-based column of the value at `path` inside one line of JSON (1 if it cannot be found), and its text. */
function jsonColumn(text: string, path: (string | number)[]): { column: number; raw?: string } {
  const root = parseTree(text);
  const node = root && findNodeAtLocation(root, path);
  return node ? { column: node.offset + 1, raw: text.slice(node.offset, node.offset + node.length) } : { column: 1 };
}

/** Reads `source<TAB>target` lines (no header) as seq2seq records. */
export function readTsvRecords(bytes: Uint8Array, file: string, keys: RecordKeys): RawRecord[] {
  const lines = new TextLines(decodeUtf8(bytes, file));
  const records: RawRecord[] = [];
  for (let line = 1; line <= lines.count; line++) {
    const text = lines.line(line);
    if (!text.trim()) continue;
    const tab = text.indexOf('\t');
    if (tab < 0) throw new DataError(file, line, text.length + 1, `no tab in ${showValue(text)}: expected source<TAB>target`);
    const extra = text.indexOf('\t', tab + 1);
    if (extra >= 0) throw new DataError(file, line, extra + 1, `a second tab: expected exactly one tab, source<TAB>target`);
    const columnOf = (key: string) => (key === keys.target ? tab + 2 : 1);
    const field = (part: string, key: string, text: SideOptions['text']) => {
      try {
        return readSequence(part, text, true);
      } catch (problem) {
        if (problem instanceof ValueProblem) throw new DataError(file, line, columnOf(key), `${key === keys.target ? 'target' : 'source'}: ${problem.message}`);
        throw problem;
      }
    };
    const input = field(text.slice(0, tab), keys.source, keys.sides.source.text);
    const output = field(text.slice(tab + 1), keys.target, keys.sides.target.text) as { tokens: string[] };
    records.push({ file, line, input, output: output.tokens, columnOf });
  }
  if (!records.length) throw new DataError(file, 1, 1, 'empty file: expected source<TAB>target lines');
  return records;
}
