/**
 * Spec → `DiagramModel` for the architecture view. Pure (no `vscode`), so it runs on every edit.
 *
 * Sizes only the dataset knows (input vocabulary V, feature size X, output size C, output vocabulary
 * V_out, conditioning vector Z) stay symbolic unless given. Parameter shapes come from the engine's
 * `parameterShapes`, evaluated twice with different probe values for the unknown sizes: a dimension
 * that follows a probe is that symbol, so the counts are exact linear forms like `4,160 + 32·V`.
 */
import type { NetworkConfig, TaskShape } from '../../engine/types';
import {
  addParamCounts, type DiagramBlock, type DiagramModel, type DiagramParam, type Dim, type ParamCount,
} from '../../protocol/hostWebview';
import { parameterShapes, resolveSpec, tableRecords } from './contractAdapters';

/** Sizes read from the dataset; any may be missing while the data is unknown. */
export interface DataSizes {
  inputVocab: number;
  featureSize: number;
  outputSize: number;
  outputVocab: number;
  initVectorSize: number;
}

const SYMBOLS: Record<keyof DataSizes, [string, string]> = {
  inputVocab: ['V', 'input vocabulary size (from the data)'],
  featureSize: ['X', 'features per step (from the data)'],
  outputSize: ['C', 'output size: classes or target values (from the data)'],
  outputVocab: ['V_out', 'output vocabulary size (from the data)'],
  initVectorSize: ['Z', 'conditioning vector size (from the data)'],
};
const PROBES: [DataSizes, DataSizes] = [
  { inputVocab: 100_003, featureSize: 100_019, outputSize: 100_043, outputVocab: 100_049, initVectorSize: 100_057 },
  { inputVocab: 200_003, featureSize: 200_017, outputSize: 200_029, outputVocab: 200_033, initVectorSize: 200_041 },
];

const DEFAULT_OUTPUT_STEPS = 6;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function dataFormat(data: Json): string {
  if (typeof data.format === 'string') return data.format;
  const train = typeof data.train === 'string' ? data.train : '';
  return train.slice(train.lastIndexOf('.') + 1).toLowerCase();
}

/**
 * The network a (validated) spec describes, with `sizes` standing in for what the data would say.
 * The input is tokens unless the data is CSV, or `inputKind` (known from the data: JSONL records of
 * numbers are features) says otherwise.
 */
export function networkConfigFromSpec(spec: unknown, sizes: DataSizes, inputKind?: 'tokens' | 'features'): NetworkConfig {
  const root = obj(spec), model = obj(root.model), data = obj(root.data);
  const task = (root.task as TaskShape) ?? 'many-to-one';
  const format = dataFormat(data);
  const series = format === 'csv' && !tableRecords(data, format);
  const tokens = inputKind ? inputKind === 'tokens' : !series;
  const embeddingSize = num(model.embeddingSize, 32);
  const valuesOut = series;
  const generates = task === 'seq2seq' || task === 'one-to-many';
  return {
    task,
    cell: (model.cell as NetworkConfig['cell']) ?? 'lstm',
    activation: (model.activation as NetworkConfig['activation']) ?? 'tanh',
    hiddenSize: num(model.hiddenSize, 128),
    layers: num(model.layers, 1),
    bidirectional: model.bidirectional === true && task !== 'one-to-many',
    merge: (model.merge as NetworkConfig['merge']) ?? 'concat',
    connections: (model.connections as NetworkConfig['connections']) ?? 'none',
    dropout: num(model.dropout, 0),
    recurrentInit: (model.recurrentInit as NetworkConfig['recurrentInit']) ?? 'orthogonal',
    ...(task === 'seq2seq' && typeof model.attention === 'string' && model.attention !== 'none' && {
      attention: model.attention as NetworkConfig['attention'], ...(model.attentionFeed === true && { attentionFeed: true }),
    }),
    input: tokens ? { kind: 'tokens', vocabSize: sizes.inputVocab, embeddingSize } : { kind: 'features', size: sizes.featureSize },
    output: generates
      ? { kind: 'classes', size: sizes.outputVocab }
      : { kind: valuesOut ? 'values' : 'classes', size: format === 'txt' || format === 'text' ? sizes.inputVocab : sizes.outputSize },
    ...(generates ? { decoder: { vocabSize: sizes.outputVocab, embeddingSize } } : {}),
    ...(task === 'one-to-many' ? { initVectorSize: sizes.initVectorSize } : {}),
  };
}

