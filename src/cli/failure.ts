/**
 * Turning a thrown error into the CLI's last words: one line on stderr naming file:line:column
 * (and, under --json, the same as an `error` event on stdout), no stack trace, and the exit code:
 * 2 bad input, 1 failed check or diverged run, 130 interrupted (Ctrl-C, after the checkpoint).
 */
import { CancelledError, exitCodeFor, formatErrorLine, toErrorEvent } from '../train/errors';

export const EXIT_INTERRUPTED = 130;

/** Reports `error` and exits. `file` names the input when the error itself names none. */
export function fail(error: unknown, file: string, json: boolean): never {
  const event = toErrorEvent(error, file);
  if (json) process.stdout.write(JSON.stringify(event) + '\n');
  process.stderr.write(formatErrorLine(event) + '\n');
  if (process.env.RNN_LAB_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(error instanceof CancelledError ? EXIT_INTERRUPTED : exitCodeFor(error));
}
