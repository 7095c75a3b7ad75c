/**
 * Errors the trainer reports, and their mapping onto the `error` event and the CLI's exit codes:
 * bad input (spec, data, a run that cannot be resumed) → 2, a diverged run or failed check → 1.
 * SpecError and DataError (src/modelSpec, src/data) carry file, line and column; they are recognised by
 * those fields so this module needs neither.
 */
import type { ErrorEvent } from './events';

/** Input the user must fix: a changed dataset on resume, a run folder that is not a run, … */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(message: string, readonly file: string, readonly line = 0, readonly column = 0) {
    super(message);
  }
}

/** The loss or the gradient stopped being finite; no step was applied, the last checkpoint is intact. */
export class DivergedError extends Error {
  override readonly name = 'DivergedError';
  constructor(message: string, readonly file: string) {
    super(message);
  }
}

/** Training was cancelled (after writing a checkpoint). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message: string, readonly file: string) {
    super(message);
  }
}

interface Located { file: string; line?: number; column?: number; message: string }

function isLocated(error: unknown): error is Located {
  return error instanceof Error && typeof (error as { file?: unknown }).file === 'string';
}

/** True for errors caused by the user's input (spec, data, arguments): exit code 2. */
export function isInputError(error: unknown): boolean {
  return error instanceof InputError || (error instanceof Error && (error.name === 'SpecError' || error.name === 'DataError'));
}

/** The `error` event for any thrown value; unlocated errors name `fallbackFile`. */
export function toErrorEvent(error: unknown, fallbackFile: string): ErrorEvent {
  if (isLocated(error)) {
    return { event: 'error', file: error.file, line: error.line ?? 0, column: error.column ?? 0, message: withoutLocation(error) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { event: 'error', file: fallbackFile, line: 0, column: 0, message };
}

/** The message without a leading `file[:line:column]: ` (SpecError puts one there). */
function withoutLocation(error: Located): string {
  const prefix = error.file + ':';
  if (!error.message.startsWith(prefix)) return error.message;
  return error.message.slice(prefix.length).replace(/^\d+:\d+:/, '').trimStart();
}

/** `file:line:column: message` (line and column left out when unknown), one line. */
export function formatErrorLine(event: Omit<ErrorEvent, 'event'>): string {
  const where = event.line > 0 ? `${event.file}:${event.line}:${event.column || 1}` : event.file;
  return `${where}: ${event.message.replace(/\s*\n\s*/g, '; ')}`;
}

/** Exit code for a thrown error: 2 bad input, 1 diverged or anything else. */
export function exitCodeFor(error: unknown): number {
  return isInputError(error) ? 2 : 1;
}
