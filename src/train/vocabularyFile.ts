/** `vocab.json` of a run: the vocabularies and class names a trained model reads and writes. */
import type { PreparedDataset } from '../data';
import { Vocabulary, type VocabularyJson } from '../data/vocabulary';

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
