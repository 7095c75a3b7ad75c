/**
 * `rnn-lab export --trainer`: data.py and train.py beside model.py (src/export/python/*.py), which
 * retrain the run in PyTorch on the batches RNN Lab builds. The port covers text language models,
 * JSONL records of every task shape, headerless TSV pairs (seq2seq), CSV/TSV tables with a header
 * (`data.records`) and CSV time series; `trainerUnsupported` names anything else a spec uses, and the
 * export refuses it rather than writing a wrong pipeline.
 */
import { dataPy, trainPy } from './python/generated/pythonSources';

/** The parts of a resolved spec the trainer port reads. */
export interface TrainerSpec {
  task: string;
  data: { format: string };
}

/** The data formats data.py reads (every reader of each: tables, series, pairs, streams). */
export const TRAINER_FORMATS = ['text', 'jsonl', 'tsv', 'csv'] as const;

/** What of a spec data.py does not reproduce (empty: the trainer can be exported). Mirrors data.py's `unsupported`. */
export function trainerUnsupported(spec: TrainerSpec): string[] {
  const { format } = spec.data;
  if ((TRAINER_FORMATS as readonly string[]).includes(format)) return [];
  return [`data.format "${format}" (supported: ${TRAINER_FORMATS.map((f) => `"${f}"`).join(', ')})`];
}

const SPEC_FILE_LINE = /^SPEC_FILE = None.*$/m;

/** data.py and train.py; `specFile` (the run's spec file, when known) sets train.py's default --data-dir. */
export function trainerSources(specFile: string | undefined): { 'data.py': string; 'train.py': string } {
  if (!SPEC_FILE_LINE.test(trainPy)) throw new Error('src/export/python/train.py has no `SPEC_FILE = None` line to replace');
  const train = specFile === undefined ? trainPy
    : trainPy.replace(SPEC_FILE_LINE, () => `SPEC_FILE = ${JSON.stringify(specFile)}  # the run's spec file at export: its folder is the default --data-dir`);
  return { 'data.py': dataPy, 'train.py': train };
}
