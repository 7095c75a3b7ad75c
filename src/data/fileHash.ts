import { createHash } from 'node:crypto';

/** sha256 of the bytes, lowercase hex: recorded with a run so that resume can refuse changed data. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
