/**
 * `rnn-lab import <spec> --weights FILE.safetensors [--out RUN_DIR] [--json]`: a PyTorch state_dict as a run of the spec.
 * `rnn-lab import --run DIR [--runs-dir D] [--json]`: a run folder written by train.py --out, added to the runs folder.
 */
import * as path from 'node:path';
import { importRun } from '../../export/importRun';
import { importRunFolder } from '../../export/importRunFolder';
import { InputError } from '../../train/errors';
import { fail } from '../failure';
import { defaultRunsDir } from '../runLocation';
import { FileAccess, type AllowRootOptions } from '../fileAccess';

export interface ImportCommandOptions extends AllowRootOptions { weights?: string; run?: string; out?: string; runsDir?: string; json?: boolean }

export async function importCommand(spec: string | undefined, options: ImportCommandOptions): Promise<void> {
  const json = options.json ?? false;
  if (options.run !== undefined) return importFolder(spec, options);
  try {
    if (spec === undefined || options.weights === undefined) throw new InputError('expected <spec> --weights FILE.safetensors, or --run DIR', spec ?? '.');
    const specPath = path.resolve(spec);
    const files = FileAccess.fromOptions(options);
    const run = await importRun({
      specPath,
      weightsPath: path.resolve(options.weights!),
      read: files.dataReader(specPath),
      readFile: (file) => files.read(file),
      openStore: (runsDir) => files.runStore(runsDir),
      outFolder: options.out,
      runsDir: options.runsDir ? path.resolve(options.runsDir) : defaultRunsDir(specPath),
    });
    if (json) process.stdout.write(JSON.stringify({ run }) + '\n');
    else process.stdout.write(`Imported into ${run}\n(eval, sample, predict and export read it; train ${spec} --resume ${run} fine-tunes it)\n`);
  } catch (error) {
    fail(error, options.weights ?? spec ?? '.', json);
  }
}

/** `--run DIR`: prints a `done` line with `run`, the new run folder. */
async function importFolder(spec: string | undefined, options: ImportCommandOptions): Promise<void> {
  const json = options.json ?? false;
  const runDir = path.resolve(options.run!);
  try {
    if (spec !== undefined || options.weights !== undefined || options.out !== undefined) {
      throw new InputError('--run takes no <spec>, --weights or --out: the folder holds its spec and weights (use --runs-dir to choose where it goes)', runDir);
    }
    const files = FileAccess.fromOptions(options);
    const run = await importRunFolder({
      runDir,
      runsDir: path.resolve(options.runsDir ?? path.join('.rnnlab', 'runs')),
      readFile: (file) => files.read(file),
      openStore: (runsDir) => files.runStore(runsDir),
    });
    if (json) process.stdout.write(JSON.stringify({ event: 'done', run }) + '\n');
    else process.stdout.write(`done: imported ${runDir} as ${run}\n(eval, predict, export and the Runs view read it)\n`);
  } catch (error) {
    fail(error, runDir, json);
  }
}
