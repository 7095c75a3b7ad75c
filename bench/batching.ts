/**
 * `npm run bench:batching`: padding fraction and epoch time of `data.batching: "bucket"` against
 * `"random"` on a ragged dataset (a benchmark, not a test).
 *
 *   tsx bench/batching.ts [--json] [--reps N] [--records N] [--backend auto|ts|wasm-simd|wasm-fma]
 *
 * Dataset: seeded records of 4…250 characters from "abcd" (lengths log-uniform, as sentence lengths
 * are skewed), label = the most frequent character; a GRU classifier (hidden 64, embedding 16,
 * batch 32). One epoch of the trainer per repetition, the settings alternating so a slow phase of
 * the machine spreads over both. Reported per setting: the padding fraction of the epoch's batches
 * (padded steps / all steps, the trainer's own info line) and the median epoch time (ms, from the
 * `start` event to the epoch's train `metrics` event: training only, no validation).
 */
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { Rng } from '../src/engine/random';
import { isBackendPreference } from '../src/engine/kernels/selectBackend';
import { PostingRunStore } from '../src/train/postingRunStore';
import { train } from '../src/train/trainer';
import { summarize } from './statistics';

setFlagsFromString('--experimental-wasm-relaxed-simd');

interface BatchingRow { setting: 'bucket' | 'random'; records: number; batchSize: number; paddingFraction: number; epochMs: number; epochMsMin: number; epochMsMax: number; reps: number; backend: string }

function raggedRecords(count: number, seed: number): string {
  const rng = new Rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = Math.round(Math.exp(Math.log(4) + rng.next() * (Math.log(250) - Math.log(4))));
    const input = Array.from({ length }, () => 'abcd'[rng.int(4)]).join('');
    const counts = [...'abcd'].map((c) => input.split(c).length - 1);
    lines.push(JSON.stringify({ input, label: 'abcd'[counts.indexOf(Math.max(...counts))] }));
  }
  return lines.join('\n') + '\n';
}

async function epoch(setting: 'bucket' | 'random', data: Uint8Array, backend: string): Promise<{ ms: number; padding: number; backend: string }> {
  const spec = {
    task: 'many-to-one', data: { train: 'train.jsonl', validation: { fraction: 0 }, batching: setting },
    model: { cell: 'gru', hiddenSize: 64, embeddingSize: 16 }, training: { epochs: 1, batchSize: 32 },
  };
  let startMs = 0;
  let ms = 0;
  let padding = NaN;
  let used = '';
  await train({
    specText: JSON.stringify(spec), specPath: 'bench.rnn.json', read: () => data, store: new PostingRunStore(() => undefined),
    runId: 'bench', backend: isBackendPreference(backend) ? backend : 'auto',
    onEvent: (e) => {
      if (e.event === 'start') {
        startMs = performance.now();
        used = e.backend;
      }
      if (e.event === 'info' && e.message.startsWith('batching')) padding = Number(/([\d.]+)%/.exec(e.message)![1]) / 100;
      if (e.event === 'metrics' && e.split === 'train') ms = performance.now() - startMs;
    },
  });
  return { ms, padding, backend: used };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean' }, reps: { type: 'string' }, records: { type: 'string' }, backend: { type: 'string' } } });
  const reps = Number(values.reps ?? 3);
  const records = Number(values.records ?? 1000);
  const data = new TextEncoder().encode(raggedRecords(records, 1));
  const samples: Record<'bucket' | 'random', number[]> = { bucket: [], random: [] };
  const padding: Record<string, number> = {};
  let backend = '';
  for (let r = 0; r < reps; r++) {
    for (const setting of ['random', 'bucket'] as const) {
      const result = await epoch(setting, data, values.backend ?? 'auto');
      samples[setting].push(result.ms);
      padding[setting] = result.padding;
      backend = result.backend;
    }
  }
  const rows: BatchingRow[] = (['random', 'bucket'] as const).map((setting) => {
    const stats = summarize(samples[setting]);
    return { setting, records, batchSize: 32, paddingFraction: padding[setting], epochMs: stats.median, epochMsMin: stats.min, epochMsMax: stats.max, reps, backend };
  });
  if (values.json) {
    for (const row of rows) process.stdout.write(JSON.stringify(row) + '\n');
    return;
  }
  process.stdout.write(`Ragged classifier, ${records} records of 4–250 steps, GRU 64, batch 32, backend ${backend}, ${reps} epochs each\n`);
  process.stdout.write('batching  padding  epoch ms (median, min–max)\n');
  for (const row of rows) {
    process.stdout.write(`${row.setting.padEnd(8)}  ${(100 * row.paddingFraction).toFixed(1).padStart(6)}%  ${row.epochMs.toFixed(0)} (${row.epochMsMin.toFixed(0)}–${row.epochMsMax.toFixed(0)})\n`);
  }
  const [random, bucket] = rows;
  process.stdout.write(`bucket/random epoch time: ${(bucket.epochMs / random.epochMs).toFixed(2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
