/**
 * `data.maxLength` / `sourceMaxLength` / `targetMaxLength` with `data.truncate`: records longer than
 * their maximum are cut, `end` keeping the first steps and `start` the last. A tagger's labels (and
 * aligned regression targets) are cut with their steps; a generated target is cut before its `<eos>`.
 */
import type { ResolvedSpec } from '../modelSpec';
import type { Example } from './dataset';

export interface LengthLimits {
  /** Input (source) steps; null: no limit. */
  input: number | null;
  /** Generated target tokens (seq2seq, one-to-many); null: no limit. */
  target: number | null;
  truncate: 'end' | 'start';
}

export function lengthLimits(spec: ResolvedSpec): LengthLimits {
  const { data } = spec;
  const generates = spec.task === 'seq2seq' || spec.task === 'one-to-many';
  return {
    input: generates ? data.sourceMaxLength : data.maxLength,
    target: generates ? data.targetMaxLength : null,
    truncate: data.truncate,
  };
}

/** Widths of an example's per-step values; `aligned`: `target` has one row per step (many-to-many). */
export interface StepWidths { featureSize: number; targetSize: number; aligned: boolean }

/** Cuts the examples in place; returns how many were truncated. */
export function truncateExamples(examples: Example[], limits: LengthLimits, widths: StepWidths): number {
  if (limits.input === null && limits.target === null) return 0;
  let truncated = 0;
  for (const e of examples) {
    let cut = false;
    if (limits.input !== null && e.steps > limits.input) {
      const [from, to] = keptRange(e.steps, limits.input, limits.truncate);
      const width = e.input instanceof Int32Array ? 1 : widths.featureSize;
      e.input = e.input.slice(from * width, to * width);
      if (e.labels) e.labels = e.labels.slice(from, to);
      if (e.target && widths.aligned) e.target = e.target.slice(from * widths.targetSize, to * widths.targetSize);
      e.steps = to - from;
      cut = true;
    }
    if (limits.target !== null && e.targetTokens && e.targetTokens.length > limits.target) {
      const [from, to] = keptRange(e.targetTokens.length, limits.target, limits.truncate);
      e.targetTokens = e.targetTokens.slice(from, to);
      cut = true;
    }
    if (cut) truncated++;
  }
  return truncated;
}

/** The kept steps [from, to) of a sequence of `length` cut to `max`. */
function keptRange(length: number, max: number, truncate: 'end' | 'start'): [number, number] {
  return truncate === 'end' ? [0, max] : [length - max, length];
}
