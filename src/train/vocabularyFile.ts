/** `vocab.json` of a run: the vocabularies and class names a trained model reads and writes. */
import type { Normalization, PreparedDataset } from '../data';
import type { FixedCodec } from '../data/prepareDataset';
import { Vocabulary, type VocabularyJson } from '../data/vocabulary';
import type { NetworkConfig } from '../engine/types';
import { RUN_FILES, readJson, runFile, type RunStore } from './runStore';

export interface VocabularyFile {
  /** Input tokens (text LM, token sequences, seq2seq source). */
  input?: VocabularyJson;
  /** Generated tokens (seq2seq target, one-to-many). */
  output?: VocabularyJson;
  /** Class names of a classifier or tagger, by class id. */
  labels?: string[];
}

export function vocabularyFile(data: Pick<PreparedDataset, 'inputVocab' | 'outputVocab' | 'labels'>): VocabularyFile {
  const file: VocabularyFile = {};
  if (data.inputVocab) file.input = data.inputVocab.toJSON();
  if (data.outputVocab) file.output = data.outputVocab.toJSON();
  if (data.labels) file.labels = [...data.labels];
  return file;
}

/** The vocabularies back from `vocab.json`. */
export function readVocabularyFile(file: VocabularyFile): { inputVocab?: Vocabulary; outputVocab?: Vocabulary; labels?: string[] } {
  return {
    inputVocab: file.input ? new Vocabulary(file.input) : undefined,
    outputVocab: file.output ? new Vocabulary(file.output) : undefined,
    labels: file.labels,
  };
}

/**
 * What a stored run fixes for reading data again (`resume`, `eval`): its `vocab.json`, its
 * `normalization.json`, and the widths its network was built with. Old runs keep their meaning:
 * their vocabularies are used as stored, whatever order and text options they had.
 */
export async function readRunCodec(store: RunStore, runId: string, network?: NetworkConfig): Promise<FixedCodec> {
  const vocabPath = runFile(runId, RUN_FILES.vocab);
  const vocab = (await store.exists(vocabPath)) ? readVocabularyFile(await readJson<VocabularyFile>(store, vocabPath)) : {};
  const normPath = runFile(runId, RUN_FILES.normalization);
  const normalization = (await store.exists(normPath)) ? await readJson<Normalization>(store, normPath) : undefined;
  const codec: FixedCodec = {};
  if (vocab.inputVocab) codec.inputVocab = vocab.inputVocab;
  if (vocab.outputVocab) codec.outputVocab = vocab.outputVocab;
  if (vocab.labels) codec.labels = vocab.labels;
  if (normalization) codec.normalization = normalization;
  if (network?.input.kind === 'features') {
    if (network.initVectorSize !== undefined) codec.initVectorSize = network.initVectorSize;
    else codec.featureSize = network.input.size;
  }
  if (network?.output.kind === 'values') codec.targetSize = network.output.size;
  return codec;
}
