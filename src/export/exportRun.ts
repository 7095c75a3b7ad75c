/**
 * Export a run for PyTorch: the folder `rnn-lab export` writes holds
 *   model.safetensors    the run's best weights (else its last), canonical state_dict keys
 *   model.py             the network in PyTorch, load_model / encode / predict (src/export/python/model.py)
 *   spec.json            the resolved spec the run was trained from
 *   vocab.json           vocabularies and class names, when the run has them
 *   normalization.json   feature statistics, when the run has them
 * and with `trainer`, data.py and train.py (trainerFiles.ts), which retrain it in PyTorch.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RecurrentModel } from '../engine/model';
import { decodeSafetensors } from '../engine/safetensors';
import type { NetworkConfig } from '../engine/types';
import { InputError } from '../train/errors';
import { RUN_FILES } from '../train/runStore';
import { modelPySource } from './modelPy';
import { trainerSources, trainerUnsupported, type TrainerSpec } from './trainerFiles';

export const EXPORT_FILES = {
  weights: 'model.safetensors',
  model: 'model.py',
  spec: RUN_FILES.spec,
  vocab: RUN_FILES.vocab,
  normalization: RUN_FILES.normalization,
} as const;

/** What an export needs from a run (or from a model built in a test). */
export interface ExportSource {
  name: string;
  network: NetworkConfig;
  /** safetensors bytes with the canonical keys of `network`. */
  weights: Uint8Array;
  spec?: unknown;
  vocab?: unknown;
  normalization?: unknown;
  /** The run's spec file (its folder is train.py's default --data-dir), when known. */
  specFile?: string;
}

export interface ExportOptions {
  /** Also data.py and train.py (`rnn-lab export --trainer`). */
  trainer?: boolean;
}

/** How a run folder is read: plain fs by default; the CLI passes its `--allow-root` FileAccess. */
export interface RunFolderReader {
  read(file: string): Uint8Array;
  exists(file: string): boolean;
}

const plainFs: RunFolderReader = { read: (file) => readFileSync(file), exists: existsSync };

export interface ExportedFile {
  name: string;
  bytes: Uint8Array;
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');

/**
 * The files of an export, after checking that the weights are exactly the network's parameters
 * (names and shapes; the error lists every difference).
 */
export function exportFiles(source: ExportSource, options: ExportOptions = {}): ExportedFile[] {
  RecurrentModel.create(source.network, { seed: 0 }).importWeights(decodeSafetensors(source.weights).tensors);
  const files: ExportedFile[] = [
    { name: EXPORT_FILES.weights, bytes: source.weights },
    { name: EXPORT_FILES.model, bytes: new TextEncoder().encode(modelPySource(source.network, { name: source.name })) },
  ];
  if (source.spec !== undefined) files.push({ name: EXPORT_FILES.spec, bytes: json(source.spec) });
  if (source.vocab !== undefined) files.push({ name: EXPORT_FILES.vocab, bytes: json(source.vocab) });
  if (source.normalization !== undefined) files.push({ name: EXPORT_FILES.normalization, bytes: json(source.normalization) });
  if (options.trainer) {
    if (source.spec === undefined) throw new InputError('--trainer needs the run\'s spec.json, which this run lacks', source.name);
    const unsupported = trainerUnsupported(source.spec as TrainerSpec);
    if (unsupported.length > 0) {
      throw new InputError(`--trainer cannot reproduce this run's training in PyTorch yet: ${unsupported.join('; ')}. model.py alone (without --trainer) works for every run`, source.name);
    }
    for (const [name, text] of Object.entries(trainerSources(source.specFile))) files.push({ name, bytes: new TextEncoder().encode(text) });
  }
  return files;
}

function readRunJson<T>(files: RunFolderReader, runFolder: string, file: string, required: boolean): T | undefined {
  const full = path.join(runFolder, file);
  if (!files.exists(full)) {
    if (required) throw new InputError(`not a run folder: ${file} is missing (expected a folder written by rnn-lab train)`, runFolder);
    return undefined;
  }
  try {
    return JSON.parse(new TextDecoder().decode(files.read(full))) as T;
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`, full);
  }
}

/** The export source of a run folder: summary.json's network, best.safetensors (else last). */
export function readRunForExport(runFolder: string, files: RunFolderReader = plainFs): ExportSource {
  const summary = readRunJson<{ name: string; network: NetworkConfig; specFile?: string }>(files, runFolder, RUN_FILES.summary, true)!;
  const weightsFile = [RUN_FILES.best, RUN_FILES.last].map((f) => path.join(runFolder, f)).find((f) => files.exists(f));
  if (!weightsFile) throw new InputError('the run has no checkpoint yet (no best or last.safetensors)', runFolder);
  return {
    name: summary.name,
    network: summary.network,
    weights: files.read(weightsFile),
    spec: readRunJson(files, runFolder, RUN_FILES.spec, false),
    vocab: readRunJson(files, runFolder, RUN_FILES.vocab, false),
    normalization: readRunJson(files, runFolder, RUN_FILES.normalization, false),
    ...(summary.specFile !== undefined && { specFile: path.resolve(runFolder, summary.specFile) }),
  };
}

/** Writes the export of `runFolder` into `outFolder` (created when missing); returns the written paths. */
export function exportPyTorch(runFolder: string, outFolder: string, reader: RunFolderReader = plainFs, options: ExportOptions = {}): string[] {
  const files = exportFiles(readRunForExport(runFolder, reader), options);
  mkdirSync(outFolder, { recursive: true });
  return files.map(({ name, bytes }) => {
    const target = path.join(outFolder, name);
    writeFileSync(target, bytes);
    return target;
  });
}