/** Replaces each probe value by its symbol; known sizes are substituted for their probes. */
function symbolicDim(a: number, b: number, known: Partial<DataSizes>): Dim {
  if (a === b) return a;
  for (const key of Object.keys(SYMBOLS) as (keyof DataSizes)[]) {
    if (a === PROBES[0][key] && b === PROBES[1][key]) return known[key] ?? SYMBOLS[key][0];
  }
  return '?';
}

function countOf(shape: Dim[]): ParamCount {
  let constant = 1;
  let symbol: string | undefined;
  for (const d of shape) {
    if (typeof d === 'number') constant *= d;
    else symbol = d;
  }
  return symbol === undefined ? { constant, terms: {} } : { constant: 0, terms: { [symbol]: constant } };
}

const sumCounts = (params: DiagramParam[]): ParamCount =>
  params.reduce((acc, p) => addParamCounts(acc, p.count), { constant: 0, terms: {} } as ParamCount);

/**
 * Builds the diagram of a spec that `validateSpec` accepts (defaults are filled by `resolveSpec`);
 * `known` holds the sizes read from the data, if any.
 */
export function buildDiagramModel(json: unknown, name: string, known: Partial<DataSizes> = {}): DiagramModel {
  const spec = resolveSpec(json, name);
  const inputKind = known.featureSize !== undefined ? 'features' : known.inputVocab !== undefined ? 'tokens' : undefined;
  const configs = PROBES.map((probe) => networkConfigFromSpec(spec, { ...probe, ...known }, inputKind));
  const config = configs[0];
  const [shapesA, shapesB] = configs.map((c) => parameterShapes(c));
  const params: DiagramParam[] = shapesA.map((p, i) => {
    const shape = p.shape.map((d, j) => symbolicDim(d, shapesB[i].shape[j], known));
    return { name: p.name, shape, count: countOf(shape) };
  });
  const dim = (a: number, b: number): Dim => symbolicDim(a, b, known);
  const usedSymbols = new Set<string>();
  for (const p of params) for (const d of p.shape) if (typeof d === 'string') usedSymbols.add(d);

  const steps = Math.max(1, Math.round(dataFormat(obj(spec.data)) === 'csv' ? spec.data.window : spec.data.sequenceLength));
  const generates = config.task === 'seq2seq' || config.task === 'one-to-many';
  const blocks = makeBlocks(config, configs[1], params, dim);
  const model: DiagramModel = {
    name: spec.name,
    task: config.task,
    cell: config.cell,
    activation: config.activation,
    hiddenSize: config.hiddenSize,
    layers: config.layers,
    bidirectional: config.bidirectional,
    merge: config.merge,
    connections: config.connections,
    dropout: config.dropout,
    ...(config.attention && config.attention !== 'none' && { attention: config.attention, attentionFeed: config.attentionFeed ?? false }),
    input: config.input.kind === 'tokens'
      ? { kind: 'tokens', vocabSize: dim(config.input.vocabSize, (configs[1].input as { vocabSize: number }).vocabSize), embeddingSize: config.input.embeddingSize }
      : { kind: 'features', size: dim(config.input.size, (configs[1].input as { size: number }).size) },
    output: { kind: config.output.kind, size: dim(config.output.size, configs[1].output.size) },
    steps: config.task === 'one-to-many' ? 1 : steps,
    ...(generates ? { outputSteps: config.task === 'one-to-many' ? steps : DEFAULT_OUTPUT_STEPS } : {}),
    blocks,
    totalParams: sumCounts(params),
    symbols: {},
  };
  for (const [symbol, meaning] of Object.values(SYMBOLS)) if (usedSymbols.has(symbol)) model.symbols[symbol] = meaning;
  return model;
}

