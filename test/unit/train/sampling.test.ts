import { strict as assert } from 'node:assert';
import { RecurrentModel, type RecurrentState } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import type { AttentionScore, NetworkConfig } from '../../../src/engine/types';
import {
  argmax, beamSearch, decodeFrom, gatherRows, greedyDecodeBatch, logSoftmax, neverGenerated, sampleLogits, sampleStream, type StepModel,
} from '../../../src/train/sampling';

// Generated vocabularies: <pad> 0, <unk> 1, <bos> 2, <eos> 3, then tokens.
const BOS = 2;
const EOS = 3;
const A = 4;
const B = 5;

/**
 * A decoder whose next-token distribution is a table keyed by the generated prefix. Its state holds
 * the prefix (token ids, 0-padded) in h[0], one row per sequence, so beam search's row gathering
 * works on it as on a real model's state.
 */
class TableDecoder implements StepModel {
  readonly config = { output: { size: 6 } };
  static readonly MAX = 8;
  constructor(private readonly table: Record<string, Record<number, number>>) {}

  step(ids: Int32Array, state: RecurrentState | null): { logits: Float32Array; state: RecurrentState } {
    const rows = ids.length;
    const prefixes = new Float32Array(rows * TableDecoder.MAX);
    const logits = new Float32Array(rows * 6);
    for (let b = 0; b < rows; b++) {
      const prefix = state ? Array.from(state.h[0].subarray(b * TableDecoder.MAX, (b + 1) * TableDecoder.MAX)).filter((t) => t > 0) : [];
      if (ids[b] !== BOS) prefix.push(ids[b]);
      prefixes.set(prefix, b * TableDecoder.MAX);
      const p = this.table[prefix.join(' ')] ?? { [EOS]: 1 };
      for (let k = 0; k < 6; k++) logits[b * 6 + k] = Math.log(p[k] ?? 1e-9);
    }
    return { logits, state: { h: [prefixes] } };
  }
}

/** Greedy picks A (0.55) and ends with A A <eos> (p 0.22); B <eos> has p 0.405. */
const TRAP = {
  '': { [A]: 0.55, [B]: 0.45 },
  [`${A}`]: { [EOS]: 0.2, [A]: 0.4, [B]: 0.4 },
  [`${A} ${A}`]: { [EOS]: 1 },
  [`${B}`]: { [EOS]: 0.9, [A]: 0.05, [B]: 0.05 },
};

function seq2seqModel(seed: number, cell: 'rnn' | 'gru' | 'lstm', attention: AttentionScore = 'none', attentionFeed = false): RecurrentModel {
  const config: NetworkConfig = {
    task: 'seq2seq', cell, activation: 'tanh', hiddenSize: 8, layers: 1, bidirectional: false, merge: 'concat',
    connections: 'none', dropout: 0, recurrentInit: 'orthogonal',
    input: { kind: 'tokens', vocabSize: 6, embeddingSize: 4 }, output: { kind: 'classes', size: 7 },
    decoder: { vocabSize: 7, embeddingSize: 4 }, attention, attentionFeed,
  };
  const model = RecurrentModel.create(config, { seed });
  // sharpen the random head so decodings differ between strategies and end at <eos> now and then
  const head = model.param('head.weight').data;
  for (let i = 0; i < head.length; i++) head[i] *= 6;
  return model;
}

function languageModel(seed: number): RecurrentModel {
  return RecurrentModel.create({
    task: 'many-to-many', cell: 'gru', activation: 'tanh', hiddenSize: 8, layers: 1, bidirectional: false, merge: 'concat',
    connections: 'none', dropout: 0, recurrentInit: 'orthogonal',
    input: { kind: 'tokens', vocabSize: 10, embeddingSize: 4 }, output: { kind: 'classes', size: 10 },
  }, { seed });
}

const sourceBatch = (tokens: number[]) => ({ batchSize: 1, steps: tokens.length, lengths: Int32Array.of(tokens.length), tokens: Int32Array.from(tokens) });

/** Σ log p(y_t | y_<t, source) of `tokens` (then `<eos>` when `ended`), by teacher forcing. */
function scoreSequence(model: StepModel, initial: RecurrentState, tokens: Int32Array, ended: boolean): number {
  let state = initial;
  let previous = BOS;
  let total = 0;
  for (const y of [...tokens, ...(ended ? [EOS] : [])]) {
    const step = model.step(Int32Array.of(previous), state);
    total += logSoftmax(step.logits, 0, model.config.output.size)[y];
    state = step.state;
    previous = y;
  }
  return total;
}

