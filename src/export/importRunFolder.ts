/**
 * `rnn-lab import --run DIR`: a run folder written elsewhere (train.py --out, from `export --trainer`)
 * checked and copied into the runs folder as a run of RNN Lab's own, so that the Runs view, eval,
 * predict, export and `train --resume` work on it. Checked: spec.json parses as a spec, summary.json
 * names a network of the spec's task, and best/last.safetensors match that network strictly (every
 * canonical name and shape, no other; DDP's `module.` prefix removed). The weights are written again
 * as one checkpoint set of generation 1 (checkpointSet.ts), with a fresh optimizer state.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RecurrentModel } from '../engine/model';
import { createOptimizer } from '../engine/optimizers';
import { Rng } from '../engine/random';
import type { NetworkConfig } from '../engine/types';
import { parseSpec } from '../modelSpec';
import { encodeOptimizerFile, encodeWeights, type TrainingState } from '../train/checkpoint';
import { InputError } from '../train/errors';
import { NodeRunStore } from '../train/nodeRunStore';
import { RUN_FILES, RUN_FORMAT_VERSION, encodeText, newRunId, runFile, writeJson, type RunStore } from '../train/runStore';
import type { Summary } from '../train/runTypes';
import { loadImportedWeights } from './importRun';

export interface ImportRunFolderOptions {
  /** The folder to import (spec.json, summary.json, best/last.safetensors, metrics.jsonl, vocab.json, normalization.json). */
  runDir: string;
  runsDir: string;
  readFile?: (file: string) => Uint8Array;
  openStore?: (runsDir: string) => RunStore;
  now?: () => Date;
}

/** What train.py's summary.json holds beyond a network (all optional but the network). */
type ForeignSummary = Partial<Summary> & { network: NetworkConfig; device?: string; worldSize?: number; specFile?: string };

export async function importRunFolder(options: ImportRunFolderOptions): Promise<string> {
  const readFile = options.readFile ?? ((file: string) => readFileSync(file));
  const at = (name: string) => path.join(options.runDir, name);
  const has = (name: string) => existsSync(at(name));
  const text = (name: string) => new TextDecoder().decode(readFile(at(name)));
  const json = <T>(name: string): T => {
    try {
      return JSON.parse(text(name)) as T;
    } catch (error) {
      throw new InputError(`cannot read ${name}: ${(error as Error).message}`, at(name));
    }
  };
  for (const name of [RUN_FILES.spec, RUN_FILES.summary]) {
    if (!has(name)) throw new InputError(`not a run folder: ${name} is missing (expected a folder written by train.py --out or rnn-lab train)`, options.runDir);
  }
  const spec = parseSpec(text(RUN_FILES.spec), at(RUN_FILES.spec));
  const foreign = json<ForeignSummary>(RUN_FILES.summary);
  if (!foreign.network || foreign.network.task !== spec.task) {
    throw new InputError(`summary.json's network must be a ${spec.task} network, as spec.json's task says`, at(RUN_FILES.summary));
  }
  const weightsOf = (name: string): Uint8Array => {
    const model = RecurrentModel.create(foreign.network, { seed: 0 });
    loadImportedWeights(model, readFile(at(name)), at(name));
    return encodeWeights(model.exportWeights(), foreign.completedEpochs ?? 0, 1);
  };
  const weightFiles = [RUN_FILES.best, RUN_FILES.last].filter(has);
  if (weightFiles.length === 0) throw new InputError('the run has no weights (best.safetensors or last.safetensors)', options.runDir);
  const last = weightsOf(weightFiles[weightFiles.length - 1]);
  const best = has(RUN_FILES.best) ? weightsOf(RUN_FILES.best) : last;

  const store = options.openStore?.(options.runsDir) ?? new NodeRunStore(options.runsDir);
  const now = options.now?.() ?? new Date();
  const runId = await newRunId(store, `${spec.name}-imported`, now);
  const runFolder = path.join(options.runsDir, runId);
  const seed = spec.training.seed;
  const epochs = foreign.completedEpochs ?? 0;
  const state: TrainingState = {
    version: RUN_FORMAT_VERSION, runId, seed, epochs: spec.training.epochs, cursor: { epoch: epochs, batch: 0 },
    best: null, epochsWithoutImprovement: 0, dropoutRng: new Rng(seed + 1).getState(), sampleRng: new Rng(seed + 2).getState(),
    partialEpoch: { lossSum: 0, count: 0, correct: 0 }, hashes: {}, elapsedMs: foreign.elapsedMs ?? 0, optimizerSteps: 0,
    generation: 1, bestGeneration: 1, historyLines: { metrics: 0, gradients: 0 },
  };
  // specFile: where eval finds the data, re-based from the imported folder to the new one.
  const specFile = foreign.specFile && path.relative(runFolder, path.resolve(options.runDir, foreign.specFile)).split(path.sep).join('/');
  const summary: Summary & { device?: string; worldSize?: number } = {
    version: RUN_FORMAT_VERSION, runId, name: spec.name, task: spec.task, status: foreign.status ?? 'completed', backend: foreign.backend ?? 'pytorch',
    ...(foreign.device !== undefined && { device: foreign.device }), ...(foreign.worldSize !== undefined && { worldSize: foreign.worldSize }),
    seed, epochs: foreign.epochs ?? spec.training.epochs, completedEpochs: epochs,
    parameters: RecurrentModel.create(foreign.network, { seed: 0 }).parameterCount, network: foreign.network, hashes: {},
    ...(specFile && { specFile }),
    startedAt: foreign.startedAt ?? now.toISOString(), elapsedMs: foreign.elapsedMs ?? 0, best: foreign.best ?? null,
    metrics: foreign.metrics ?? null, split: foreign.split ?? null, generation: 1,
    message: `imported from ${path.resolve(options.runDir)}`,
  };
  await store.mkdir(runId);
  await writeJson(store, runFile(runId, RUN_FILES.spec), spec);
  for (const name of [RUN_FILES.vocab, RUN_FILES.normalization]) if (has(name)) await writeJson(store, runFile(runId, name), json(name));
  const model = RecurrentModel.create(foreign.network, { seed });
  const encode = (value: unknown) => encodeText(JSON.stringify(value, null, 2) + '\n');
  await store.writeSet(runId, {
    [RUN_FILES.best]: best,
    [RUN_FILES.last]: last,
    [RUN_FILES.optimizer]: encodeOptimizerFile(createOptimizer(spec.training.optimizer, model.params, model.backend).getState(), undefined, 1),
    [RUN_FILES.metrics]: has(RUN_FILES.metrics) ? readFile(at(RUN_FILES.metrics)) : new Uint8Array(0),
    [RUN_FILES.state]: encode(state),
    [RUN_FILES.summary]: encode(summary),
  });
  return runFolder;
}
