/**
 * Import: a PyTorch state_dict saved as safetensors, loaded into the network of a spec, written as a
 * run folder. eval, sample, predict and export work on it at once, and `train --resume` fine-tunes
 * it (the run starts at epoch 0 with a fresh optimizer, and its first checkpoint is the import).
 *
 * The keys must be the canonical names of the spec's network (docs/contracts.md), shapes included;
 * a mismatch is an error that lists every missing, unexpected and misshapen tensor. The prefixes
 * that PyTorch wrappers add (`module.` from DistributedDataParallel, `_orig_mod.` from
 * torch.compile) are removed first when every key carries one.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { prepareDataset, toNetworkConfig } from '../data';
import { RecurrentModel } from '../engine/model';
import { createOptimizer } from '../engine/optimizers';
import { Rng } from '../engine/random';
import { decodeSafetensors, type NamedTensor } from '../engine/safetensors';
import { parseSpec } from '../modelSpec';
import { encodeOptimizerFile, encodeWeights, type TrainingState } from '../train/checkpoint';
import { InputError } from '../train/errors';
import { NodeRunStore } from '../train/nodeRunStore';
import { RUN_FILES, RUN_FORMAT_VERSION, encodeText, newRunId, runFile, writeJson, type RunStore } from '../train/runStore';
import type { Summary } from '../train/trainer';
import { vocabularyFile } from '../train/vocabularyFile';

export interface ImportOptions {
  specPath: string;
  weightsPath: string;
  /** Reads a dataset file named relative to the spec. */
  read: (relPath: string) => Uint8Array;
  /** Reads the spec and the weights (default: plain fs; the CLI passes its `--allow-root` FileAccess). */
  readFile?: (file: string) => Uint8Array;
  /** Opens the runs folder (default: a NodeRunStore). */
  openStore?: (runsDir: string) => RunStore;
  /** The run folder to write; default a new `<timestamp>-<name>-imported` under `runsDir`. */
  outFolder?: string;
  runsDir: string;
  now?: () => Date;
}

const WRAPPER_PREFIXES = ['module.', '_orig_mod.'];

/** The tensors with a wrapper prefix removed when every key has it (repeatedly, for DDP around torch.compile). */
export function withoutWrapperPrefixes(tensors: Map<string, NamedTensor>): Map<string, NamedTensor> {
  let current = tensors;
  for (;;) {
    const prefix = WRAPPER_PREFIXES.find((p) => current.size > 0 && [...current.keys()].every((k) => k.startsWith(p)));
    if (!prefix) return current;
    current = new Map([...current].map(([k, t]) => [k.slice(prefix.length), { ...t, name: k.slice(prefix.length) }]));
  }
}

/** Loads the weights into the spec's network; throws an InputError naming the weights file that lists every difference. */
export function loadImportedWeights(model: RecurrentModel, bytes: Uint8Array, weightsPath: string): void {
  let tensors: Map<string, NamedTensor>;
  try {
    tensors = withoutWrapperPrefixes(decodeSafetensors(bytes).tensors);
  } catch (error) {
    throw new InputError(`not a readable safetensors file: ${(error as Error).message}`, weightsPath);
  }
  try {
    model.importWeights(tensors);
  } catch (error) {
    // The engine's message is a header line, then one line per difference.
    const differences = (error as Error).message.split('\n').slice(1).map((line) => line.trim()).filter((line) => line !== '');
    if (differences.length === 0) throw error;
    const count = `${differences.length} difference${differences.length === 1 ? '' : 's'}`;
    throw new InputError(`the weights do not match the spec's network, ${count}\n  ${differences.join('\n  ')}`, weightsPath);
  }
}

/** Writes the run folder of an import; returns its path. */
export async function importRun(options: ImportOptions): Promise<string> {
  const { specPath, weightsPath } = options;
  const readFile = options.readFile ?? readLocalFile;
  const spec = parseSpec(new TextDecoder().decode(readFile(specPath)), specPath);
  const data = prepareDataset(spec, options.read);
  const network = toNetworkConfig(spec, data);
  const seed = spec.training.seed;
  const model = RecurrentModel.create(network, { seed });
  loadImportedWeights(model, readFile(weightsPath), weightsPath);

  const runsDir = options.outFolder ? path.dirname(path.resolve(options.outFolder)) : options.runsDir;
  const store = options.openStore?.(runsDir) ?? new NodeRunStore(runsDir);
  const now = options.now?.() ?? new Date();
  const runId = options.outFolder ? path.basename(path.resolve(options.outFolder)) : await newRunId(store, `${spec.name}-imported`, now);
  if (await store.exists(runFile(runId, RUN_FILES.summary))) throw new InputError('a run already exists there; choose another --out folder', path.join(runsDir, runId));
  const runFolder = path.join(runsDir, runId);
  // One checkpoint set of generation 1 (checkpointSet.ts), so that train --resume verifies it like its own.
  const generation = 1;
  const weights = encodeWeights(model.exportWeights(), 0, generation);
  const state: TrainingState = {
    version: RUN_FORMAT_VERSION, runId, seed, epochs: spec.training.epochs, cursor: { epoch: 0, batch: 0 },
    best: null, epochsWithoutImprovement: 0, dropoutRng: new Rng(seed + 1).getState(), sampleRng: new Rng(seed + 2).getState(),
    partialEpoch: { lossSum: 0, count: 0, correct: 0 }, hashes: data.hashes, elapsedMs: 0, optimizerSteps: 0,
    generation, bestGeneration: generation, historyLines: { metrics: 0, gradients: 0 },
  };
  const summary: Summary = {
    version: RUN_FORMAT_VERSION, runId, name: spec.name, task: spec.task, status: 'cancelled', backend: 'imported', seed,
    epochs: spec.training.epochs, completedEpochs: 0, parameters: model.parameterCount, network, hashes: data.hashes,
    specFile: path.relative(runFolder, path.resolve(specPath)).split(path.sep).join('/'),
    startedAt: now.toISOString(), elapsedMs: 0, best: null, metrics: null, split: null,
    message: `imported from ${path.basename(weightsPath)}, not trained here; train --resume fine-tunes it`, generation,
  };
  await store.mkdir(runId);
  await writeJson(store, runFile(runId, RUN_FILES.spec), spec);
  await writeJson(store, runFile(runId, RUN_FILES.vocab), vocabularyFile(data));
  if (data.normalization) await writeJson(store, runFile(runId, RUN_FILES.normalization), data.normalization);
  const json = (value: unknown) => encodeText(JSON.stringify(value, null, 2) + '\n');
  await store.writeSet(runId, {
    [RUN_FILES.best]: weights,
    [RUN_FILES.last]: weights,
    [RUN_FILES.optimizer]: encodeOptimizerFile(createOptimizer(spec.training.optimizer, model.params, model.backend).getState(), undefined, generation),
    [RUN_FILES.metrics]: new Uint8Array(0),
    [RUN_FILES.state]: json(state),
    [RUN_FILES.summary]: json(summary),
  });
  return runFolder;
}

function readLocalFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : `cannot read it (${code})`, file);
  }
}
