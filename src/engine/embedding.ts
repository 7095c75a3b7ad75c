import type { Arena } from './arena';
import type { InputSegment } from './layers/recurrentDirection';
import type { FloatArray, Param } from './types';

/** An embedding table `E` (V×E, nn.Embedding's layout) and its lookup output x_t = E[id_t], T·B×E. */
export interface Embedding {
  param: Param;
  out: FloatArray;
  dOut: FloatArray;
}

/** The arena views of `param`'s lookup for up to `rows` tokens, or null when there is no table (one-hot input). */
export function reserveEmbedding(arena: Arena, param: Param | undefined, rows: number): Embedding | null {
  if (!param) return null;
  const E = param.shape[1];
  return { param, out: arena.take(rows * E), dOut: arena.take(rows * E) };
}

/** The first layer's input vectors x¹ (T×B×X) given directly, and where backward adds ∂L/∂x¹ (explanations). */
export interface InputVectors { data: FloatArray; grad: FloatArray }

/** `given` as the first layer's input segment of width X, or null. */
export function givenInput(given: InputVectors | undefined, width: number): InputSegment | null {
  return given ? { kind: 'dense', data: given.data, width, grad: given.grad } : null;
}

/**
 * The first layer's input x¹: one-hot tokens (a W_ih column lookup, no table), embedded tokens
 * x_t = E[id_t] (an id outside the table, such as padding, embeds as 0), or the features as given.
 */
export function firstLayerInput(embedding: Embedding | null, ids: Int32Array | undefined, features: Float32Array | undefined, rows: number, width: number): InputSegment {
  if (ids) {
    if (!embedding) return { kind: 'tokens', ids, width };
    const E = embedding.param.shape[1];
    const V = embedding.param.shape[0];
    const table = embedding.param.data;
    for (let r = 0; r < rows; r++) {
      const id = ids[r];
      const rowAt = r * E;
      if (id < 0 || id >= V) {
        embedding.out.fill(0, rowAt, rowAt + E);
        continue;
      }
      for (let j = 0; j < E; j++) embedding.out[rowAt + j] = table[id * E + j];
    }
    return { kind: 'dense', data: embedding.out, width: E, grad: embedding.dOut };
  }
  if (!features) throw new Error('batch has neither tokens nor features');
  return { kind: 'dense', data: features, width, grad: null };
}

/** Zeroes ∂x¹ for `rows` tokens before a backward pass adds into it. */
export function zeroEmbeddingGradient(embedding: Embedding | null, rows: number): void {
  if (embedding) embedding.dOut.fill(0, 0, rows * embedding.param.shape[1]);
}

/** ∂E[id_t] += ∂x_t for every counted token (scatter-add; ids outside the table add nothing). */
export function embeddingBackward(embedding: Embedding | null, ids: Int32Array | undefined, rows: number): void {
  if (!embedding || !ids) return;
  const E = embedding.param.shape[1];
  const V = embedding.param.shape[0];
  const grad = embedding.param.grad;
  for (let r = 0; r < rows; r++) {
    const id = ids[r];
    if (id < 0 || id >= V) continue;
    for (let j = 0; j < E; j++) grad[id * E + j] += embedding.dOut[r * E + j];
  }
}
