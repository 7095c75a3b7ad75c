/**
 * Stand-in for `parameterShapes(config)` of `src/engine/model.ts` (see ../contractAdapters.ts).
 * PyTorch names and shapes, gates packed G·H rows (G = 1 rnn, 4 lstm, 3 gru):
 *   rnn.weight_ih_l{k}[_reverse]  G·H × in_k     rnn.weight_hh_l{k}[_reverse]  G·H × H
 *   rnn.bias_ih_l{k}[_reverse]    G·H            rnn.bias_hh_l{k}[_reverse]    G·H
 * in_0 is the embedding size (or the vocabulary for one-hot input, or the feature size); in_k is the
 * merged width of layer k−1, or with dense connections the input plus every earlier layer's output.
 */
import type { NetworkConfig } from '../../../engine/types';

const GATES = { rnn: 1, lstm: 4, gru: 3 } as const;

export function parameterShapes(config: NetworkConfig): { name: string; shape: number[] }[] {
  const shapes: { name: string; shape: number[] }[] = [];
  const hidden = config.hiddenSize;
  const rows = GATES[config.cell] * hidden;
  const directions = config.bidirectional ? 2 : 1;
  const merged = config.bidirectional && config.merge === 'concat' ? 2 * hidden : hidden;

  const addStack = (prefix: string, inputWidth: number, stackDirections: number): number => {
    let width = inputWidth;
    let denseWidth = inputWidth;
    const out = stackDirections === 2 ? merged : hidden;
    for (let k = 0; k < config.layers; k++) {
      const inK = config.connections === 'dense' ? denseWidth : width;
      for (let d = 0; d < stackDirections; d++) {
        const suffix = `l${k}${d === 1 ? '_reverse' : ''}`;
        shapes.push({ name: `${prefix}rnn.weight_ih_${suffix}`, shape: [rows, inK] });
        shapes.push({ name: `${prefix}rnn.weight_hh_${suffix}`, shape: [rows, hidden] });
        shapes.push({ name: `${prefix}rnn.bias_ih_${suffix}`, shape: [rows] });
        shapes.push({ name: `${prefix}rnn.bias_hh_${suffix}`, shape: [rows] });
      }
      if (config.connections === 'skip' && k > 0 && width !== out) shapes.push({ name: `skip.${k}.weight`, shape: [out, width] });
      denseWidth += out;
      width = out;
    }
    return width;
  };

  const embedded = (prefix: string, vocab: number, size: number): number => {
    if (size === 0) return vocab;
    shapes.push({ name: `${prefix}embedding.weight`, shape: [vocab, size] });
    return size;
  };
  const inputWidth = config.input.kind === 'tokens' ? config.input.vocabSize : config.input.size;

  let headIn: number;
  if (config.task === 'seq2seq') {
    const encoderIn = config.input.kind === 'tokens' ? embedded('encoder.', config.input.vocabSize, config.input.embeddingSize) : inputWidth;
    addStack('encoder.', encoderIn, directions);
    const decoder = config.decoder ?? { vocabSize: config.output.size, embeddingSize: 0 };
    headIn = addStack('decoder.', embedded('decoder.', decoder.vocabSize, decoder.embeddingSize), 1);
  } else if (config.task === 'one-to-many') {
    const decoder = config.decoder ?? { vocabSize: config.output.size, embeddingSize: 0 };
    shapes.push({ name: 'init.weight', shape: [hidden, config.initVectorSize ?? 1] }, { name: 'init.bias', shape: [hidden] });
    headIn = addStack('', embedded('', decoder.vocabSize, decoder.embeddingSize), 1);
  } else {
    const firstIn = config.input.kind === 'tokens' ? embedded('', config.input.vocabSize, config.input.embeddingSize) : inputWidth;
    headIn = addStack('', firstIn, directions);
  }
  shapes.push({ name: 'head.weight', shape: [config.output.size, headIn] }, { name: 'head.bias', shape: [config.output.size] });
  return shapes;
}
