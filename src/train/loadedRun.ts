/** A finished (or interrupted) run read back for evaluation, sampling and prediction. */
import { isBackendPreference, selectBackend } from '../engine/kernels/selectBackend';
import { RecurrentModel } from '../engine/model';
import type { Normalization } from '../data';
import type { Vocabulary } from '../data/vocabulary';
import { withLegacyDefaults, type ResolvedSpec } from '../modelSpec';
import { decodeWeights } from './checkpoint';
import { InputError } from './errors';
import { RUN_FILES, readJson, runFile, type RunStore } from './runStore';
import type { Summary } from './runTypes';
import { readRunCodec } from './vocabularyFile';
import { readWarmupFile } from './warmup';

export interface LoadedRun {
  runId: string;
  spec: ResolvedSpec;
  summary: Summary;
  model: RecurrentModel;
  /** Which weights were loaded. */
  weights: 'best' | 'last';
  inputVocab?: Vocabulary;
  outputVocab?: Vocabulary;
  labels?: string[];
  normalization?: Normalization;
  /** Language models: the stretch of training text sampling warms the state up on (absent in older runs). */
  warmupText?: string;
}

/** Loads `best.safetensors` (else `last`) with the run's spec, vocabularies and normalisation. */
export async function loadRun(store: RunStore, runId: string, dtype: 'float32' | 'float64' = 'float32'): Promise<LoadedRun> {
  for (const file of [RUN_FILES.spec, RUN_FILES.summary]) {
    if (!(await store.exists(runFile(runId, file)))) {
      throw new InputError(`'${runId}' is not a run folder: ${file} is missing (expected a folder written by rnn-lab train)`, runId);
    }
  }
  const spec = withLegacyDefaults(await readJson<unknown>(store, runFile(runId, RUN_FILES.spec)));
  const summary = await readJson<Summary>(store, runFile(runId, RUN_FILES.summary));
  const weights = (await store.exists(runFile(runId, RUN_FILES.best))) ? 'best' : 'last';
  const weightsFile = runFile(runId, RUN_FILES[weights]);
  if (!(await store.exists(weightsFile))) throw new InputError(`run '${runId}' has no checkpoint yet (no best or last.safetensors)`, runId);
  // The backend the run trained with (when it runs here), so that eval reproduces train's numbers exactly.
  const { backend } = selectBackend({ preferred: dtype === 'float32' && isBackendPreference(summary.backend) ? summary.backend : 'ts' });
  const model = RecurrentModel.create(summary.network, { seed: summary.seed, dtype, backend });
  model.importWeights(decodeWeights(await store.readFile(weightsFile)));
  const { inputVocab, outputVocab, labels, normalization } = await readRunCodec(store, runId);
  const warmupText = await readWarmupFile(store, runId);
  return { runId, spec, summary, model, weights, inputVocab, outputVocab, labels, normalization, warmupText };
}
