/**
 * Token vocabularies. Ids: `<pad>` = 0, `<unk>` = 1, then (for generated sequences) `<bos>`, `<eos>`,
 * then the tokens seen in training, most frequent first (ties in code-point order of the token).
 * Tokens unseen in training map to `<unk>`.
 */
export type TokenUnit = 'char' | 'word';

export const PAD = '<pad>';
export const UNK = '<unk>';
export const BOS = '<bos>';
export const EOS = '<eos>';

export interface VocabularyJson {
  unit: TokenUnit;
  tokens: string[];
}

export class Vocabulary {
  readonly unit: TokenUnit;
  readonly tokens: readonly string[];
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
    this.tokens = json.tokens;
    this.ids = new Map(json.tokens.map((token, id) => [token, id]));
    this.bos = this.ids.get(BOS) ?? -1;
    this.eos = this.ids.get(EOS) ?? -1;
  }

  /** Builds a vocabulary from token counts; `markers` adds `<bos>` and `<eos>`. */
  static fromCounts(counts: ReadonlyMap<string, number>, unit: TokenUnit, markers: boolean): Vocabulary {
    const specials = markers ? [PAD, UNK, BOS, EOS] : [PAD, UNK];
    const seen = [...counts.entries()].filter(([token]) => !specials.includes(token));
    seen.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return new Vocabulary({ unit, tokens: [...specials, ...seen.map(([token]) => token)] });
  }

  get size(): number {
    return this.tokens.length;
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

  /** Tokens of `ids` joined as text: nothing between characters, a space between words. */
  decode(ids: ArrayLike<number>): string {
    return Array.from(ids, (id) => this.token(id)).join(this.unit === 'char' ? '' : ' ');
  }

  /** Cuts text into tokens of this vocabulary's unit. */
  split(text: string): string[] {
    return splitTokens(text, this.unit);
  }

  toJSON(): VocabularyJson {
    return { unit: this.unit, tokens: [...this.tokens] };
  }
}

/** `char`: one token per Unicode code point; `word`: split on whitespace, case kept. */
export function splitTokens(text: string, unit: TokenUnit): string[] {
  if (unit === 'char') return Array.from(text);
  return text.split(/\s+/u).filter((w) => w.length > 0);
}

/** Adds the tokens to a count map. */
export function countTokens(counts: Map<string, number>, tokens: Iterable<string>): void {
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
}
