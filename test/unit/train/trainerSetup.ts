/** Small seeded datasets, specs and an in-memory run store for trainer tests. */
import { Rng } from '../../../src/engine/random';
import { decodeWeights } from '../../../src/train/checkpoint';
import { InputError } from '../../../src/train/errors';
import type { TrainingEvent } from '../../../src/train/events';
import { PostingRunStore } from '../../../src/train/postingRunStore';
import type { TrainOptions } from '../../../src/train/trainer';

export const encoder = new TextEncoder();

/** A seeded pseudo-text: words from a small lexicon, so a model has something to learn. */
export function pseudoText(chars: number, seed: number): string {
  const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'ran', 'away', 'far'];
  const rng = new Rng(seed);
  let text = '';
  while (text.length < chars) text += words[rng.int(words.length)] + (rng.next() < 0.1 ? '.\n' : ' ');
  return text;
}

export function lmSpec(training: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'lm', task: 'many-to-many',
    data: { train: 'text.txt', sequenceLength: 10 },
    model: { cell: 'gru', hiddenSize: 16, embeddingSize: 8 },
    training: { epochs: 2, batchSize: 4, optimizer: { type: 'adam', learningRate: 0.01 }, ...training },
  });
}

export function records(count: number, seed: number): string {
  const rng = new Rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const input = Array.from({ length: 6 }, () => 'abcd'[rng.int(4)]).join('');
    lines.push(JSON.stringify({ input, label: input[0] }));
  }
  return lines.join('\n') + '\n';
}

export interface Setup { store: PostingRunStore; files: Record<string, Uint8Array>; events: TrainingEvent[] }

export function setup(files: Record<string, string>): Setup {
  const bytes: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(files)) bytes[k] = encoder.encode(v);
  return { store: new PostingRunStore(() => undefined), files: bytes, events: [] };
}

export function options(s: Setup, specText: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    specText, specPath: 'model.rnn.json', store: s.store, onEvent: (e) => s.events.push(e),
    read: (rel) => {
      const b = s.files[rel];
      if (!b) throw new InputError('missing', rel);
      return b;
    },
    runId: 'run', ...extra,
  };
}

export async function weights(s: Setup, runId: string): Promise<Float32Array[]> {
  const tensors = decodeWeights(await s.store.readFile(`${runId}/last.safetensors`));
  return [...tensors.keys()].sort().map((k) => tensors.get(k)!.data);
}

