/**
 * Child-process probe of threadDeath.test.ts: a 2-thread gradient step whose worker dies after the
 * first step, in the way named by argv[2]:
 *   terminated  worker.terminate() (a hard end, like running out of memory), awaited, so that the
 *               main thread has seen the 'exit' event before the next step
 *   unnoticed   worker.terminate() not awaited: the next step is posted before the main thread's
 *               event loop could see the exit (only the worker never taking the step tells)
 *   exits       the worker calls process.exit itself between steps (exitAfterStepPreload.ts)
 * Prints one JSON line: the second step's error message, whether a third step fails too, and
 * whether close() finished. The test bounds the probe's time: a hang is a failure, not a stuck mocha.
 */
import type { Worker } from 'node:worker_threads';
import { RecurrentModel } from '../../../../src/engine/model';
import { Rng } from '../../../../src/engine/random';
import { createGradientStep } from '../../../../src/train/parallel/threadPool';
import { baseConfig, randomBatch } from '../../engine/batches';

async function main(mode: string): Promise<void> {
  const config = baseConfig({ cell: 'lstm', hiddenSize: 4 });
  const model = RecurrentModel.create(config, { seed: 1, dtype: 'float32' });
  // A short pickup timeout keeps the `unnoticed` case quick (the default is far longer).
  const pool = createGradientStep(model, 2, { minShardWork: 0, pickupTimeoutMs: 5000 });
  const rng = new Rng(1);
  const step = () => pool.run(randomBatch(config, 1, 4, 3), { rng, collectGradNorms: false });
  step();
  const worker = (pool as unknown as { workers: Array<{ worker: Worker }> }).workers[0].worker;
  if (mode === 'terminated') await worker.terminate();
  else if (mode === 'unnoticed') void worker.terminate();
  else if (mode === 'exits') await new Promise((resolve) => setTimeout(resolve, 300));
  else throw new Error(`unknown mode ${mode}`);
  const failure = (): string | null => {
    try {
      step();
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  const second = failure();
  const third = failure();
  await pool.close();
  console.log(JSON.stringify({ second, third, closed: true }));
}

void main(process.argv[2]);
