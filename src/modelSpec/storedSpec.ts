/**
 * A run's `spec.json` read back (resume, eval, sample, export). `resolveSpec` writes every key into
 * a new run's spec.json, so a key missing from a stored spec was written by an RNN Lab older than
 * that key: it takes the value that reproduces the behaviour from before the key existed, which may
 * differ from the default for new specs (e.g. `data.batching` is `"bucket"` for new specs but
 * `"random"` for older runs). Every key added to the spec after its first release that changes
 * behaviour gets one entry in LEGACY_DEFAULTS (docs/contracts.md, "Old runs keep their meaning").
 */
import type { ResolvedSpec } from './resolve';

/** One key added to the spec later: `path` (JSON Pointer) and the value meaning "as before it existed". */
export interface LegacyDefault {
  path: string;
  value: unknown;
  /** Why this value reproduces the old behaviour (for docs/contracts.md and readers of this list). */
  why: string;
}

/**
 * Keys in order of addition. A parent that is absent or not an object (e.g. `data.validation` as a
 * file name) leaves the entry out: the key has no meaning there.
 */
export const LEGACY_DEFAULTS: readonly LegacyDefault[] = [
  { path: '/data/batching', value: 'random', why: 'batches were a seeded shuffle cut in order' },
  { path: '/data/validation/stratify', value: false, why: 'the held-out fraction was a plain seeded shuffle' },
  { path: '/data/maxLength', value: null, why: 'records were never truncated' },
  { path: '/data/sourceMaxLength', value: null, why: 'records were never truncated' },
  { path: '/data/targetMaxLength', value: null, why: 'records were never truncated' },
  { path: '/data/truncate', value: 'end', why: 'no effect without a maximum length' },
  { path: '/training/classWeights', value: null, why: 'the cross-entropy was unweighted' },
  // lowercase, tokenizer, minCount, maxVocabulary: their defaults are the old behaviour, and a run's data is read with its vocab.json.
  { path: '/data/records', value: false, why: 'CSV was a time series and TSV headerless pairs, whatever key names were written' },
  { path: '/training/divergence', value: null, why: 'only a NaN or infinite loss or gradient stopped a run' },
];

/**
 * Fills the keys of `defaults` that `json` (a stored spec.json) lacks, in place, and returns it as
 * a ResolvedSpec. Keys present are kept as stored.
 */
export function withLegacyDefaults(json: unknown, defaults: readonly LegacyDefault[] = LEGACY_DEFAULTS): ResolvedSpec {
  for (const { path, value } of defaults) {
    const keys = path.split('/').slice(1);
    let parent: unknown = json;
    for (const key of keys.slice(0, -1)) parent = isObject(parent) ? parent[key] : undefined;
    const last = keys[keys.length - 1];
    if (isObject(parent) && !(last in parent)) parent[last] = structuredClone(value);
  }
  return json as ResolvedSpec;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
