/**
 * A JSON value read as a sequence:
 *   - a string: characters, or words with unit `word` (cut and lower-cased as the text options say);
 *   - an array of tokens (strings), lower-cased when asked, never re-cut;
 *   - an array of numbers: one feature per step;
 *   - an array of number arrays: the features of each step (every step the same width).
 */
import { showValue } from '../format/showValue';
import { beyondRange, isModelNumber } from './numberRange';
import { tokenize, type TextOptions, type TokenUnit } from './tokenize';

export type RawSequence =
  | { kind: 'tokens'; tokens: string[]; unit: TokenUnit }
  | { kind: 'features'; values: number[]; width: number; steps: number };

/** What went wrong in a value, and where inside it (array indices), before a position is known. */
export class ValueProblem {
  constructor(
    readonly message: string,
    readonly index: number[] = [],
    /** A number beyond float32's range (`numberRange.ts`): the reader names it as written. */
    readonly beyondRange = false,
  ) {}
}

const SEQUENCE = 'a string, an array of tokens, an array of numbers or an array of number arrays';

/** Reads a sequence, or throws a `ValueProblem`. `tokensOnly` rejects numeric sequences. */
export function readSequence(value: unknown, text: TextOptions, tokensOnly = false): RawSequence {
  const expected = tokensOnly ? 'a string or an array of tokens' : SEQUENCE;
  const unit = text.unit;
  if (typeof value === 'string') {
    const tokens = tokenize(value, text);
    if (!tokens.length) throw new ValueProblem(`empty sequence ${showValue(value)}: expected at least one ${unit === 'char' ? 'character' : 'word'}`);
    return { kind: 'tokens', tokens, unit };
  }
  if (!Array.isArray(value)) throw new ValueProblem(`expected ${expected}, got ${showValue(value)}`);
  if (value.length === 0) throw new ValueProblem(`empty sequence []: expected ${expected} with at least one step`);
  const first = value[0];
  if (typeof first === 'string') {
    value.forEach((token, i) => {
      if (typeof token !== 'string') throw new ValueProblem(`expected a token (string) at step ${i}, got ${showValue(token)}`, [i]);
    });
    return { kind: 'tokens', tokens: text.lowercase ? (value as string[]).map((t) => t.toLowerCase()) : (value as string[]), unit: 'word' };
  }
  if (tokensOnly) throw new ValueProblem(`expected ${expected}, got ${showValue(value)}`);
  if (typeof first === 'number') {
    return { kind: 'features', values: value.map((v, i) => finiteNumber(v, [i])), width: 1, steps: value.length };
  }
  if (Array.isArray(first)) {
    const width = first.length;
    if (width === 0) throw new ValueProblem('empty step []: expected at least one feature per step', [0]);
    const values: number[] = [];
    value.forEach((step, i) => {
      if (!Array.isArray(step)) throw new ValueProblem(`expected an array of ${width} numbers at step ${i}, got ${showValue(step)}`, [i]);
      if (step.length !== width) throw new ValueProblem(`expected ${width} features at step ${i} (as at step 0), got ${step.length}`, [i]);
      step.forEach((v, j) => values.push(finiteNumber(v, [i, j])));
    });
    return { kind: 'features', values, width, steps: value.length };
  }
  throw new ValueProblem(`expected ${expected}, got ${showValue(value)}`);
}

/** A finite number within float32's range, or a `ValueProblem` at `index`. */
export function finiteNumber(value: unknown, index: number[] = []): number {
  if (typeof value === 'number' && !isModelNumber(value)) throw new ValueProblem(beyondRange(Number.isFinite(value) ? String(value) : 'a number'), index, true);
  if (typeof value !== 'number') throw new ValueProblem(`expected a finite number, got ${showValue(value)}`, index);
  return value;
}

/** A non-empty array of finite numbers (a vector), or a `ValueProblem`. */
export function readVector(value: unknown): number[] {
  if (typeof value === 'number') return [finiteNumber(value)];
  if (!Array.isArray(value) || value.length === 0) throw new ValueProblem(`expected a number or a non-empty array of numbers, got ${showValue(value)}`);
  return value.map((v, i) => finiteNumber(v, [i]));
}

/** A class label: strings and numbers compare as strings (`1` and `"1"` are one class). */
export function readLabel(value: unknown, index: number[] = []): string {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') throw new ValueProblem(beyondRange('a number'), index, true);
  throw new ValueProblem(`expected a label (a non-empty string or a number), got ${showValue(value)}`, index);
}