function makeBlocks(config: NetworkConfig, probe2: NetworkConfig, params: DiagramParam[], dim: (a: number, b: number) => Dim): DiagramBlock[] {
  const block = (b: Omit<DiagramBlock, 'paramCount'>): DiagramBlock => ({ ...b, paramCount: sumCounts(b.params) });
  const take = (test: (name: string) => boolean): DiagramParam[] => params.filter((p) => test(p.name));
  const blocks: DiagramBlock[] = [];
  const inputWidth = config.input.kind === 'tokens'
    ? dim(config.input.vocabSize, (probe2.input as { vocabSize: number }).vocabSize)
    : dim(config.input.size, (probe2.input as { size: number }).size);
  const hidden = config.hiddenSize;
  const merged = config.bidirectional && config.merge === 'concat' ? 2 * hidden : hidden;

  blocks.push(block({
    id: 'input', kind: 'input', label: config.input.kind === 'tokens' ? 'tokens' : 'features',
    inputWidth, outputWidth: inputWidth, params: [], specPath: '/data',
  }));
  if (config.task === 'one-to-many') {
    const z = dim(config.initVectorSize ?? 1, probe2.initVectorSize ?? 1);
    blocks[0] = block({ id: 'input', kind: 'input', label: 'vector v', inputWidth: z, outputWidth: z, params: [], specPath: '/data' });
    blocks.push(block({ id: 'init', kind: 'init', label: 'h₀ = tanh(W·v + b)', inputWidth: z, outputWidth: hidden,
      params: take((n) => n.startsWith('init.')), specPath: '/model/hiddenSize' }));
  }
  const parts: ('encoder' | 'decoder' | undefined)[] = config.task === 'seq2seq' ? ['encoder', 'decoder'] : [undefined];
  for (const part of parts) {
    const prefix = part ? `${part}.` : '';
    const embedding = take((n) => n === `${prefix}embedding.weight`);
    let width: Dim = part === 'decoder' || config.task === 'one-to-many'
      ? dim(config.output.size, probe2.output.size)
      : inputWidth;
    if (embedding.length > 0) {
      const size = embedding[0].shape[1];
      blocks.push(block({ id: `${prefix}embedding`, kind: 'embedding', label: part === 'decoder' ? 'decoder embed.' : 'embedding',
        part, inputWidth: width, outputWidth: size, params: embedding, specPath: '/model/embeddingSize' }));
      width = size;
    }
    const directions = config.bidirectional && part !== 'decoder' ? 2 : 1;
    for (let k = 0; k < config.layers; k++) {
      const own = take((n) => n.startsWith(`${prefix}rnn.`) && /_l(\d+)(_reverse)?$/.exec(n)?.[1] === String(k));
      const skip = part === 'decoder' ? [] : take((n) => n === `skip.${k}.weight`);
      const layerIn = own.find((p) => p.name.endsWith(`weight_ih_l${k}`))?.shape[1] ?? width;
      const out = directions === 2 ? merged : hidden;
      blocks.push(block({
        id: `${prefix}layer${k}`, kind: 'layer', label: `${part ? `${part} ` : ''}layer ${k + 1}`, layer: k, part,
        inputWidth: layerIn, outputWidth: out, params: [...own, ...skip], specPath: k === 0 ? '/model/cell' : '/model/layers',
      }));
      width = out;
    }
  }
  const attention = take((n) => n.startsWith('attention.'));
  if (config.attention && config.attention !== 'none') {
    blocks.push(block({
      id: 'attention', kind: 'attention', label: 'attention', part: 'decoder',
      inputWidth: merged, outputWidth: merged, params: attention, specPath: '/model/attention',
    }));
  }
  blocks.push(block({
    id: 'head', kind: 'head', label: config.output.kind === 'classes' ? 'softmax head' : 'linear head',
    inputWidth: params.find((p) => p.name === 'head.weight')?.shape[1] ?? merged,
    outputWidth: dim(config.output.size, probe2.output.size), params: take((n) => n.startsWith('head.')), specPath: '/task',
  }));
  return blocks;
}
