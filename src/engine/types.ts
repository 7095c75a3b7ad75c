/**
 * Shared engine types. Every tensor is a flat, row-major typed array; shapes are given in the names
 * and JSDoc. Sequences are stored time-major: a `T×B×F` tensor holds step t of sequence b at
 * offset `(t*B + b)*F`, so that the slice of one time step is contiguous for the recurrent matmul.
 */

/** Training runs in float32; gradient checks run the very same code in float64. */
export type FloatArray = Float32Array | Float64Array;
export type DType = 'float32' | 'float64';

/** One learnable tensor, named and shaped as PyTorch names and shapes it (see `safetensors.ts`). */
export interface Param {
  /** Canonical safetensors key, e.g. `rnn.weight_ih_l0_reverse`, `head.weight`. */
  readonly name: string;
  /** PyTorch shape, e.g. `[4*H, X]` for an LSTM `weight_ih`. */
  readonly shape: readonly number[];
  readonly data: FloatArray;
  readonly grad: FloatArray;
  /** Excluded from weight decay (biases, as is customary). */
  readonly noDecay?: boolean;
}

export type CellType = 'rnn' | 'lstm' | 'gru';
export type Activation = 'tanh' | 'relu';
export type Merge = 'concat' | 'sum' | 'mean' | 'mul';
export type Connections = 'none' | 'skip' | 'dense';
export type TaskShape = 'many-to-one' | 'many-to-many' | 'one-to-many' | 'seq2seq';
export type RecurrentInit = 'orthogonal' | 'identity';
/** seq2seq: how the decoder scores encoder outputs (Luong's global attention), or `none`. */
export type AttentionScore = 'none' | 'dot' | 'general' | 'additive';
/** `glorot`: RNN Lab's scheme (Glorot inputs, orthogonal/identity recurrence, forget bias 1); `pytorch`: PyTorch's defaults. */
export type Initialization = 'glorot' | 'pytorch';

/** What enters the first layer. `embeddingSize: 0` means one-hot input, done as a column lookup of `W_ih`. */
export type InputConfig =
  | { kind: 'tokens'; vocabSize: number; embeddingSize: number }
  | { kind: 'features'; size: number };

/** What the head emits: class logits (softmax cross-entropy) or values (MSE). */
export type OutputConfig =
  /** `weights`: one positive weight per class for the cross-entropy (`training.classWeights`); absent: all 1. */
  | { kind: 'classes'; size: number; weights?: number[] }
  | { kind: 'values'; size: number };

/** The network, fully resolved: the spec layer fills every default before the engine sees it. */
export interface NetworkConfig {
  task: TaskShape;
  cell: CellType;
  activation: Activation;
  hiddenSize: number;
  layers: number;
  bidirectional: boolean;
  merge: Merge;
  connections: Connections;
  dropout: number;
  recurrentInit: RecurrentInit;
  /** How parameters are drawn; absent means `glorot` (runs stored before the key existed). */
  initialization?: Initialization;
  /** seq2seq: the attention score (see `layers/attention.ts`); absent means `none`. */
  attention?: AttentionScore;
  /** seq2seq with attention: h̃_{t−1} joins the decoder's input at step t (`decoder.rnn.weight_ih_l0` has W more columns); absent means false. */
  attentionFeed?: boolean;
  /** Encoder input (seq2seq), the sequence (many-to-one, many-to-many), unused for one-to-many. */
  input: InputConfig;
  output: OutputConfig;
  /** seq2seq and one-to-many: the generated sequence's tokens (`output.size` must equal vocabSize). */
  decoder?: { vocabSize: number; embeddingSize: number };
  /** one-to-many: size of the conditioning vector v in `h_0 = tanh(init.weight · v + init.bias)`. */
  initVectorSize?: number;
}

/**
 * One batch, time-major. Valid steps of sequence b are `t < lengths[b]`; padded steps leave the
 * state unchanged and add nothing to the loss or the gradients.
 */
export interface Batch {
  /** B */
  batchSize: number;
  /** T: steps of the (encoder) input. */
  steps: number;
  /** B valid lengths of the input sequences (each in 1..T). */
  lengths: Int32Array;
  /** T×B token ids, when the input is tokens. */
  tokens?: Int32Array;
  /** T×B×X real-valued inputs, when the input is features. */
  features?: Float32Array;

  /** many-to-one classification: B class ids; -2 (UNSEEN_TARGET) marks a label training lacks. */
  classLabels?: Int32Array;
  /** many-to-one regression: B×Y values; aligned regression: T×B×Y values. */
  targetValues?: Float32Array;
  /** aligned many-to-many classification: T×B class ids; -1 ignores a step, -2 (UNSEEN_TARGET) marks a label training lacks. */
  targetTokens?: Int32Array;
  /**
   * Aligned many-to-many only: count loss only at steps `t >= lossFrom` (truncated BPTT with
   * backpropSteps > forwardSteps recomputes earlier steps for the gradient but scores only new ones).
   */
  lossFrom?: number;

  /** seq2seq and one-to-many: decoder steps T2 (teacher forcing input `<bos> y_1 … y_{T2-1}`). */
  decoderSteps?: number;
  /** T2×B decoder input ids (starting with `<bos>`). */
  decoderInput?: Int32Array;
  /** T2×B decoder targets (ending with `<eos>`); -1 ignores a step. */
  decoderTarget?: Int32Array;
  /** B valid decoder lengths. */
  decoderLengths?: Int32Array;
  /** one-to-many: B×V conditioning vectors. */
  initVectors?: Float32Array;
}
