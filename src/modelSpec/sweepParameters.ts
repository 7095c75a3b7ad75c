/**
 * `sweep.parameters`: dotted spec keys (`"model.hiddenSize"`) mapped to a list of values or a range.
 * Each key must name a key of the spec schema (a typo gets a "did you mean"), each listed value and
 * each end of a range must be a valid value of that key, and a grid takes lists and `int` ranges only.
 * The trials' specs are the spec with the parameters written in (`applyParameters`, `applyParametersToText`).
 */
import { Kind, Type, type TSchema } from '@sinclair/typebox';
import { applyEdits, modify } from 'jsonc-parser';
import { ModelSpecSchema, type ModelSpec } from './schema';
import { closest, schemaIssues, type SpecIssue } from './schemaIssues';

export type SweepParameter = NonNullable<ModelSpec['sweep']>['parameters'][string];
export type SweepRange = Exclude<SweepParameter, unknown[]>;
export type RangeKind = 'uniform' | 'logUniform' | 'int';

/** Keys a sweep may not vary: they name the file's format or the sweep itself. */
const FIXED_KEYS = new Set(['$schema', 'version', 'sweep']);

/** `{"int": [1, 3]}` → `['int', 1, 3]`; a list → undefined. */
export function rangeOf(parameter: SweepParameter): [RangeKind, number, number] | undefined {
  if (Array.isArray(parameter)) return undefined;
  const kind = (['uniform', 'logUniform', 'int'] as const).find((k) => k in parameter)!;
  const [low, high] = (parameter as Record<RangeKind, [number, number]>)[kind];
  return [kind, low, high];
}

/** JSON Pointer of a parameter: `/sweep/parameters/model.hiddenSize`. */
export function parameterPointer(key: string): string {
  return `/sweep/parameters/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * The schema of the value at dotted `key`, or a message saying which segment is unknown. Unions are
 * searched through (`training.bptt.forwardSteps` lives in one of the two `bptt` objects).
 */
export function schemaAtKey(key: string): TSchema | string {
  const segments = key.split('.');
  if (FIXED_KEYS.has(segments[0])) return `"${segments[0]}" cannot be swept: expected a key of task, data, model or training`;
  let schema: TSchema = ModelSpecSchema;
  for (let i = 0; i < segments.length; i++) {
    const objects = variants(schema).filter((v) => v.type === 'object' && v.properties);
    const found = objects.map((o) => o.properties[segments[i]] as TSchema | undefined).filter((s): s is TSchema => s !== undefined);
    if (!found.length) {
      const prefix = segments.slice(0, i).join('.');
      const known = [...new Set(objects.flatMap((o) => Object.keys(o.properties)))].filter((k) => !FIXED_KEYS.has(k));
      if (!known.length) return `"${prefix}" has no keys to sweep: expected a key ending at "${prefix}"`;
      const near = closest(segments[i], known);
      const qualify = (k: string) => (prefix ? `${prefix}.${k}` : k);
      const hint = near ? `did you mean "${qualify(near)}"? ` : '';
      return `unknown key "${key}": the spec has no such key; ${hint}expected one of ${known.map((k) => `"${qualify(k)}"`).join(', ')}`;
    }
    schema = found.length === 1 ? found[0] : Type.Union(found.flatMap(variants));
  }
  return schema;
}

function variants(schema: TSchema): TSchema[] {
  return schema.anyOf ? (schema.anyOf as TSchema[]).flatMap(variants) : [schema];
}

/** Issues of `spec.sweep` beyond its own schema: unknown keys, invalid values, ranges grids cannot take. */
export function sweepIssues(spec: ModelSpec): SpecIssue[] {
  const sweep = spec.sweep;
  if (!sweep) return [];
  const issues: SpecIssue[] = [];
  for (const [key, parameter] of Object.entries(sweep.parameters)) {
    const path = parameterPointer(key);
    const schema = schemaAtKey(key);
    if (typeof schema === 'string') {
      issues.push({ path, message: schema });
      continue;
    }
    const range = rangeOf(parameter);
    if (!range) {
      (parameter as unknown[]).forEach((value, i) => issues.push(...schemaIssues(schema, value, `${path}/${i}`)));
      continue;
    }
    const [kind, low, high] = range;
    const rangePath = `${path}/${kind}`;
    [low, high].forEach((end, i) => issues.push(...schemaIssues(schema, end, `${rangePath}/${i}`)));
    if (low > high) issues.push({ path: rangePath, message: `expected low ≤ high, got [${low}, ${high}]` });
    const integerKey = variants(schema).some((v) => v[Kind] === 'Integer');
    if (kind !== 'int' && integerKey) {
      issues.push({ path: rangePath, message: `"${key}" takes integers: expected {"int": [${low}, ${high}]} or a list` });
    } else if (kind !== 'int' && (sweep.method ?? 'grid') === 'grid') {
      issues.push({ path: rangePath, message: `a grid tries lists: expected a list or an {"int": [low, high]} range here, or "method": "random" to draw from "${kind}"` });
    }
  }
  return issues;
}

/** A deep copy of `spec` with each dotted key set to its value (missing parents are created). */
export function applyParameters<T>(spec: T, parameters: Record<string, unknown>): T {
  const copy = structuredClone(spec) as Record<string, unknown>;
  for (const [key, value] of Object.entries(parameters)) {
    const segments = key.split('.');
    let node = copy;
    for (const segment of segments.slice(0, -1)) {
      const next = node[segment];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[segments[segments.length - 1]] = structuredClone(value);
  }
  return copy as T;
}

/**
 * The spec text with each dotted key set to its value, edited in place so that every other key keeps
 * its line and column (errors found while training point into the spec file as written).
 */
export function applyParametersToText(text: string, parameters: Record<string, unknown>): string {
  let result = text;
  for (const [key, value] of Object.entries(parameters)) {
    const edits = modify(result, key.split('.'), value, { formattingOptions: { insertSpaces: true, tabSize: 2 } });
    result = applyEdits(result, edits);
  }
  return result;
}
