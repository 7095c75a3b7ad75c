/**
 * Validation beyond the schema (task ↔ format, BPTT windows) and default filling. `ResolvedSpec`
 * is derived from `ModelSpec`: the same keys, each one present.
 */
import { ModelSpecSchema, SPEC_VERSION, type ModelSpec } from './schema';
import { schemaIssues, type SpecIssue } from './schemaIssues';
import { SpecError } from './specError';
import { sweepIssues } from './sweepParameters';

/** `T` with every optional key required, recursively (arrays kept as they are). */
type Full<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]-?: Full<Exclude<T[K], undefined>> } : T;

type DataSpec = ModelSpec['data'];
type TrainingSpec = NonNullable<ModelSpec['training']>;

/**
 * A spec with every default filled. Kept optional: `data.test` (absent means none), and
 * `data.columns` / `data.target`, whose defaults depend on the CSV header (the data reader fills them).
 * `training.earlyStopping` and `training.divergence` are `null` when off. `data.records` is resolved for CSV and TSV only (whether
 * the file is read as records with a header), so that a resolved spec resolves to itself. Specs stored
 * by older versions lack the keys added since (`lowercase`, `minCount`, `records`, …): readers take a
 * missing one as the behaviour before it. The CSV series keys stay optional when resolved (absent: the
 * behaviour before them): `data.time`, `data.calendar` (none), `data.delimiter` (detected), `data.missing`
 * (`error`), `data.forecastSteps` (1), `data.season` (none), `data.groupBy` (one series).
 */
type OptionalDataKeys = 'test' | 'columns' | 'target' | 'records' | 'time' | 'calendar' | 'delimiter' | 'missing' | 'forecastSteps' | 'season' | 'groupBy';
export type ResolvedSpec = Full<Omit<ModelSpec, '$schema' | 'data' | 'training' | 'sweep'>> & {
  data: Full<Omit<DataSpec, OptionalDataKeys>> & Pick<DataSpec, OptionalDataKeys>;
  training: Full<Omit<TrainingSpec, 'earlyStopping' | 'divergence' | 'threads'>> & {
    /** Absent: the caller decides (CLI flag, setting, cores). */
    threads?: number;
    earlyStopping: Full<NonNullable<TrainingSpec['earlyStopping']>> | null;
    divergence: Full<NonNullable<TrainingSpec['divergence']>> | null;
  };
};
export type DataFormat = ResolvedSpec['data']['format'];
export type BpttSpec = ResolvedSpec['training']['bptt'];

const EXTENSION_FORMATS: Record<string, DataFormat> = { txt: 'text', text: 'text', jsonl: 'jsonl', ndjson: 'jsonl', csv: 'csv', tsv: 'tsv' };
const TASKS_BY_FORMAT: Record<DataFormat, readonly string[]> = {
  text: ['many-to-many'],
  tsv: ['seq2seq'],
  csv: ['many-to-one', 'many-to-many'],
  jsonl: ['many-to-one', 'many-to-many', 'one-to-many', 'seq2seq'],
};
/** Tasks of CSV/TSV files read as records with a header (`tableRecords`). */
const TABLE_RECORD_TASKS: readonly string[] = ['many-to-one', 'many-to-many', 'seq2seq'];
const LEARNING_RATES = { sgd: 0.1, adam: 0.002, adamw: 0.002, adagrad: 0.01, rmsprop: 0.002 } as const;

/** The format named by a file's extension (`.txt` → text, …), or undefined. */
export function formatFromFileName(fileName: string): DataFormat | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSION_FORMATS[fileName.slice(dot + 1).toLowerCase()];
}

/** Every issue in `json`: schema issues first; the cross-key checks run only on a schema-valid spec. */
export function validateSpec(json: unknown): SpecIssue[] {
  const issues = schemaIssues(ModelSpecSchema, json);
  return issues.length ? issues : [...crossKeyIssues(json as ModelSpec), ...sweepIssues(json as ModelSpec)];
}

