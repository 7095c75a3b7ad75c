/**
 * Prints the record indices of each batch of one epoch of RNN Lab's training, as JSON, for
 * genre_stepcheck.py: `npx tsx bench/reference/batchOrder.ts TRAIN.jsonl [seed] [epoch] [batchSize] [batching]`
 * (word-unit string or array inputs; epoch counts from 0).
 */
import { readFileSync } from 'fs';
import { epochBatches } from '../../src/train/batchPlan';
import { epochSeed } from '../../src/train/trainer';

const [file, seed = '1', epoch = '0', batchSize = '32', batching = 'random'] = process.argv.slice(2);
if (!file) throw new Error('usage: batchOrder.ts TRAIN.jsonl [seed] [epoch] [batchSize] [random|bucket]');
const lengths = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => {
  const input = JSON.parse(line).input as string | string[];
  return Array.isArray(input) ? input.length : input.split(/\s+/).filter(Boolean).length;
});
const batches = epochBatches(lengths, Number(batchSize), batching as 'random' | 'bucket', epochSeed(Number(seed), Number(epoch)));
console.log(JSON.stringify(batches.map((batch) => Array.from(batch))));
