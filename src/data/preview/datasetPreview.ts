/**
 * Spec + file bytes → `DatasetPreview`: what a data scientist checks before training, read exactly as
 * training reads it (`prepareDataset` with the spec's settings, so vocabulary sizes, unknown shares
 * and splits are the ones training will see), except that lengths are measured before any
 * `maxLength` cut. Pure (no `vscode`, no Node): it runs in the data-scan worker. Malformed data
 * throws `DataError` (file:line:column) as training would.
 */
import type { ResolvedSpec } from '../../modelSpec';
import type { Example, PreparedDataset, Split } from '../dataset';
import { prepareDataset } from '../prepareDataset';
import { sideOptions, type TextSide } from '../textOptions';
import { decodeUtf8 } from '../utf8';
import type { Vocabulary } from '../vocabulary';
import { splitIds } from '../vocabularyNotes';
import { dataFiles, type DataRole } from './dataRole';
import { firstRecords } from './firstRecords';
import { classBalance, countIds, lengthStats } from './lengthStats';
import type { DatasetPreview, LengthStats, VocabularyPreview } from './previewTypes';
import { seriesPreview } from './seriesPreview';

type Read = (relPath: string) => Uint8Array;

const TOP_TOKENS = 20;

/**
 * `settingsFrom` says where `spec` came from (a spec file, or what `init` would write); `role`: which
 * of the spec's data files is previewed (its first records are shown; the statistics are the spec's).
 */
