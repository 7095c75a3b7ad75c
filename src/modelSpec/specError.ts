import type { SpecIssue } from './schemaIssues';

/**
 * An invalid spec. `file`, `line`, `column` (1-based; 0 when the text is unknown), `path` and the
 * message describe the first issue; `issues` holds all of them.
 */
export class SpecError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[], file: string) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(`${formatIssue(first, file)}${more}`);
    this.name = 'SpecError';
    this.file = file;
    this.line = first.line ?? 0;
    this.column = first.column ?? 0;
    this.path = first.path;
    this.issues = issues;
  }
}

/** `file:line:column: /path: message` (the position only when known). */
export function formatIssue(issue: SpecIssue, file: string): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}:${issue.column ?? 1}` : file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** All issues, one a line, for a terminal or a log. */
export function describeSpecIssues(issues: readonly SpecIssue[], file: string): string {
  return issues.map((issue) => formatIssue(issue, file)).join('\n');
}