function crossKeyIssues(spec: ModelSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const format = spec.data.format ?? formatFromFileName(spec.data.train);
  if (!format) {
    issues.push({
      path: '/data/train',
      message: `cannot infer the format from "${spec.data.train}": expected a .txt, .jsonl, .csv or .tsv file, or set "data.format"`,
    });
    return issues;
  }
  const records = tableRecords(spec.data, format);
  if (records ? !TABLE_RECORD_TASKS.includes(spec.task) : !TASKS_BY_FORMAT[format].includes(spec.task)) {
    const tasks = records ? TABLE_RECORD_TASKS : TASKS_BY_FORMAT[format];
    issues.push({
      path: '/task',
      message: `"${format}" ${records ? 'records (a header, with inputKey and a label or target key)' : 'data'} supports task ${tasks.map((t) => `"${t}"`).join(' or ')}, got "${spec.task}"`,
    });
  }
  issues.push(...tokenizerIssues(spec));
  issues.push(...timeIssues(spec.data));
  if ((spec.data.forecastSteps ?? 1) > 1 && spec.task !== 'many-to-one') {
    issues.push({ path: '/data/forecastSteps', message: `several forecast steps from one window need task "many-to-one", got "${spec.task}": expected 1 for an aligned many-to-many model` });
  }
  const predictsNext = format === 'text' || (format === 'csv' && !records && spec.task === 'many-to-many');
  if (predictsNext && spec.model.bidirectional) {
    issues.push({ path: '/model/bidirectional', message: 'expected false: next-step prediction cannot read the future' });
  }
  if (spec.model.attention !== undefined && spec.model.attention !== 'none' && spec.task !== 'seq2seq') {
    issues.push({ path: '/model/attention', message: `expected "none": attention reads an encoder's outputs, so it needs task "seq2seq", got "${spec.task}"` });
  }
  if (spec.model.attentionFeed && (spec.model.attention ?? 'none') === 'none') {
    issues.push({ path: '/model/attentionFeed', message: 'expected false: feeding passes the attentional state on, so it needs "model.attention" (dot, general or additive)' });
  }
  if (format === 'text' || format === 'csv') {
    for (const key of ['maxLength', 'sourceMaxLength', 'targetMaxLength'] as const) {
      if (spec.data[key] !== undefined && spec.data[key] !== null) {
        issues.push({ path: `/data/${key}`, message: `expected null or no "${key}": it applies to records (JSONL, TSV), not to "${format}" data${format === 'csv' ? ' (use "window")' : ' (use "sequenceLength")'}` });
      }
    }
  }
  const bptt = spec.training?.bptt;
  if (bptt?.mode === 'truncated' && bptt.backpropSteps !== undefined) {
    const forwardSteps = bptt.forwardSteps ?? spec.data.sequenceLength ?? 100;
    if (bptt.backpropSteps < forwardSteps) {
      issues.push({
        path: '/training/bptt/backpropSteps',
        message: `expected backpropSteps ≥ forwardSteps (${forwardSteps}), got ${bptt.backpropSteps}`,
      });
    }
  }
  return issues;
}

/** `data.target` as a list (empty when absent). */
export function targetNames(target: string | readonly string[] | undefined): string[] {
  return target === undefined ? [] : typeof target === 'string' ? [target] : [...target];
}

/** `data.time` is never an input or the target; `data.calendar` needs it. */
function timeIssues(data: DataSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (data.calendar?.length && data.time === undefined) {
    issues.push({ path: '/data/calendar', message: 'calendar features need a time column: set "data.time" to the date column' });
  }
  if (data.normalize === 'perSeries' && data.groupBy === undefined) {
    issues.push({ path: '/data/normalize', message: 'per-series statistics need several series: set "data.groupBy" to the column naming them, or use true' });
  }
  const special: [string | undefined, string][] = [
    [data.time, 'the time column (data.time)'], [data.groupBy, 'the series column (data.groupBy)'],
  ];
  for (const [column, what] of special) {
    if (column === undefined) continue;
    const index = data.columns?.indexOf(column) ?? -1;
    if (index >= 0) issues.push({ path: `/data/columns/${index}`, message: `"${column}" is ${what}, never an input: expected a value column` });
    targetNames(data.target).forEach((target, i) => {
      if (target === column) {
        issues.push({ path: typeof data.target === 'string' ? '/data/target' : `/data/target/${i}`, message: `"${column}" is ${what}: expected a value column to predict` });
      }
    });
  }
  if (data.time !== undefined && data.time === data.groupBy) issues.push({ path: '/data/groupBy', message: `"${data.groupBy}" is the time column (data.time): expected the column naming each row's series` });
  return issues;
}

