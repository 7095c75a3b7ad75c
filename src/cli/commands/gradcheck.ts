/**
 * `rnn-lab gradcheck <spec>`: the spec's network in float64 (dropout off) on a few examples of its
 * own data; per parameter, the largest relative error |a − n| / max(|a|, |n|, 1e-8) between the
 * analytic gradient and central differences. Exits 1 when any exceeds 1e-5.
 */
import * as path from 'node:path';
import { makeBatch, prepareDataset, toNetworkConfig, type PreparedDataset } from '../../data';
import { gradientCheck, type GradCheckRow } from '../../engine/gradientCheck';
import { RecurrentModel } from '../../engine/model';
import type { Batch } from '../../engine/types';
import { parseSpec } from '../../modelSpec';
import { stripeLayout, windowBatch } from '../../train/streamWindows';
import { fail } from '../failure';
import { FileAccess, type AllowRootOptions } from '../fileAccess';

export const GRADCHECK_TOLERANCE = 1e-5;
const EXAMPLES = 3;
const STREAM_STEPS = 8;

/** A small batch of the spec's own training data: 3 records, or 2 stripes × 8 steps of a stream. */
function checkBatch(data: PreparedDataset): Batch {
  const train = data.train;
  if (train.kind === 'stream') {
    const tokens = train.tokens.subarray(0, Math.min(train.tokens.length, 2 * STREAM_STEPS + 1));
    const layout = stripeLayout(tokens.length, 2);
    return windowBatch(tokens, layout, { start: 0, end: Math.min(STREAM_STEPS, layout.stripeLength), lossFrom: 0 });
  }
  return makeBatch(train.examples.slice(0, EXAMPLES), data);
}

export function formatGradCheckTable(rows: readonly GradCheckRow[]): string {
  const width = Math.max(9, ...rows.map((r) => r.name.length));
  const lines = [`${'parameter'.padEnd(width)}  ${'max rel. error'.padStart(14)}  ${'checked'.padStart(7)}  result`];
  for (const r of rows) {
    lines.push(`${r.name.padEnd(width)}  ${r.maxRelativeError.toExponential(2).padStart(14)}  ${String(r.checked).padStart(7)}  ${r.ok ? 'ok' : 'FAIL'}`);
  }
  return lines.join('\n');
}

export async function gradcheckCommand(spec: string, options: AllowRootOptions & { json?: boolean }): Promise<void> {
  const specPath = path.resolve(spec);
  try {
    const files = FileAccess.fromOptions(options);
    const resolved = parseSpec(new TextDecoder().decode(files.read(specPath)), specPath);
    const data = prepareDataset(resolved, files.dataReader(specPath));
    const model = RecurrentModel.create({ ...toNetworkConfig(resolved, data), dropout: 0 }, { seed: resolved.training.seed, dtype: 'float64' });
    const batch = checkBatch(data);
    const rows = gradientCheck(
      model.params,
      () => model.forward(batch).loss,
      () => {
        model.forward(batch);
        model.backward();
      },
      { tolerance: GRADCHECK_TOLERANCE },
    );
    const ok = rows.every((r) => r.ok);
    if (options.json) for (const r of rows) process.stdout.write(JSON.stringify(r) + '\n');
    else process.stdout.write(`${formatGradCheckTable(rows)}\n${ok ? 'All gradients match' : 'Gradient check FAILED'} (tolerance ${GRADCHECK_TOLERANCE}, float64, ${batch.batchSize} sequences × ${batch.steps} steps)\n`);
    process.exitCode = ok ? 0 : 1;
  } catch (error) {
    fail(error, specPath, options.json ?? false);
  }
}
