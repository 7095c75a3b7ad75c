/**
 * Strict UTF-8 decoding (`TextDecoder` with `fatal: true`). On invalid bytes the error names the
 * line and column (in characters) of the first bad byte, found by validating the bytes directly.
 */
import { DataError } from './dataError';

/** Decodes all of `bytes`, or throws a `DataError` at the first invalid sequence. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidUtf8Error(bytes, file);
  }
}

/**
 * Decodes `bytes` in chunks of about `chunkBytes`, calling `onChunk` with each piece of text (a
 * piece never splits a character). Keeps only one chunk's text alive at a time.
 */
export function decodeUtf8Chunks(bytes: Uint8Array, file: string, onChunk: (text: string) => void, chunkBytes = 1 << 20): void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let start = 0; start < bytes.length; start += chunkBytes) {
      const end = Math.min(bytes.length, start + chunkBytes);
      const text = decoder.decode(bytes.subarray(start, end), { stream: end < bytes.length });
      if (text) onChunk(text);
    }
  } catch {
    throw invalidUtf8Error(bytes, file);
  }
}

function invalidUtf8Error(bytes: Uint8Array, file: string): DataError {
  const offset = firstInvalidUtf8Offset(bytes);
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1;
  const shown = Array.from(bytes.subarray(offset, offset + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return new DataError(file, line, column, `invalid UTF-8 (bytes ${shown}): expected a UTF-8 text file`);
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode Table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF); `bytes.length` if all are valid.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  const continuation = (k: number, low = 0x80, high = 0xbf) => k < n && bytes[k] >= low && bytes[k] <= high;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) i += 1;
    else if (b >= 0xc2 && b <= 0xdf && continuation(i + 1)) i += 2;
    else if (b === 0xe0 && continuation(i + 1, 0xa0) && continuation(i + 2)) i += 3;
    else if (((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) && continuation(i + 1) && continuation(i + 2)) i += 3;
    else if (b === 0xed && continuation(i + 1, 0x80, 0x9f) && continuation(i + 2)) i += 3;
    else if (b === 0xf0 && continuation(i + 1, 0x90) && continuation(i + 2) && continuation(i + 3)) i += 4;
    else if (b >= 0xf1 && b <= 0xf3 && continuation(i + 1) && continuation(i + 2) && continuation(i + 3)) i += 4;
    else if (b === 0xf4 && continuation(i + 1, 0x80, 0x8f) && continuation(i + 2) && continuation(i + 3)) i += 4;
    else return i;
  }
  return n;
}
