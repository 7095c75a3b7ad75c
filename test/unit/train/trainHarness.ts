/** A trainer over in-memory files and an in-memory run store, for trainer tests. */
import { decodeWeights } from '../../../src/train/checkpoint';
import { InputError } from '../../../src/train/errors';
import type { TrainingEvent } from '../../../src/train/events';
import { PostingRunStore } from '../../../src/train/postingRunStore';
import type { TrainOptions } from '../../../src/train/trainer';

export const encoder = new TextEncoder();

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

