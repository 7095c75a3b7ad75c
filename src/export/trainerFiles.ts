/**
 * `rnn-lab export --trainer`: data.py and train.py beside model.py (src/export/python/*.py), which
 * retrain the run in PyTorch on the batches RNN Lab builds. The port covers text language models,
 * JSONL records of every task shape and headerless TSV pairs (seq2seq); `trainerUnsupported` names
 * what else a spec uses (CSV: time series and tables), and the export refuses it rather than writing a
 * wrong pipeline.
 */
import { dataPy, trainPy } from './python/generated/pythonSources';

/** The parts of a resolved spec the trainer port reads. */
export interface TrainerSpec {
  task: string;
  data: { format: string; records?: unknown };
}

/** What of a spec data.py does not reproduce (empty: the trainer can be exported). Mirrors data.py's `unsupported`. */
export function trainerUnsupported(spec: TrainerSpec): string[] {
  const { format, records } = spec.data;
  if (format === 'text' || format === 'jsonl' || (format === 'tsv' && !records)) return [];
  if (format === 'tsv') return ['data.records (TSV with a header; supported: headerless source<TAB>target pairs)'];
  return [`data.format "${format}" (supported: "text", "jsonl", and "tsv" pairs)`];
}

const SPEC_FILE_LINE = /^SPEC_FILE = None.*$/m;

/** data.py and train.py; `specFile` (the run's spec file, when known) sets train.py's default --data-dir. */
export function trainerSources(specFile: string | undefined): { 'data.py': string; 'train.py': string } {
  if (!SPEC_FILE_LINE.test(trainPy)) throw new Error('src/export/python/train.py has no `SPEC_FILE = None` line to replace');
  const train = specFile === undefined ? trainPy
    : trainPy.replace(SPEC_FILE_LINE, () => `SPEC_FILE = ${JSON.stringify(specFile)}  # the run's spec file at export: its folder is the default --data-dir`);
  return { 'data.py': dataPy, 'train.py': train };
}
