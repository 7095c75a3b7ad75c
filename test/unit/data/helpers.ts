import { resolveSpec, type ResolvedSpec } from '../../../src/modelSpec';
import { DataError } from '../../../src/data';

export const utf8 = (text: string) => new TextEncoder().encode(text);

/** A resolved spec from a partial one (task, data, model.cell default to a JSONL classifier). */
export function specOf(task: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}): ResolvedSpec {
  return resolveSpec({ task, data, model: { cell: 'gru' }, ...extra });
}

/** A reader over an in-memory file map. */
export function files(map: Record<string, string | Uint8Array>): (path: string) => Uint8Array {
  return (path) => {
    const content = map[path];
    if (content === undefined) throw new Error(`ENOENT: ${path}`);
    return typeof content === 'string' ? utf8(content) : content;
  };
}

/** Asserts `fn` throws a DataError at file:line:column whose reason matches. */
export function throwsDataError(fn: () => unknown, file: string, line: number, column: number, reason: RegExp): DataError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DataError)) throw new Error(`expected a DataError, got ${e}`);
    const got = `${e.file}:${e.line}:${e.column}`;
    if (got !== `${file}:${line}:${column}`) throw new Error(`expected ${file}:${line}:${column}, got ${got} (${e.reason})`);
    if (!reason.test(e.reason)) throw new Error(`reason ${JSON.stringify(e.reason)} does not match ${reason}`);
    if (e.message !== `${got}: ${e.reason}`) throw new Error(`message ${e.message} lacks the position prefix`);
    return e;
  }
  throw new Error('expected a DataError, nothing was thrown');
}
