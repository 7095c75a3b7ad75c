/** `rnn-lab import <spec> --weights FILE.safetensors [--out RUN_DIR] [--json]`: a PyTorch state_dict as a run of the spec. */
import * as path from 'node:path';
import { importRun } from '../../export/importRun';
import { fail } from '../failure';
import { defaultRunsDir } from '../runLocation';
import { FileAccess, type AllowRootOptions } from '../fileAccess';

export interface ImportCommandOptions extends AllowRootOptions { weights?: string; out?: string; runsDir?: string; json?: boolean }

export async function importCommand(spec: string, options: ImportCommandOptions): Promise<void> {
  const json = options.json ?? false;
  const specPath = path.resolve(spec);
  try {
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
    fail(error, options.weights ?? spec, json);
  }
}