/** CSV/TSV read as records with a header: `records`, else whether the spec names the input column and a label or target column. */
export function tableRecords(data: Pick<DataSpec, 'records' | 'inputKey' | 'labelKey' | 'labelsKey' | 'targetKey'>, format: string | undefined): boolean {
  return (format === 'csv' || format === 'tsv') && (data.records ?? (data.inputKey !== undefined &&
    (data.labelKey !== undefined || data.labelsKey !== undefined || data.targetKey !== undefined)));
}

/** A tokenizer cuts words: it needs a word unit on a side it applies to. */
function tokenizerIssues(spec: ModelSpec): SpecIssue[] {
  const d = spec.data;
  const unit = d.unit ?? 'char';
  const sides: { key: 'tokenizer' | 'sourceTokenizer' | 'targetTokenizer'; units: string[] }[] = [
    { key: 'tokenizer', units: spec.task === 'seq2seq' ? [d.sourceUnit ?? unit, d.targetUnit ?? unit] : spec.task === 'one-to-many' ? [d.targetUnit ?? unit] : [unit] },
    { key: 'sourceTokenizer', units: [d.sourceUnit ?? unit] },
    { key: 'targetTokenizer', units: [d.targetUnit ?? unit] },
  ];
  return sides.filter((s) => d[s.key] === 'words' && !s.units.includes('word')).map((s) => ({
    path: `/data/${s.key}`,
    message: `a tokenizer cuts words: expected ${s.key === 'tokenizer' ? '"data.unit"' : `"data.${s.key.replace('Tokenizer', 'Unit')}"`} "word", got "char"`,
  }));
}

/**
 * Validates `json` and fills every default. Throws `SpecError` (all issues attached) when invalid.
 * `name` defaults to `defaultName` (callers pass the spec file's base name).
 */
export function resolveSpec(json: unknown, defaultName = 'model'): ResolvedSpec {
  const issues = validateSpec(json);
  if (issues.length) throw new SpecError(issues, '<spec>');
  return fillDefaults(json as ModelSpec, defaultName);
}

