/**
 * Text → tokens, the one definition shared by the readers, `Vocabulary.split` and (in Python) an
 * exported `model.py`:
 *   char         one token per Unicode code point;
 *   word         split on whitespace (JavaScript `\s`), then with tokenizer `words` every Unicode
 *                punctuation character (general category P*, `\p{P}`) is a token of its own;
 *   lowercase    each token is lower-cased on its own (`toLowerCase`, Python `str.lower`) after the cut,
 *                so the result never depends on the neighbouring tokens or on where a file is chunked.
 */
export type TokenUnit = 'char' | 'word';
export type Tokenizer = 'whitespace' | 'words';

export interface TextOptions {
  unit: TokenUnit;
  /** Word units only; ignored for characters. */
  tokenizer: Tokenizer;
  lowercase: boolean;
}

/** Before this issue: whitespace words or code points, case kept. */
export const PLAIN_TEXT: Omit<TextOptions, 'unit'> = { tokenizer: 'whitespace', lowercase: false };

const PUNCTUATION_OR_RUN = /\p{P}|[^\p{P}]+/gu;

/** Tokens of `text`. */
export function tokenize(text: string, options: TextOptions): string[] {
  const tokens: string[] = [];
  const push = (token: string) => tokens.push(options.lowercase ? token.toLowerCase() : token);
  if (options.unit === 'char') {
    for (const c of text) push(c);
    return tokens;
  }
  for (const word of text.split(/\s+/u)) {
    if (!word) continue;
    if (options.tokenizer === 'words') for (const part of word.matchAll(PUNCTUATION_OR_RUN)) push(part[0]);
    else push(word);
  }
  return tokens;
}

/** The cut of a whitespace-free chunk `word` (word units), for streams that find words themselves. */
export function wordParts(word: string, options: TextOptions): string[] {
  const parts = options.tokenizer === 'words' ? Array.from(word.matchAll(PUNCTUATION_OR_RUN), (m) => m[0]) : [word];
  return options.lowercase ? parts.map((p) => p.toLowerCase()) : parts;
}

/** `char`: one token per Unicode code point; `word`: split on whitespace, case kept (`tokenize` with no options). */
export function splitTokens(text: string, unit: TokenUnit): string[] {
  return tokenize(text, { unit, ...PLAIN_TEXT });
}
