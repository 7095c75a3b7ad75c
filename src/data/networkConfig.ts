/** Spec + prepared data → the engine's `NetworkConfig` (vocabulary, feature and output sizes filled). */
import type { InputConfig, NetworkConfig, OutputConfig } from '../engine/types';
import type { ResolvedSpec } from '../modelSpec';
import type { PreparedDataset } from './dataset';

/**
 * Output: classes for classifiers and taggers (`labels`), for language models (`inputVocab`), and
 * for generated sequences (`outputVocab`, with a decoder); values (`targetSize`) for regression.
 */
export function toNetworkConfig(spec: ResolvedSpec, data: PreparedDataset): NetworkConfig {
  const m = spec.model;
  const generates = data.task === 'seq2seq' || data.task === 'one-to-many';
  const input: InputConfig = data.inputVocab
    ? { kind: 'tokens', vocabSize: data.inputVocab.size, embeddingSize: m.embeddingSize }
    : { kind: 'features', size: data.featureSize ?? data.initVectorSize ?? 1 };
  let output: OutputConfig;
  if (generates && data.outputVocab) output = { kind: 'classes', size: data.outputVocab.size };
  else if (data.labels) output = { kind: 'classes', size: data.labels.length };
  else if (data.kind === 'stream' && data.inputVocab) output = { kind: 'classes', size: data.inputVocab.size };
  else output = { kind: 'values', size: data.targetSize ?? 1 };
  return {
    task: data.task,
    cell: m.cell,
    activation: m.activation,
    hiddenSize: m.hiddenSize,
    layers: m.layers,
    bidirectional: m.bidirectional,
    merge: m.merge,
    connections: m.connections,
    dropout: m.dropout,
    recurrentInit: m.recurrentInit,
    initialization: m.initialization,
    ...(data.task === 'seq2seq' && m.attention !== 'none' && { attention: m.attention, ...(m.attentionFeed && { attentionFeed: true }) }),
    input,
    output,
    ...(generates && data.outputVocab && { decoder: { vocabSize: data.outputVocab.size, embeddingSize: m.embeddingSize } }),
    ...(data.initVectorSize !== undefined && { initVectorSize: data.initVectorSize }),
  };
}
