/** Small seeded datasets and specs for trainer tests (the trainer harness is trainHarness.ts). */
import { Rng } from '../../../src/engine/random';

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
