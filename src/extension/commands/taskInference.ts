import type { DataFormat } from '../../spec';

type Task = 'many-to-one' | 'many-to-many' | 'one-to-many' | 'seq2seq';

/** The task a dataset suggests and the spec `data` keys that go with it; `alternatives` are the other valid tasks. */
export interface TaskProposal { task: Task; reason: string; alternatives: Task[] }

/**
 * The task a dataset file suggests, from its format and (JSONL) its first record's keys, following the
 * data formats of issue 3: text → next-token LM; TSV → seq2seq; CSV → next-value forecast (many-to-one);
 * JSONL: `source`+`target` → seq2seq, `labels` → tagging, `label` → classification, numeric `target`
 * → regression, vector `input` + sequence `target` → one-to-many.
 */
export function proposeTask(format: DataFormat, firstLine: string): TaskProposal {
  switch (format) {
    case 'text': return { task: 'many-to-many', reason: 'text: next-character language model', alternatives: [] };
    case 'tsv': return { task: 'seq2seq', reason: 'TSV: source → target pairs', alternatives: [] };
    case 'csv': return { task: 'many-to-one', reason: 'CSV: forecast the value `horizon` steps ahead', alternatives: ['many-to-many'] };
    case 'jsonl': break;
  }
  let record: Record<string, unknown> = {};
  try { record = JSON.parse(firstLine) as Record<string, unknown>; } catch { /* no readable first record: fall through to the default */ }
  const all: Task[] = ['many-to-one', 'many-to-many', 'one-to-many', 'seq2seq'];
  const others = (task: Task) => all.filter((t) => t !== task);
  const isNumberArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number');
  if ('source' in record && 'target' in record) return { task: 'seq2seq', reason: 'records have "source" and "target"', alternatives: others('seq2seq') };
  if ('labels' in record) return { task: 'many-to-many', reason: 'records have one label per step ("labels")', alternatives: others('many-to-many') };
  if ('label' in record) return { task: 'many-to-one', reason: 'records have a "label": sequence classification', alternatives: others('many-to-one') };
  if (isNumberArray(record.input) && (typeof record.target === 'string' || Array.isArray(record.target)) && !isNumberArray(record.target)) {
    return { task: 'one-to-many', reason: 'records map a vector "input" to a sequence "target"', alternatives: others('one-to-many') };
  }
  return { task: 'many-to-one', reason: '"target" values: sequence regression', alternatives: others('many-to-one') };
}
