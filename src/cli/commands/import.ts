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

/**
 * Where an imported folder's run goes by default: `.rnnlab/runs` beside the spec its summary names
 * (`specFile`, where the Runs view looks), else in the current folder.
 */
function runsDirBesideSpec(runDir: string, files: FileAccess): string {
  try {
    const { specFile } = JSON.parse(new TextDecoder().decode(files.read(path.join(runDir, 'summary.json')))) as { specFile?: unknown };
    if (typeof specFile === 'string') return defaultRunsDir(path.resolve(runDir, specFile));
  } catch {
    // an unreadable summary is reported by the import itself
  }
  return path.resolve('.rnnlab', 'runs');
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
      runsDir: options.runsDir ? path.resolve(options.runsDir) : runsDirBesideSpec(runDir, files),
      readFile: (file) => files.read(file),
      openStore: (runsDir) => files.runStore(runsDir),
    });
    if (json) process.stdout.write(JSON.stringify({ event: 'done', run }) + '\n');
    else process.stdout.write(`done: imported ${runDir} as ${run}\n(eval, predict, export and the Runs view read it)\n`);
  } catch (error) {
    fail(error, runDir, json);
  }
}
