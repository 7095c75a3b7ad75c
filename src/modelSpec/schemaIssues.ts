/**
 * Schema validation of a spec value with TypeBox `Value.Errors` (interpreted, no `eval`), turned into
 * issues a person can act on: the JSON path, what was expected and what was found.
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { showValue } from '../format/showValue';

/** One problem in a spec. `line`/`column` (1-based) are filled when the spec text is known. */
export interface SpecIssue {
  /** JSON Pointer of the offending value, e.g. `/model/hiddenSize`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** Every schema issue of `value`, at most one per path, in document order of discovery. */
export function schemaIssues(schema: TSchema, value: unknown, base = ''): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    for (const issue of explain(error, base)) {
      if (seen.has(issue.path)) continue;
      seen.add(issue.path);
      issues.push(issue);
    }
  }
  return issues;
}

function explain(error: ValueError, base: string): SpecIssue[] {
  const path = base + error.path;
  const schema = error.schema;
  const got = `got ${showValue(error.value)}`;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return [{ path, message: `missing required key "${lastSegment(path)}"` }];
    case ValueErrorType.ObjectAdditionalProperties: {
      const known = Object.keys(schema.properties ?? {}).filter((k) => k !== '$schema');
      const key = lastSegment(path);
      const near = closest(key, known);
      const hint = near ? `did you mean "${near}"? ` : '';
      return [{ path, message: `unknown key "${key}": ${hint}expected one of ${known.map((k) => `"${k}"`).join(', ')}` }];
    }
    case ValueErrorType.Union:
      return explainUnion(schema, error.value, path);
    case ValueErrorType.Literal:
      return [{ path, message: `expected ${showValue(schema.const)}, ${got}` }];
    default:
      return [{ path, message: `expected ${expectation(schema)}, ${got}` }];
  }
}

/**
 * A union failed. A union of literals is an enum: list the choices. Otherwise pick the variants that
 * could have been meant (same JSON type, same literal discriminators such as `mode`); when exactly one
 * fits, report its own, more precise, issues.
 */
function explainUnion(schema: TSchema, value: unknown, path: string): SpecIssue[] {
  const variants: TSchema[] = schema.anyOf ?? [];
  if (variants.every((v) => v.const !== undefined)) {
    const choices = variants.map((v) => showValue(v.const)).join(', ');
    const near = typeof value === 'string' ? closest(value, variants.map((v) => String(v.const))) : undefined;
    const hint = near ? ` (did you mean "${near}"?)` : '';
    return [{ path, message: `expected one of ${choices}, got ${showValue(value)}${hint}` }];
  }
  let candidates = variants.filter((v) => jsonType(value) === schemaJsonType(v) && discriminatorsMatch(v, value));
  // Several objects fit (sweep ranges `{"uniform": …}` / `{"int": …}`): the one whose required keys are present.
  if (candidates.length > 1) candidates = candidates.filter((v) => hasRequiredKeys(v, value));
  if (candidates.length === 1) return schemaIssues(candidates[0], value, path);
  return [{ path, message: `expected ${variants.map(expectation).join(' or ')}, got ${showValue(value)}` }];
}

function discriminatorsMatch(variant: TSchema, value: unknown): boolean {
  if (variant.type !== 'object' || typeof value !== 'object' || value === null) return true;
  const record = value as Record<string, unknown>;
  return Object.entries(variant.properties ?? {}).every(
    ([key, property]) => (property as TSchema).const === undefined || !(key in record) || record[key] === (property as TSchema).const,
  );
}

function hasRequiredKeys(variant: TSchema, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return ((variant.required ?? []) as string[]).every((key) => key in value);
}

/** What a schema accepts, in words: `an integer ≥ 1`, `a non-empty string`, `an object`. */
export function expectation(schema: TSchema): string {
  if (schema.const !== undefined) return showValue(schema.const);
  if (schema.anyOf) return (schema.anyOf as TSchema[]).map(expectation).join(' or ');
  const bounds: string[] = [];
  if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) bounds.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) bounds.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) bounds.push(`< ${schema.exclusiveMaximum}`);
  const range = bounds.length ? ` ${bounds.join(' and ')}` : '';
  switch (schema[Kind]) {
    case 'Integer':
      return `an integer${range}`;
    case 'Number':
      return `a number${range}`;
    case 'String':
      if (schema.pattern) {
        const examples = Array.isArray(schema.examples) ? ` such as ${(schema.examples as unknown[]).slice(0, 3).map((example) => showValue(example)).join(', ')}` : '';
        return `a string matching /${schema.pattern}/${examples}`;
      }
      return schema.minLength ? 'a non-empty string' : 'a string';
    case 'Boolean':
      return 'true or false';
    case 'Null':
      return 'null';
    case 'Tuple':
      return `an array of ${schema.minItems} values, each ${expectation(schema.items[0])}`;
    case 'Unknown':
      return 'value';
    case 'Array':
      return schema.minItems ? `an array of at least ${schema.minItems} ${expectation(schema.items)} item(s)` : 'an array';
    case 'Object': {
      const keys = Object.keys(schema.properties ?? {});
      const mode = (schema.properties?.mode as TSchema | undefined)?.const;
      return mode !== undefined ? `an object with "mode": ${showValue(mode)}` : `an object with keys ${keys.map((k) => `"${k}"`).join(', ')}`;
    }
    default:
      return String(schema[Kind] ?? 'a valid value').toLowerCase();
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' ? 'number' : typeof value;
}

function schemaJsonType(schema: TSchema): string {
  if (schema.const !== undefined) return jsonType(schema.const);
  return schema.type === 'integer' ? 'number' : String(schema.type);
}

function lastSegment(path: string): string {
  const segment = path.slice(path.lastIndexOf('/') + 1);
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The choice within edit distance 2 of `word` (case-insensitive), if any: a typo hint. */
export function closest(word: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const choice of choices) {
    const d = editDistance(word.toLowerCase(), choice.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [choice, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
