/**
 * The dataset preview's message (host → webview) and its runtime guard, which checks the shape deeply
 * enough that drawing cannot throw. The preview itself is computed in the data-scan worker
 * (src/data/preview); its types live there and are re-exported for the webview.
 */
import type { DatasetPreview } from '../data/preview/previewTypes';

export type { CountEntry, DatasetPreview, LengthStats, SeriesPreview, VocabularyPreview } from '../data/preview/previewTypes';

/** `preview` null with `error` (a DataError's file:line:column message) when the data cannot be read. */
export interface DatasetPreviewMessage {
  type: 'datasetPreview';
  /** The dataset's URI, saved as webview state for the panel serializer. */
  restoreUri: string;
  fileName: string;
  preview: DatasetPreview | null;
  error?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';
const isStr = (v: unknown): v is string => typeof v === 'string';
const isArrayOf = <T>(v: unknown, item: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.every(item);
const isCount = (v: unknown): v is { name: string; count: number } => isObj(v) && isStr(v.name) && isNum(v.count);
const isOptional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || check(v);

function isLengthStats(v: unknown): boolean {
  return isObj(v) && isStr(v.unit) && isStr(v.of) && isNum(v.count) && isNum(v.min) && isNum(v.max) && isNum(v.mean) &&
    isArrayOf(v.percentiles, (p): p is Obj => isObj(p) && isNum(p.p) && isNum(p.value)) &&
    isArrayOf(v.histogram, (b): b is Obj => isObj(b) && isNum(b.from) && isNum(b.to) && isNum(b.count)) &&
    isOptional(v.limit, (l) => isObj(l) && isStr(l.key) && isNum(l.value) && isNum(l.over));
}

function isSeries(v: unknown): boolean {
  if (!isObj(v) || !isObj(v.x) || !isArrayOf(v.x.values, isNum)) return false;
  const n = v.x.values.length;
  return isStr(v.x.name) && ['date', 'number', 'row'].includes(v.x.kind as string) && isNum(v.stride) &&
    isArrayOf(v.columns, (c): c is Obj => isObj(c) && isStr(c.name) && isNum(c.missing) &&
      isArrayOf(c.values, (x): x is number | null => x === null || isNum(x)) && c.values.length === n) &&
    isArrayOf(v.gaps, (g): g is Obj => isObj(g) && isNum(g.from) && isNum(g.to)) &&
    isArrayOf(v.boundaries, (b): b is Obj => isObj(b) && (b.split === 'validation' || b.split === 'test') && isNum(b.x)) &&
    isOptional(v.series, (s) => isObj(s) && isStr(s.shown) && isNum(s.count));
}

export function isDatasetPreview(v: unknown): v is DatasetPreview {
  if (!isObj(v)) return false;
  const records = v.records, first = v.firstRecords;
  return isStr(v.file) && ['train', 'validation', 'test'].includes(v.role as string) && isStr(v.format) && isStr(v.task) && isStr(v.settingsFrom) &&
    isObj(records) && isStr(records.unit) && isNum(records.train) && isNum(records.validation) && isOptional(records.test, isNum) &&
    isOptional(v.lengths, isLengthStats) &&
    isOptional(v.classes, (c) => isObj(c) && isArrayOf(c.counts, isCount) && isNum(c.ratio) && isOptional(c.warning, isStr)) &&
    isOptional(v.tags, (t) => isArrayOf(t, isCount)) &&
    isArrayOf(v.vocabularies, (voc): voc is Obj => isObj(voc) && isStr(voc.side) && isStr(voc.unit) && isNum(voc.size) && isStr(voc.settings) &&
      isArrayOf(voc.top, isCount) &&
      isArrayOf(voc.unknown, (u): u is Obj => isObj(u) && isStr(u.split) && isNum(u.tokens) && isNum(u.unknown))) &&
    isOptional(v.series, isSeries) &&
    isObj(first) && isArrayOf(first.columns, isStr) && isArrayOf(first.lines, isNum) &&
    isArrayOf(first.rows, (r): r is string[] => isArrayOf(r, isStr)) &&
    isArrayOf(v.notes, isStr);
}

export function isDatasetPreviewMessage(v: Obj): v is Obj & DatasetPreviewMessage {
  return v.type === 'datasetPreview' && isStr(v.restoreUri) && isStr(v.fileName) &&
    (v.preview === null || isDatasetPreview(v.preview)) && isOptional(v.error, isStr);
}