const greedyChooser = (logits: Float32Array | Float64Array, offset: number, count: number) => argmax(logits, offset, count, neverGenerated(BOS));

describe('sampling and decoding', () => {
  it('beam search escapes a greedy trap: B <eos> (0.405) beats greedy A A <eos> (0.22)', () => {
    const decoder = new TableDecoder(TRAP);
    const initial = { h: [new Float32Array(TableDecoder.MAX)] };
    const [greedy] = decodeFrom(decoder, initial, 1, BOS, EOS, 10, greedyChooser);
    assert.deepEqual(Array.from(greedy.tokens), [A, A]);
    assert.ok(Math.abs(greedy.logProbability - Math.log(0.22)) < 1e-6);
    const beam = beamSearch(decoder, initial, BOS, EOS, 2, 10);
    assert.deepEqual(Array.from(beam.tokens), [B]);
    assert.ok(beam.ended);
    assert.ok(Math.abs(beam.logProbability - Math.log(0.405)) < 1e-6);
    assert.deepEqual(Array.from(beamSearch(decoder, initial, BOS, EOS, 1, 10).tokens), [A, A], 'width 1 is greedy');
  });

  it('on random seq2seq models, width 1 equals greedy and width 4 never scores lower; scores are the true log-probabilities', () => {
    let strictlyBetter = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const model = seq2seqModel(seed, (['rnn', 'gru', 'lstm'] as const)[seed % 3]);
      const batch = sourceBatch([4, 5, 2 + (seed % 4), 3]);
      const [greedyTokens] = greedyDecodeBatch(model, batch, BOS, EOS, 12);
      const [greedy] = decodeFrom(model, model.encode(batch), 1, BOS, EOS, 12, greedyChooser);
      assert.deepEqual(Array.from(greedy.tokens), Array.from(greedyTokens));
      const one = beamSearch(model, model.encode(batch), BOS, EOS, 1, 12);
      assert.deepEqual(Array.from(one.tokens), Array.from(greedy.tokens), `seed ${seed}: width 1`);
      const beam = beamSearch(model, model.encode(batch), BOS, EOS, 4, 12);
      if (beam.ended === greedy.ended) assert.ok(beam.logProbability >= greedy.logProbability - 1e-9, `seed ${seed}: beam below greedy`);
      else assert.ok(beam.ended, `seed ${seed}: beam returned an open hypothesis where greedy ended`);
      assert.ok(Math.abs(beam.logProbability - scoreSequence(model, model.encode(batch), beam.tokens, beam.ended)) < 1e-4);
      if (beam.logProbability > greedy.logProbability + 1e-6) strictlyBetter++;
      for (const t of beam.tokens) assert.ok(t > BOS && t !== EOS, `seed ${seed}: generated special token ${t}`);
    }
    assert.ok(strictlyBetter > 0, 'beam search should find a better sequence than greedy on some of these models');
  });

  it('attention decoders (half of them fed): beam search reorders the encoder outputs (and h̃) with the states; scores are the true log-probabilities, one alignment row per token', () => {
    let strictlyBetter = 0;
    let withTokens = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const attention = (['dot', 'general', 'additive'] as const)[seed % 3];
      const model = seq2seqModel(seed, (['gru', 'lstm'] as const)[seed % 2], attention, seed % 4 < 2);
      const batch = sourceBatch([4, 5, 2 + (seed % 4), 3]);
      const [greedy] = decodeFrom(model, model.encode(batch), 1, BOS, EOS, 12, greedyChooser);
      const beam = beamSearch(model, model.encode(batch), BOS, EOS, 4, 12);
      assert.ok(Math.abs(beam.logProbability - scoreSequence(model, model.encode(batch), beam.tokens, beam.ended)) < 1e-4, `seed ${seed} (${attention})`);
      if (beam.logProbability > greedy.logProbability + 1e-6) strictlyBetter++;
      if (beam.tokens.length > 0) withTokens++;
      for (const h of [greedy, beam]) {
        assert.equal(h.attention?.length ?? 0, h.tokens.length);
        for (const row of h.attention ?? []) {
          assert.equal(row.length, 4);
          assert.ok(Math.abs(row.reduce((s, a) => s + a, 0) - 1) < 1e-5);
        }
      }
    }
    assert.ok(strictlyBetter > 0, 'beam search should find a better sequence than greedy on some of these models');
    assert.ok(withTokens >= 5, `only ${withTokens} of 24 beams generated a token`);
  });

  it('gatherRows picks state rows and, at every source step, the encoder outputs and mask rows', () => {
    // B = 3 rows, T = 2 source steps, W = 2.
    const state = {
      h: [Float32Array.of(0, 0, 1, 1, 2, 2)],
      attentional: Float32Array.of(5, 5, 6, 6, 7, 7),
      encoderOutputs: Float32Array.of(10, 10, 11, 11, 12, 12, 20, 20, 21, 21, 22, 22),
      sourceMask: Uint8Array.of(1, 1, 1, 1, 0, 1),
    };
    const picked = gatherRows(state, [2, 0, 2], 3);
    assert.deepEqual(Array.from(picked.h[0]), [2, 2, 0, 0, 2, 2]);
    assert.deepEqual(Array.from(picked.attentional!), [7, 7, 5, 5, 7, 7]);
    assert.deepEqual(Array.from(picked.encoderOutputs!), [12, 12, 10, 10, 12, 12, 22, 22, 20, 20, 22, 22]);
    assert.deepEqual(Array.from(picked.sourceMask!), [1, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(gatherRows(state, [1], 3).sourceMask!), [1, 0]);
  });

  it('top-k restricts draws to the k most likely allowed tokens, and draws all of them', () => {
    const logits = Float32Array.of(9, 9, 1, 3, 2.5, 2, -1, 0.5);
    const rng = new Rng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(sampleLogits(logits, 0, logits.length, 1, 3, rng, neverGenerated()));
    assert.deepEqual([...seen].sort(), [3, 4, 5]);
  });

  it('temperature → 0 approaches greedy: the argmax share grows as τ falls, and τ = 1e-3 always picks it', () => {
    const logits = Float32Array.of(0, 0, 1, 1.5, 1.2, 0.3);
    const share = (temperature: number) => {
      const rng = new Rng(11);
      let hits = 0;
      for (let i = 0; i < 3000; i++) if (sampleLogits(logits, 0, 6, temperature, 0, rng, neverGenerated()) === 3) hits++;
      return hits / 3000;
    };
    const shares = [2, 1, 0.5, 0.1, 1e-3].map(share);
    for (let i = 1; i < shares.length; i++) assert.ok(shares[i] > shares[i - 1], `shares ${shares}`);
    assert.equal(shares.at(-1), 1);
    assert.equal(argmax(logits, 0, 6, neverGenerated()), 3);
  });

  it('never generates <pad>, <unk> or <bos>, even when the model favours them', () => {
    const lm = languageModel(3);
    const bias = lm.param('head.bias').data;
    bias[0] = 30;
    bias[1] = 30;
    for (const greedy of [false, true]) {
      const out = sampleStream(lm, Int32Array.of(4), { length: 200, temperature: 1.5, topK: 0, greedy, rng: new Rng(1) });
      assert.ok(out.every((id) => id >= 2), `greedy=${greedy}: ${out.slice(0, 20)}`);
    }
    const model = seq2seqModel(2, 'gru');
    const headBias = model.param('head.bias').data;
    headBias[0] = headBias[1] = headBias[BOS] = 30;
    const batch = sourceBatch([4, 5]);
    const decoded = [
      ...greedyDecodeBatch(model, batch, BOS, EOS, 10),
      beamSearch(model, model.encode(batch), BOS, EOS, 3, 10).tokens,
      decodeFrom(model, model.encode(batch), 1, BOS, EOS, 10,
        (l, o, c) => sampleLogits(l, o, c, 1, 0, new Rng(4), neverGenerated(BOS)))[0].tokens,
    ];
    for (const tokens of decoded) assert.ok(tokens.every((id) => id > BOS), `${tokens}`);
  });

  it('the same seed gives the same sample, another seed another one', () => {
    const lm = languageModel(9);
    const draw = (seed: number) => Array.from(sampleStream(lm, Int32Array.of(4, 5), { length: 60, temperature: 1, topK: 0, greedy: false, rng: new Rng(seed) }));
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });
});
