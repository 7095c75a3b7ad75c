import { attentionParameterShapes } from './layers/attention';
import { mergedWidth } from './layers/merge';
import { stackParameterShapes, type StackConfig } from './layers/stack';
import type { NetworkConfig } from './types';

/** The stacks a task uses: one `main` stack, or an encoder and a decoder for seq2seq. */
export function stackConfigs(config: NetworkConfig): { main: StackConfig; encoder: StackConfig | null } {
  const base = {
    cell: config.cell, activation: config.activation, layers: config.layers,
    connections: config.connections, dropout: config.dropout,
  };
  const inputWidth = (i: { kind: 'tokens'; vocabSize: number; embeddingSize: number } | { kind: 'features'; size: number }): number =>
    i.kind === 'features' ? i.size : i.embeddingSize > 0 ? i.embeddingSize : i.vocabSize;
  if (config.task === 'many-to-one' || config.task === 'many-to-many') {
    return {
      main: { ...base, hiddenSize: config.hiddenSize, bidirectional: config.bidirectional, merge: config.merge, inputWidth: inputWidth(config.input), prefix: '' },
      encoder: null,
    };
  }
  const dec = config.decoder;
  if (!dec) throw new Error(`task ${config.task} needs config.decoder (the generated tokens' vocabulary)`);
  const decoderInput = { kind: 'tokens' as const, vocabSize: dec.vocabSize, embeddingSize: dec.embeddingSize };
  if (config.task === 'one-to-many') {
    if (config.bidirectional) throw new Error('one-to-many generates left to right: bidirectional layers are not possible');
    if (!config.initVectorSize) throw new Error('one-to-many needs config.initVectorSize');
    return {
      main: { ...base, hiddenSize: config.hiddenSize, bidirectional: false, merge: config.merge, inputWidth: inputWidth(decoderInput), prefix: '' },
      encoder: null,
    };
  }
  const encoder: StackConfig = { ...base, hiddenSize: config.hiddenSize, bidirectional: config.bidirectional, merge: config.merge, inputWidth: inputWidth(config.input), prefix: 'encoder.' };
  // Each decoder layer starts from the matching encoder layer's merged final state, so its width is the encoder's output width.
  const decoderHidden = mergedWidth(config.hiddenSize, config.bidirectional, config.merge);
  // With attentionFeed the decoder reads [x_t; h̃_{t−1}], h̃ as wide as the decoder.
  const fed = config.attentionFeed && (config.attention ?? 'none') !== 'none' ? decoderHidden : 0;
  return {
    main: { ...base, hiddenSize: decoderHidden, bidirectional: false, merge: config.merge, inputWidth: inputWidth(decoderInput) + fed, prefix: 'decoder.' },
    encoder,
  };
}

/**
 * Names and PyTorch shapes of every parameter of a network, in state_dict order. Parameter counts
 * (Σ Π shape) equal PyTorch's `numel()` for the same network.
 */
export function parameterShapes(config: NetworkConfig): { name: string; shape: number[] }[] {
  const { main, encoder } = stackConfigs(config);
  const out: { name: string; shape: number[] }[] = [];
  const embedding = (prefix: string, vocab: number, size: number): void => {
    if (size > 0) out.push({ name: `${prefix}embedding.weight`, shape: [vocab, size] });
  };
  if (encoder) {
    if (config.input.kind === 'tokens') embedding('encoder.', config.input.vocabSize, config.input.embeddingSize);
    out.push(...stackParameterShapes(encoder));
    embedding('decoder.', config.decoder!.vocabSize, config.decoder!.embeddingSize);
  } else if (config.task === 'one-to-many') {
    embedding('', config.decoder!.vocabSize, config.decoder!.embeddingSize);
  } else if (config.input.kind === 'tokens') {
    embedding('', config.input.vocabSize, config.input.embeddingSize);
  }
  out.push(...stackParameterShapes(main));
  if (config.task === 'one-to-many') {
    out.push({ name: 'init.weight', shape: [config.hiddenSize, config.initVectorSize!] });
    out.push({ name: 'init.bias', shape: [config.hiddenSize] });
  }
  const W = mergedWidth(main.hiddenSize, main.bidirectional, main.merge);
  if (encoder) out.push(...attentionParameterShapes(config.attention ?? 'none', W));
  out.push({ name: 'head.weight', shape: [config.output.size, W] });
  out.push({ name: 'head.bias', shape: [config.output.size] });
  return out;
}

export function countParameters(config: NetworkConfig): number {
  return parameterShapes(config).reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
}
