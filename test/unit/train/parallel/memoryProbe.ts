/**
 * Run by parallelMemory.test.ts as `node --expose-gc -r tsx/cjs memoryProbe.ts`: 1,000 training
 * steps of a config whose batches split over 2 threads; prints the heap (main thread, after gc())
 * and RSS (every thread) growth from step 100 to step 1,000 as one JSON line.
 */
import { setFlagsFromString } from 'node:v8';
import { heapGrowthKB } from '../../../../bench/measure';
import { createParallelTrainingStep } from '../../../../bench/trainingStep';
import { selectBackend } from '../../../../src/engine/kernels/selectBackend';

setFlagsFromString('--experimental-wasm-relaxed-simd');

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const config = { id: 'M', cell: 'rnn', hiddenSize: 64, layers: 1, bidirectional: false, steps: 16, batchSize: 32, task: { kind: 'lm', vocabSize: 65 } } as const;
  const step = await createParallelTrainingStep(config, selectBackend({ preferred: process.argv[2] as 'auto' }).backend, 2);
  const growth = heapGrowthKB(step, gc);
  await step.close();
  console.log(JSON.stringify({ shards: step.shards, ...growth }));
}

void main();
