/**
 * Memory a training run needs, estimated before it starts from the spec and the dataset's bytes
 * (no dataset is parsed on the extension host). An upper-bound flavoured estimate, in bytes:
 *
 *   parameters P = Σ_layers Σ_directions [ g·H·(X_k + H) + 2·g·H ] + O·(d·H) + O + V·E
 *      g gates (rnn 1, gru 3, lstm 4), H hidden size, d directions, X_0 = E (or V one-hot, or features),
 *      X_k = d·H above the first layer, O outputs, V vocabulary, E embedding size
 *   weights  = 4 bytes · P · 5        (weights, gradients, two optimizer moments, best checkpoint)
 *   BPTT     = 4 bytes · T · B · (g + 2)·H · layers · d   (gates, h and c cached for every step)
 *   data     = 8 · dataset bytes      (raw bytes plus Int32 token ids and example records)
 *   runtime  = 48 MiB                 (the worker's own isolate)
 */
export interface MemoryEstimateInput {
  cell: 'rnn' | 'lstm' | 'gru';
  hiddenSize: number;
  layers: number;
  bidirectional: boolean;
  /** 0 means one-hot token input. */
  embeddingSize: number;
  /** Vocabulary size for token input, feature count for real-valued input. */
  inputSize: number;
  tokenInput: boolean;
  outputSize: number;
  /** Longest sequence (or BPTT window) the model is unrolled over. */
  steps: number;
  batchSize: number;
  datasetBytes: number;
}

export interface MemoryEstimate { parameters: number; bytes: number }

const GATES = { rnn: 1, gru: 3, lstm: 4 } as const;
const RUNTIME_BYTES = 48 * 1024 * 1024;

export function estimateTrainingMemory(input: MemoryEstimateInput): MemoryEstimate {
  const gates = GATES[input.cell];
  const hidden = input.hiddenSize;
  const directions = input.bidirectional ? 2 : 1;
  const embedded = input.tokenInput && input.embeddingSize > 0;
  let parameters = embedded ? input.inputSize * input.embeddingSize : 0;
  let layerInput = embedded ? input.embeddingSize : input.inputSize;
  for (let layer = 0; layer < input.layers; layer++) {
    parameters += directions * (gates * hidden * (layerInput + hidden) + 2 * gates * hidden);
    layerInput = directions * hidden;
  }
  parameters += input.outputSize * layerInput + input.outputSize;
  const weightBytes = 4 * parameters * 5;
  const bpttBytes = 4 * input.steps * input.batchSize * (gates + 2) * hidden * input.layers * directions;
  const dataBytes = 8 * input.datasetBytes;
  return { parameters, bytes: weightBytes + bpttBytes + dataBytes + RUNTIME_BYTES };
}

/** Distinct tokens (characters, or whitespace-separated words) in a sample of a text: a vocabulary bound. */
export function countDistinctTokens(sample: string, unit: 'char' | 'word'): number {
  const tokens = unit === 'word' ? sample.split(/\s+/).filter(Boolean) : Array.from(sample);
  return new Set(tokens).size;
}

/** Longest line of a text, in characters: a bound on a record's sequence length. */
export function longestLineLength(text: string): number {
  let longest = 0;
  for (const line of text.split('\n')) longest = Math.max(longest, line.length);
  return longest;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
