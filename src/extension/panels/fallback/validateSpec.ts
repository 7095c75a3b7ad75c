/**
 * Stand-in for `validateSpec(json)` of `src/spec` (see ../contractAdapters.ts): checks the keys the
 * architecture view reads, with the JSON-pointer paths and messages the real validator reports.
 */
import type { SpecIssue } from '../../../protocol/hostWebview';

const ENUMS: Record<string, readonly string[]> = {
  '/task': ['many-to-one', 'many-to-many', 'one-to-many', 'seq2seq'],
  '/model/cell': ['rnn', 'lstm', 'gru'],
  '/model/activation': ['tanh', 'relu'],
  '/model/merge': ['concat', 'sum', 'mean', 'mul'],
  '/model/connections': ['none', 'skip', 'dense'],
  '/model/recurrentInit': ['orthogonal', 'identity'],
};
const POSITIVE_INTEGERS = ['/model/hiddenSize', '/model/layers', '/data/sequenceLength', '/data/window'];

function at(json: unknown, path: string): unknown {
  let node = json;
  for (const key of path.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function validateSpec(json: unknown): SpecIssue[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [{ path: '', message: 'expected an object' }];
  const issues: SpecIssue[] = [];
  for (const required of ['/task', '/model/cell']) {
    if (at(json, required) === undefined) issues.push({ path: required, message: 'is required' });
  }
  if (typeof at(json, '/data/train') !== 'string') issues.push({ path: '/data/train', message: 'expected a file path (string)' });
  for (const [path, options] of Object.entries(ENUMS)) {
    const v = at(json, path);
    if (v !== undefined && !options.includes(v as string)) issues.push({ path, message: `expected one of ${options.join(', ')}, got ${JSON.stringify(v)}` });
  }
  for (const path of POSITIVE_INTEGERS) {
    const v = at(json, path);
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1)) issues.push({ path, message: `expected an integer ≥ 1, got ${JSON.stringify(v)}` });
  }
  const embeddingSize = at(json, '/model/embeddingSize');
  if (embeddingSize !== undefined && !(Number.isInteger(embeddingSize) && (embeddingSize as number) >= 0)) {
    issues.push({ path: '/model/embeddingSize', message: `expected an integer ≥ 0, got ${JSON.stringify(embeddingSize)}` });
  }
  const dropout = at(json, '/model/dropout');
  if (dropout !== undefined && !(typeof dropout === 'number' && dropout >= 0 && dropout < 1)) {
    issues.push({ path: '/model/dropout', message: `expected a number in [0, 1), got ${JSON.stringify(dropout)}` });
  }
  const bidirectional = at(json, '/model/bidirectional');
  if (bidirectional !== undefined && typeof bidirectional !== 'boolean') issues.push({ path: '/model/bidirectional', message: 'expected a boolean' });
  return issues;
}
