/** Datasets: readers over bytes, vocabularies, splits, batching. Errors are `DataError` (file:line:column). */
export { prepareDataset } from './prepareDataset';
export type { DataWarning, Example, Normalization, PreparedDataset, Split } from './dataset';
export { makeBatch } from './makeBatch';
export { toNetworkConfig } from './networkConfig';
export { DataError } from './dataError';
export { Vocabulary, splitTokens, PAD, UNK, BOS, EOS, type TokenUnit, type VocabularyJson } from './vocabulary';
export { inferSpecFromDataset, dataInfo, type DataInfo } from './inferSpec';
export { classWeightsFor, type ClassWeightsIssue } from './classWeights';
