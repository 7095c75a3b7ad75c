/** A tiny regression workspace for the train.py tests: reg.jsonl and a spec, trained and exported with the built CLI (dist/cli.js). */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../../src/engine/random';

const cli = path.resolve('dist/cli.js');

export function rnnLab(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120000 });
}

/** Writes reg.jsonl (64 sums of 2-5 noisy steps) and `<name>.rnn.json` with `training`; returns the spec's file name. */
export function regressionWorkspace(dir: string, name: string, training: object): string {
  const rng = new Rng(3);
  const lines = Array.from({ length: 64 }, () => {
    const input = Array.from({ length: 2 + rng.int(4) }, () => [rng.normal(), rng.normal()].map((x) => Math.round(x * 1000) / 1000));
    return JSON.stringify({ input, target: Math.round(input.reduce((s, x) => s + x[0], 0) * 1000) / 1000 });
  });
  writeFileSync(path.join(dir, 'reg.jsonl'), lines.join('\n') + '\n');
  const spec = { version: 1, name, task: 'many-to-one', data: { train: 'reg.jsonl', validation: { fraction: 0.25 } }, model: { cell: 'rnn', hiddenSize: 4 }, training };
  writeFileSync(path.join(dir, `${name}.rnn.json`), JSON.stringify(spec, null, 2));
  return `${name}.rnn.json`;
}
