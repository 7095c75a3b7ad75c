import { parseJsonWithPositions, offsetOfPointer } from './jsonText';
import { TextLines } from './textLines';
import { resolveSpec, validateSpec, type ResolvedSpec } from './resolve';
import type { SpecIssue } from './schemaIssues';
import { SpecError } from './specError';

/**
 * Parses, validates and resolves the text of a `*.rnn.json` file. Throws `SpecError` whose issues
 * carry `file:line:column`. `name` defaults to the file's base name without `.rnn.json`.
 */
export function parseSpec(text: string, file: string): ResolvedSpec {
  const issues = specTextIssues(text);
  if (issues.length) throw new SpecError(issues, file);
  const { value } = parseJsonWithPositions(text);
  return resolveSpec(value, specBaseName(file));
}

/** Every issue in a spec text (syntax, schema, cross-key), each with its line and column. */
export function specTextIssues(text: string): SpecIssue[] {
  const lines = new TextLines(text);
  const { value, root, problems } = parseJsonWithPositions(text);
  if (problems.length || !root) {
    const found = problems.length ? problems : [{ offset: 0, message: 'invalid JSON: empty file' }];
    return found.map((p) => ({ path: '', message: p.message, ...lines.position(p.offset) }));
  }
  return validateSpec(value)
    .map((issue) => {
      const unknownKey = issue.message.startsWith('unknown key');
      return { ...issue, ...lines.position(offsetOfPointer(root, issue.path, unknownKey)) };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * A SpecError at `path` (JSON Pointer) of the spec text, for problems found once the data is known
 * (e.g. a monitored metric the task does not report). The position is that of the nearest present value.
 */
export function specErrorAt(text: string, file: string, path: string, message: string): SpecError {
  const { root } = parseJsonWithPositions(text);
  const position = root ? new TextLines(text).position(offsetOfPointer(root, path)) : { line: 1, column: 1 };
  return new SpecError([{ path, message, ...position }], file);
}

/** `models/digits.rnn.json` → `digits`. */
export function specBaseName(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return base.replace(/\.rnn\.json$/i, '').replace(/\.json$/i, '') || 'model';
}
