/** `rnn-lab export <run> [--out DIR] [--json]`: the run as model.py + model.safetensors (+ spec, vocabulary, normalisation) for PyTorch. */
import * as path from 'node:path';
import { exportPyTorch } from '../../export/exportRun';
import { fail } from '../failure';
import { FileAccess, type AllowRootOptions } from '../fileAccess';
import { locateRun } from '../runLocation';

export interface ExportCommandOptions extends AllowRootOptions { out?: string; json?: boolean; trainer?: boolean }

export async function exportCommand(runArgument: string, options: ExportCommandOptions): Promise<void> {
  const json = options.json ?? false;
  try {
    const { runsDir, runId } = locateRun(runArgument, undefined);
    const runFolder = path.join(runsDir, runId);
    const out = path.resolve(options.out ?? path.join(runFolder, 'pytorch'));
    const files = exportPyTorch(runFolder, out, FileAccess.fromOptions(options), { trainer: options.trainer ?? false });
    if (json) {
      process.stdout.write(JSON.stringify({ out, files }) + '\n');
    } else {
      process.stdout.write(`Exported to ${out}:\n${files.map((f) => `  ${path.basename(f)}`).join('\n')}\n`);
      process.stdout.write(`In Python: import sys; sys.path.insert(0, ${JSON.stringify(out)}); import model; net = model.load_model()\n`);
      if (options.trainer) process.stdout.write(`Train in PyTorch: python ${JSON.stringify(path.join(out, 'train.py'))} --out DIR (or torchrun --nproc_per_node=N …)\n`);
    }
  } catch (error) {
    fail(error, runArgument, json);
  }
}