export function previewDataset(spec: ResolvedSpec, read: Read, settingsFrom: string, role: DataRole = 'train'): DatasetPreview {
  const cache = new Map<string, Uint8Array>();
  const load = (path: string) => { let bytes = cache.get(path); if (!bytes) cache.set(path, bytes = read(path)); return bytes; };
  // Lengths before any cut: the same spec with no maximum lengths.
  const uncut: ResolvedSpec = { ...spec, data: { ...spec.data, maxLength: null, sourceMaxLength: null, targetMaxLength: null } };
  const prepared = prepareDataset(uncut, load);
  const trainText = decodeUtf8(load(spec.data.train), spec.data.train);
  const sizes = (split: Split | undefined) => (split === undefined ? undefined : split.kind === 'stream' ? split.tokens.length : split.examples.length);
  const unit = prepared.kind === 'stream' ? (prepared.inputVocab!.unit === 'char' ? 'characters' : 'words') : prepared.kind === 'timeseries' ? 'windows' : 'records';
  const train = examplesOf(prepared.train);
  const shown = dataFiles(spec.data).find((file) => file.role === role);
  if (!shown) throw new Error(`the spec has no data.${role} file`);
  return {
    file: shown.path,
    role,
    format: spec.data.format,
    task: spec.task,
    settingsFrom,
    records: { unit, train: sizes(prepared.train)!, validation: sizes(prepared.validation)!, ...(prepared.test && { test: sizes(prepared.test) }) },
    ...optional('lengths', lengthsOf(spec, prepared, trainText)),
    ...(spec.task === 'many-to-one' && prepared.labels && { classes: classBalance(countIds(train.map((e) => e.label ?? -1), prepared.labels)) }),
    ...(spec.task === 'many-to-many' && prepared.labels && { tags: countIds(train.flatMap((e) => Array.from(e.labels ?? [])), prepared.labels) }),
    vocabularies: vocabulariesOf(spec, prepared),
    ...(prepared.kind === 'timeseries' && { series: seriesPreview(spec, load) }),
    firstRecords: firstRecords(spec, shown.path === spec.data.train ? trainText : decodeUtf8(load(shown.path), shown.path), shown.path),
    notes: [...(prepared.notes ?? []), ...(prepared.warnings ?? []).map((w) => `${w.file}:${w.line}:${w.column}: ${w.message}`)],
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } => (value === undefined ? {} : { [key]: value } as { [k in K]: V });

function examplesOf(split: Split | undefined): Example[] {
  return split?.kind === 'examples' ? split.examples : [];
}

function lengthsOf(spec: ResolvedSpec, prepared: PreparedDataset, trainText: string): LengthStats | undefined {
  const { data } = spec;
  if (prepared.kind === 'stream') {
    // A text is one stream; its lines are what a reader sees as its records.
    const options = sideOptions(spec, 'input').text;
    const lengths = trainText.split('\n').filter((l) => l.trim()).map((l) => (options.unit === 'char' ? Array.from(l).length : l.trim().split(/\s+/u).length));
    return lengthStats(lengths, options.unit === 'char' ? 'characters' : 'words', 'lines');
  }
  if (prepared.kind === 'timeseries') {
    if (data.groupBy === undefined) return undefined;
    const rows = new Map<string, number>();
    for (const e of examplesOf(prepared.train)) rows.set(e.series ?? '', (rows.get(e.series ?? '') ?? 0) + 1);
    return lengthStats([...rows.values()], 'training windows', 'series');
  }
  const all = [prepared.train, prepared.validation, prepared.test].flatMap(examplesOf);
  const generatesOnly = spec.task === 'one-to-many';
  const lengths = all.map((e) => (generatesOnly ? e.targetTokens?.length ?? 0 : e.steps));
  const key = generatesOnly ? 'targetMaxLength' : spec.task === 'seq2seq' ? 'sourceMaxLength' : 'maxLength';
  const limit = generatesOnly ? data.targetMaxLength : spec.task === 'seq2seq' ? data.sourceMaxLength : data.maxLength;
  const unit = prepared[generatesOnly ? 'outputVocab' : 'inputVocab']?.unit;
  return lengthStats(lengths, unit === 'char' ? 'characters' : unit === 'word' ? 'words' : 'steps', 'records', limit === null ? undefined : { key: `data.${key}`, value: limit });
}

function vocabulariesOf(spec: ResolvedSpec, prepared: PreparedDataset): VocabularyPreview[] {
  const out: VocabularyPreview[] = [];
  const describe = (side: TextSide, vocab: Vocabulary, part: 'input' | 'targetTokens') => {
    const { text, limits } = sideOptions(spec, side);
    const settings = [
      text.unit === 'word' ? `tokenizer ${text.tokenizer}` : `unit ${text.unit}`,
      ...(text.lowercase ? ['lowercase'] : []),
      `minCount ${limits.minCount}`,
      ...(limits.maxVocabulary !== null ? [`maxVocabulary ${limits.maxVocabulary}`] : []),
    ].join(', ');
    const counts = vocab.counts ?? [];
    const top = vocab.tokens.map((name, id) => ({ name, count: counts[id] ?? 0 })).filter((t, id) => id !== vocab.pad && t.count > 0)
      .sort((a, b) => b.count - a.count).slice(0, TOP_TOKENS);
    const unknown: VocabularyPreview['unknown'] = [];
    for (const split of ['validation', 'test'] as const) {
      const ids = prepared[split] ? splitIds(prepared[split]!, part) : [];
      let tokens = 0;
      let unk = 0;
      for (const seq of ids) for (let i = 0; i < seq.length; i++) { tokens++; if (seq[i] === vocab.unk) unk++; }
      if (tokens > 0) unknown.push({ split, tokens, unknown: unk });
    }
    out.push({ side, unit: vocab.unit === 'char' ? 'char' : 'word', size: vocab.size, settings, top, unknown });
  };
  const generates = spec.task === 'seq2seq' || spec.task === 'one-to-many';
  if (prepared.inputVocab) describe(spec.task === 'seq2seq' ? 'source' : 'input', prepared.inputVocab, 'input');
  if (generates && prepared.outputVocab && prepared.outputVocab !== prepared.inputVocab) describe('target', prepared.outputVocab, 'targetTokens');
  return out;
}
