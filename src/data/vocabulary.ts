/**
 * Token vocabularies. Ids: `<pad>` = 0, `<unk>` = 1, then (for generated sequences) `<bos>`, `<eos>`,
 * then the tokens kept from training, most frequent first (ties in code-point order of the token).
 * Tokens unseen in training, or rarer than `minCount`, or cut by `maxVocabulary`, map to `<unk>`.
 * A vocabulary also carries how text is cut into its tokens (`tokenizer`, `lowercase`), so that
 * `eval`, `predict`, `sample` and an exported `model.py` cut new text as training did.
 */
import { tokenize, type TextOptions, type TokenUnit, type Tokenizer } from './tokenize';

export { splitTokens, type TextOptions, type TokenUnit, type Tokenizer } from './tokenize';

export const PAD = '<pad>';
export const UNK = '<unk>';
export const BOS = '<bos>';
export const EOS = '<eos>';

/**
 * `vocab.json`'s form of a vocabulary. `tokenizer` and `lowercase` are absent in runs made before
 * they existed (whitespace, case kept). `counts[id]`: training occurrences of each token; for `<unk>`
 * the training tokens mapped to it; absent in old runs.
 */
export interface VocabularyJson {
  unit: TokenUnit;
  tokens: string[];
  tokenizer?: Tokenizer;
  lowercase?: boolean;
  counts?: number[];
}

/** Which counted tokens a new vocabulary keeps: at least `minCount` occurrences, at most `maxVocabulary` of them. */
export interface VocabularyLimits {
  minCount: number;
  /** Tokens kept besides the special ones; `null`: no limit. */
  maxVocabulary: number | null;
}

export class Vocabulary {
  readonly unit: TokenUnit;
  readonly tokenizer: Tokenizer;
  readonly lowercase: boolean;
  readonly tokens: readonly string[];
  readonly counts?: readonly number[];
  readonly pad = 0;
  readonly unk = 1;
  /** `<bos>` id, or −1 when this vocabulary has no sequence markers. */
  readonly bos: number;
  /** `<eos>` id, or −1 when this vocabulary has no sequence markers. */
  readonly eos: number;
  private readonly ids: Map<string, number>;

  constructor(json: VocabularyJson) {
    if (json.tokens[0] !== PAD || json.tokens[1] !== UNK) throw new Error(`a vocabulary starts with ${PAD}, ${UNK}`);
    this.unit = json.unit;
    this.tokenizer = json.tokenizer ?? 'whitespace';
    this.lowercase = json.lowercase ?? false;
    this.tokens = json.tokens;
    if (json.counts) this.counts = json.counts;
    this.ids = new Map(json.tokens.map((token, id) => [token, id]));
    this.bos = this.ids.get(BOS) ?? -1;
    this.eos = this.ids.get(EOS) ?? -1;
  }

  /**
   * Builds a vocabulary from training token counts (tokens already cut and lower-cased as `text` says);
   * `markers` adds `<bos>` and `<eos>`. Kept: tokens seen at least `minCount` times, the `maxVocabulary`
   * most frequent of them; ids by descending count, ties in code-point order.
   */
  static fromCounts(counts: ReadonlyMap<string, number>, text: TextOptions, markers: boolean, limits: VocabularyLimits = { minCount: 1, maxVocabulary: null }): Vocabulary {
    const specials = markers ? [PAD, UNK, BOS, EOS] : [PAD, UNK];
    const seen = [...counts.entries()].filter(([token]) => !specials.includes(token));
    seen.sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]));
    const frequent = seen.filter(([, count]) => count >= limits.minCount);
    const kept = limits.maxVocabulary === null ? frequent : frequent.slice(0, limits.maxVocabulary);
    let unknown = counts.get(UNK) ?? 0;
    for (let i = kept.length; i < seen.length; i++) unknown += seen[i][1];
    const specialCounts = specials.map((s) => (s === UNK ? unknown : counts.get(s) ?? 0));
    return new Vocabulary({
      unit: text.unit,
      ...(text.unit === 'word' && { tokenizer: text.tokenizer }),
      lowercase: text.lowercase,
      tokens: [...specials, ...kept.map(([token]) => token)],
      counts: [...specialCounts, ...kept.map(([, count]) => count)],
    });
  }

  get size(): number {
    return this.tokens.length;
  }

  /** How this vocabulary cuts text. */
  get text(): TextOptions {
    return { unit: this.unit, tokenizer: this.tokenizer, lowercase: this.lowercase };
  }

  /** The id of a token, `<unk>` when unseen. */
  id(token: string): number {
    return this.ids.get(token) ?? this.unk;
  }

  /** Whether a token has its own id (it occurred in training, or is a special). */
  has(token: string): boolean {
    return this.ids.has(token);
  }

  token(id: number): string {
    return this.tokens[id] ?? UNK;
  }

  encode(tokens: readonly string[]): Int32Array {
    return Int32Array.from(tokens, (t) => this.id(t));
  }

  /** Tokens of `ids` joined as text: nothing between characters, a single space between words. */
  decode(ids: ArrayLike<number>): string {
    return Array.from(ids, (id) => this.token(id)).join(this.unit === 'char' ? '' : ' ');
  }

  /** Cuts text into tokens as training did (unit, tokenizer, lowercase). */
  split(text: string): string[] {
    return tokenize(text, this.text);
  }

  /** Tokens given one by one (a JSON array): lower-cased when this vocabulary lower-cases. */
  normalizeTokens(tokens: readonly string[]): string[] {
    return this.lowercase ? tokens.map((t) => t.toLowerCase()) : [...tokens];
  }

  toJSON(): VocabularyJson {
    return {
      unit: this.unit,
      ...(this.tokenizer !== 'whitespace' && { tokenizer: this.tokenizer }),
      ...(this.lowercase && { lowercase: true }),
      tokens: [...this.tokens],
      ...(this.counts && { counts: [...this.counts] }),
    };
  }
}

/** Code-point order (not UTF-16 code-unit order, which puts U+10000… before U+E000…). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Adds the tokens to a count map. */
export function countTokens(counts: Map<string, number>, tokens: Iterable<string>): void {
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
}
