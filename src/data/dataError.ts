/**
 * A malformed dataset. `line` and `column` are 1-based and point at the offending value; the message
 * names that value and what was expected. `message` reads `file:line:column: what`.
 */
export class DataError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The message without the `file:line:column: ` prefix. */
  readonly reason: string;

  constructor(file: string, line: number, column: number, reason: string) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'DataError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