function fillDefaults(spec: ModelSpec, defaultName: string): ResolvedSpec {
  const { data, model } = spec;
  const training = spec.training ?? {};
  const format = (data.format ?? formatFromFileName(data.train)) as DataFormat;
  const unit = data.unit ?? 'char';
  const lowercase = data.lowercase ?? false;
  const tokenizer = data.tokenizer ?? 'whitespace';
  const minCount = data.minCount ?? 1;
  const maxVocabulary = data.maxVocabulary ?? null;
  const sequenceLength = data.sequenceLength ?? 100;
  const optimizerType = training.optimizer?.type ?? 'adam';
  const bptt = training.bptt ?? (format === 'text' ? { mode: 'truncated' as const } : { mode: 'full' as const });
  const forwardSteps = bptt.mode === 'truncated' ? (bptt.forwardSteps ?? sequenceLength) : 0;
  return {
    version: spec.version ?? SPEC_VERSION,
    name: spec.name ?? defaultName,
    task: spec.task,
    data: {
      train: data.train,
      ...(data.test !== undefined && { test: data.test }),
      validation: resolveValidation(data.validation, spec.task === 'many-to-one' && format !== 'csv'),
      format,
      unit,
      sequenceLength,
      inputKey: data.inputKey ?? 'input',
      labelKey: data.labelKey ?? 'label',
      labelsKey: data.labelsKey ?? 'labels',
      targetKey: data.targetKey ?? 'target',
      sourceKey: data.sourceKey ?? 'source',
      sourceUnit: data.sourceUnit ?? unit,
      targetUnit: data.targetUnit ?? unit,
      lowercase,
      tokenizer,
      minCount,
      maxVocabulary,
      sourceLowercase: data.sourceLowercase ?? lowercase,
      targetLowercase: data.targetLowercase ?? lowercase,
      sourceTokenizer: data.sourceTokenizer ?? tokenizer,
      targetTokenizer: data.targetTokenizer ?? tokenizer,
      sourceMinCount: data.sourceMinCount ?? minCount,
      targetMinCount: data.targetMinCount ?? minCount,
      sourceMaxVocabulary: data.sourceMaxVocabulary === undefined ? maxVocabulary : data.sourceMaxVocabulary,
      targetMaxVocabulary: data.targetMaxVocabulary === undefined ? maxVocabulary : data.targetMaxVocabulary,
      maxLength: data.maxLength ?? null,
      sourceMaxLength: data.sourceMaxLength ?? data.maxLength ?? null,
      targetMaxLength: data.targetMaxLength ?? data.maxLength ?? null,
      truncate: data.truncate ?? 'end',
      batching: data.batching ?? 'bucket',
      ...(data.columns !== undefined && { columns: [...data.columns] }),
      ...(data.target !== undefined && { target: typeof data.target === 'string' ? data.target : [...data.target] }),
      ...(data.time !== undefined && { time: data.time }),
      ...(data.calendar !== undefined && { calendar: [...data.calendar] }),
      ...(data.delimiter !== undefined && { delimiter: data.delimiter }),
      ...(data.missing !== undefined && { missing: data.missing }),
      ...(data.forecastSteps !== undefined && { forecastSteps: data.forecastSteps }),
      ...(data.season !== undefined && { season: data.season }),
      ...(data.groupBy !== undefined && { groupBy: data.groupBy }),
      window: data.window ?? 24,
      horizon: data.horizon ?? 1,
      normalize: data.normalize ?? true,
      difference: data.difference ?? false,
      ...((format === 'csv' || format === 'tsv') && { records: tableRecords(data, format) }),
    },
    model: {
      cell: model.cell,
      activation: model.activation ?? 'tanh',
      hiddenSize: model.hiddenSize ?? 128,
      layers: model.layers ?? 1,
      bidirectional: model.bidirectional ?? false,
      merge: model.merge ?? 'concat',
      connections: model.connections ?? 'none',
      dropout: model.dropout ?? 0,
      embeddingSize: model.embeddingSize ?? 32,
      recurrentInit: model.recurrentInit ?? 'orthogonal',
      initialization: model.initialization ?? 'glorot',
      attention: model.attention ?? 'none',
      attentionFeed: model.attentionFeed ?? false,
    },
    training: {
      epochs: training.epochs ?? 20,
      batchSize: training.batchSize ?? 32,
      optimizer: {
        type: optimizerType,
        learningRate: training.optimizer?.learningRate ?? LEARNING_RATES[optimizerType],
        momentum: training.optimizer?.momentum ?? 0,
        nesterov: training.optimizer?.nesterov ?? false,
        beta1: training.optimizer?.beta1 ?? 0.9,
        beta2: training.optimizer?.beta2 ?? 0.999,
        epsilon: training.optimizer?.epsilon ?? 1e-8,
        weightDecay: training.optimizer?.weightDecay ?? (optimizerType === 'adamw' ? 0.01 : 0),
        alpha: training.optimizer?.alpha ?? 0.99,
      },
      schedule: {
        type: training.schedule?.type ?? 'constant',
        stepSize: training.schedule?.stepSize ?? 10,
        gamma: training.schedule?.gamma ?? 0.5,
        minLearningRate: training.schedule?.minLearningRate ?? 0,
      },
      clipNorm: training.clipNorm === undefined ? 5 : training.clipNorm,
      clipValue: training.clipValue ?? null,
      bptt:
        bptt.mode === 'truncated'
          ? { mode: 'truncated', forwardSteps, backpropSteps: bptt.backpropSteps ?? forwardSteps }
          : { mode: 'full' },
      seed: training.seed ?? 1,
      earlyStopping: training.earlyStopping
        ? {
            patience: training.earlyStopping.patience ?? 5,
            monitor: training.earlyStopping.monitor ?? 'validation loss',
            minDelta: training.earlyStopping.minDelta ?? 0,
          }
        : null,
      classWeights: training.classWeights === undefined || training.classWeights === null
        ? null
        : typeof training.classWeights === 'string' ? training.classWeights : { ...training.classWeights },
      divergence: training.divergence === null
        ? null
        : { lossFactor: training.divergence?.lossFactor ?? 100, patienceBatches: training.divergence?.patienceBatches ?? 20 },
      ...(training.threads !== undefined && { threads: training.threads }),
    },
  };
}

/** A held-out fraction records whether it is stratified (default: `stratifyByDefault`, i.e. many-to-one records). */
function resolveValidation(validation: DataSpec['validation'], stratifyByDefault: boolean): ResolvedSpec['data']['validation'] {
  if (typeof validation === 'string') return validation;
  return { fraction: validation?.fraction ?? 0.1, stratify: validation?.stratify ?? stratifyByDefault };
}
