/**
 * Text for language modelling: the whole file becomes one stream of token ids (cut as `tokenize.ts`
 * says), written incrementally into an Int32Array while the bytes are decoded chunk by chunk, so that
 * only the bytes, the ids and one chunk of text are alive at once (100 MB of ASCII needs ~100 + 400 MB).
 * `\r` is dropped, so CRLF and LF files give the same stream.
 */
import { DataError } from './dataError';
import { decodeUtf8Chunks } from './utf8';
import { wordParts, type TextOptions } from './tokenize';
import { Vocabulary, type VocabularyLimits } from './vocabulary';

export interface TokenStream {
  tokens: Int32Array;
  vocab: Vocabulary;
}

export interface LearntTokenStream extends TokenStream {
  /** Tokens [0, trainEnd) are the training part, whose counts made the vocabulary. */
  trainEnd: number;
}

/** Tokenises `bytes` into the ids of `vocab` (`<unk>` when unseen or too rare). */
export function readTokenStream(bytes: Uint8Array, file: string, vocab: Vocabulary): TokenStream {
  const { ids } = readIds(bytes, file, vocab.text, (token) => vocab.id(token));
  return { tokens: ids, vocab };
}

/**
 * Tokenises `bytes` and builds the vocabulary from the first `trainEnd(n)` of its n tokens (the rest
 * is held out): provisional ids by first appearance, then renumbered by count, rare tokens to `<unk>`.
 */
export function learnTokenStream(bytes: Uint8Array, file: string, text: TextOptions, limits: VocabularyLimits, trainEnd: (n: number) => number): LearntTokenStream {
  const provisional = new Map<string, number>();
  const provisionalTokens: string[] = [];
  const { ids } = readIds(bytes, file, text, (token) => {
    let id = provisional.get(token);
    if (id === undefined) {
      id = provisionalTokens.length;
      provisional.set(token, id);
      provisionalTokens.push(token);
    }
    return id;
  });
  const end = trainEnd(ids.length);
  const counts = new Float64Array(provisionalTokens.length);
  for (let i = 0; i < end; i++) counts[ids[i]]++;
  const seen = new Map<string, number>();
  provisionalTokens.forEach((t, i) => counts[i] > 0 && seen.set(t, counts[i]));
  const vocab = Vocabulary.fromCounts(seen, text, false, limits);
  const renumber = Int32Array.from(provisionalTokens, (t) => vocab.id(t));
  for (let i = 0; i < ids.length; i++) ids[i] = renumber[ids[i]];
  return { tokens: ids, vocab, trainEnd: end };
}

/** The stream's tokens, each given the id `idOf` assigns (called once per distinct character, per word). */
function readIds(bytes: Uint8Array, file: string, options: TextOptions, idOf: (token: string) => number): { ids: Int32Array } {
  const unit = options.unit;
  if (bytes.length === 0) throw new DataError(file, 1, 1, 'empty file: expected UTF-8 text');
  // At most one token a byte (a character, a punctuation mark), or a word and a space per two bytes.
  const capacity = unit === 'char' || options.tokenizer === 'words' ? bytes.length : (bytes.length >> 1) + 1;
  const ids = new Int32Array(capacity);
  let n = 0;
  const emit = (token: string) => {
    ids[n++] = idOf(options.lowercase ? token.toLowerCase() : token);
  };

  if (unit === 'char') {
    // Ids of code points seen so far: a table for the BMP, a map above it (the hot loop avoids strings).
    const bmpIds = new Int32Array(0x10000).fill(-1);
    const astralIds = new Map<number, number>();
    decodeUtf8Chunks(bytes, file, (text) => {
      for (let i = 0; i < text.length; i++) {
        let code = text.charCodeAt(i);
        if (code === 13) continue;
        if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) code = text.codePointAt(i++)!;
        const known = code < 0x10000 ? bmpIds[code] : (astralIds.get(code) ?? -1);
        if (known >= 0) {
          ids[n++] = known;
          continue;
        }
        emit(String.fromCodePoint(code));
        if (code < 0x10000) bmpIds[code] = ids[n - 1];
        else astralIds.set(code, ids[n - 1]);
      }
    });
  } else {
    let carry = '';
    const words = /\S+/gu;
    decodeUtf8Chunks(bytes, file, (chunk) => {
      const text = carry + chunk;
      const cut = lastWhitespace(text) + 1;
      carry = text.slice(cut);
      for (const match of text.slice(0, cut).matchAll(words)) for (const part of wordParts(match[0], options)) ids[n++] = idOf(part);
    });
    for (const part of carry ? wordParts(carry, options) : []) ids[n++] = idOf(part);
  }
  if (n === 0) throw new DataError(file, 1, 1, `no ${unit === 'char' ? 'characters' : 'words'} in the file: expected UTF-8 text`);

  // Keep the buffer when it is nearly full (ASCII text); copy when multi-byte characters left slack.
  return { ids: n > 0.75 * capacity ? ids.subarray(0, n) : ids.slice(0, n) };
}

function lastWhitespace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (/\s/u.test(text[i])) return i;
  return -1;
}
