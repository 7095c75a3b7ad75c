/**
 * Text for language modelling: the whole file becomes one stream of token ids, written incrementally
 * into an Int32Array while the bytes are decoded chunk by chunk, so that only the bytes, the ids and
 * one chunk of text are alive at once (a 100 MB ASCII text needs ~100 MB + 400 MB).
 * `\r` is dropped, so CRLF and LF files give the same stream.
 */
import { DataError } from './dataError';
import { decodeUtf8Chunks } from './utf8';
import { Vocabulary, type TokenUnit } from './vocabulary';

export interface TokenStream {
  tokens: Int32Array;
  vocab: Vocabulary;
}

/**
 * Tokenises `bytes`. With `vocab`, tokens map to its ids (`<unk>` when unseen); without, a
 * vocabulary is built from this file (provisional ids by first appearance, then renumbered by count).
 */
export function readTokenStream(bytes: Uint8Array, file: string, unit: TokenUnit, vocab?: Vocabulary): TokenStream {
  if (bytes.length === 0) throw new DataError(file, 1, 1, 'empty file: expected UTF-8 text');
  const capacity = unit === 'char' ? bytes.length : (bytes.length >> 1) + 1;
  const ids = new Int32Array(capacity);
  const provisional = new Map<string, number>();
  const provisionalTokens: string[] = [];
  const counts: number[] = [];
  let n = 0;
  const emit = (token: string) => {
    if (vocab) {
      ids[n++] = vocab.id(token);
      return;
    }
    let id = provisional.get(token);
    if (id === undefined) {
      id = provisionalTokens.length;
      provisional.set(token, id);
      provisionalTokens.push(token);
      counts.push(0);
    }
    counts[id]++;
    ids[n++] = id;
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
          if (!vocab) counts[known]++;
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
      for (const match of text.slice(0, cut).matchAll(words)) emit(match[0]);
    });
    if (carry) emit(carry);
  }
  if (n === 0) throw new DataError(file, 1, 1, `no ${unit === 'char' ? 'characters' : 'words'} in the file: expected UTF-8 text`);

  let finalVocab = vocab;
  if (!finalVocab) {
    finalVocab = Vocabulary.fromCounts(new Map(provisionalTokens.map((t, i) => [t, counts[i]])), unit, false);
    const renumber = Int32Array.from(provisionalTokens, (t) => finalVocab!.id(t));
    for (let i = 0; i < n; i++) ids[i] = renumber[ids[i]];
  }
  // Keep the buffer when it is nearly full (ASCII text); copy when multi-byte characters left slack.
  const tokens = n > 0.75 * capacity ? ids.subarray(0, n) : ids.slice(0, n);
  return { tokens, vocab: finalVocab };
}

function lastWhitespace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (/\s/u.test(text[i])) return i;
  return -1;
}
