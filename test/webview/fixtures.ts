/** Specs for each diagram case, and a seeded synthetic training-event stream for the dashboard. */
import type { HostToWebview, TrainingEvent } from '../../src/protocol/hostWebview';
import { buildDiagramModel } from '../../src/extension/panels/diagramModel';

export interface SpecCase {
  name: string;
  spec: Record<string, unknown>;
}

const model = (extra: Record<string, unknown>) => ({ cell: 'lstm', hiddenSize: 64, layers: 1, embeddingSize: 16, ...extra });

export const TASK_CASES: SpecCase[] = [
  { name: 'many-to-one', spec: { task: 'many-to-one', data: { train: 'data/train.jsonl', sequenceLength: 6 }, model: model({ cell: 'gru' }) } },
  { name: 'many-to-many', spec: { task: 'many-to-many', data: { train: 'data/tiny.txt', sequenceLength: 30 }, model: model({ layers: 2 }) } },
  { name: 'one-to-many', spec: { task: 'one-to-many', data: { train: 'data/captions.jsonl', sequenceLength: 5 }, model: model({ cell: 'rnn' }) } },
  { name: 'seq2seq', spec: { task: 'seq2seq', data: { train: 'data/pairs.tsv', sequenceLength: 4 }, model: model({ layers: 2 }) } },
  { name: 'seq2seq-attention', spec: { task: 'seq2seq', data: { train: 'data/pairs.tsv', sequenceLength: 4 }, model: model({ layers: 2, attention: 'general', attentionFeed: true }) } },
];

export const STACK_CASES: SpecCase[] = [
  { name: 'bidirectional-stack', spec: { task: 'many-to-many', data: { train: 'data/tags.jsonl', sequenceLength: 5 }, model: model({ layers: 2, bidirectional: true, merge: 'concat' }) } },
  { name: 'deep-skip', spec: { task: 'many-to-one', data: { train: 'data/series.csv', window: 5 }, model: model({ cell: 'gru', layers: 4, connections: 'skip', hiddenSize: 32 }) } },
  { name: 'deep-dense', spec: { task: 'many-to-one', data: { train: 'data/train.jsonl', sequenceLength: 4 }, model: model({ layers: 4, connections: 'dense', hiddenSize: 32 }) } },
];

export function architectureMessage(c: SpecCase, known = {}): HostToWebview {
  return { type: 'architecture', restoreUri: `file:///ws/${c.name}.rnn.json`, specName: `${c.name}.rnn.json`, issues: [], diagram: buildDiagramModel(c.spec, c.name, known) };
}

/** A deterministic pseudo-random stream (mulberry32) so the synthetic curves are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Events of a run of `epochs` × `batches`, 2 layers, T = 40, with the loss falling like
 * 2.5·e^(−x/3) + noise and the gradient norm through time shrinking by 0.9 per step back.
 */
export function syntheticRun(epochs: number, batches: number, seed = 1): TrainingEvent[] {
  const random = rng(seed);
  const events: TrainingEvent[] = [{ event: 'start', run: '/runs/20250101-120000-demo', spec: {}, epochs, batchesPerEpoch: batches, parameters: 52_036, backend: 'wasm-simd' }];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let batch = 1; batch <= batches; batch++) {
      const x = epoch - 1 + batch / batches;
      const loss = 0.4 + 2.1 * Math.exp(-x / 3) + 0.15 * (random() - 0.5);
      events.push({ event: 'progress', epoch, epochs, batch, batches, loss, tokensPerSecond: 21_000 + 2000 * random(),
        etaMs: ((epochs - x) / epochs) * 90_000, learningRate: 0.002 * (epoch > 5 ? 0.5 : 1) });
      if (batch % 5 === 0) {
        const hiddenGradNorms = [0, 1].map((k) => Array.from({ length: 40 }, (_, t) => (k + 1) * 0.05 * Math.pow(0.9, 40 - 1 - t) * (0.8 + 0.4 * random())));
        events.push({ event: 'gradients', epoch, batch, hiddenGradNorms, gradNorm: 3 + 4 * Math.exp(-x) + random(),
          paramGradNorms: { 'embedding.weight': 0.5 * random(), 'rnn.weight_ih_l0': 1 + random(), 'rnn.weight_hh_l0': 1.5 * random(),
            'rnn.weight_ih_l1': 0.8, 'rnn.weight_hh_l1': 0.6 * random(), 'head.weight': 2 * random() }, clipNorm: 5 });
      }
    }
    const trainLoss = 0.4 + 2.1 * Math.exp(-epoch / 3);
    events.push({ event: 'metrics', epoch, split: 'train', metrics: { loss: trainLoss, accuracy: 1 - trainLoss / 3 } });
    events.push({ event: 'metrics', epoch, split: 'validation', metrics: { loss: trainLoss + 0.1 + 0.02 * epoch, accuracy: 0.95 - trainLoss / 3 } });
    events.push({ event: 'sample', epoch, temperature: 0.8, text: `epoch ${epoch}: the quick brown fox ${'jumps '.repeat(epoch % 3 + 1)}over` });
  }
  return events;
}
