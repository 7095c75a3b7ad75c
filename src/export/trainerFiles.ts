/**
 * `rnn-lab export --trainer`: data.py and train.py beside model.py (src/export/python/*.py), which
 * retrain the run in PyTorch on the batches RNN Lab builds. The port covers text language models and
 * JSONL records of many-to-one (classes or values) and many-to-many (tagging); `trainerUnsupported`
 * names what else a spec uses, and the export refuses it rather than writing a wrong pipeline.
 */
import { dataPy, trainPy } from './python/generated/pythonSources';

/** The parts of a resolved spec the trainer port reads. */
export interface TrainerSpec {
  task: string;
  data: { format: string; records?: unknown };
}

/** What of a spec data.py does not reproduce (empty: the trainer can be exported). Mirrors data.py's `unsupported`. */
export function trainerUnsupported(spec: TrainerSpec): string[] {
  if (spec.data.format === 'text') return [];
  const problems: string[] = [];
  if (spec.data.format !== 'jsonl') problems.push(`data.format "${spec.data.format}" (supported: "text", "jsonl")`);
  if (spec.task !== 'many-to-one' && spec.task !== 'many-to-many') {
    problems.push(`task "${spec.task}" (supported: many-to-one, many-to-many and text language models)`);
  }
  return problems;
}

const SPEC_FILE_LINE = /^SPEC_FILE = None.*$/m;

/** data.py and train.py; `specFile` (the run's spec file, when known) sets train.py's default --data-dir. */
export function trainerSources(specFile: string | undefined): { 'data.py': string; 'train.py': string } {
  if (!SPEC_FILE_LINE.test(trainPy)) throw new Error('src/export/python/train.py has no `SPEC_FILE = None` line to replace');
  const train = specFile === undefined ? trainPy
    : trainPy.replace(SPEC_FILE_LINE, () => `SPEC_FILE = ${JSON.stringify(specFile)}  # the run's spec file at export: its folder is the default --data-dir`);
  return { 'data.py': dataPy, 'train.py': train };
}
