/**
 * A JSON-like value written as a Python literal (dict, list, str, int/float, True/False/None),
 * indented like `json.dumps(value, indent=4)` so that a generated CONFIG reads well.
 */
export function pythonLiteral(value: unknown, depth = 0): string {
  const pad = (d: number) => '    '.repeat(d);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a Python literal`);
    return String(value);
  }
  // A JSON string literal is a valid Python str literal (same escapes: \" \\ \n \uXXXX).
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => pythonLiteral(v)).join(', ')}]`;
    return `[\n${value.map((v) => pad(depth + 1) + pythonLiteral(v, depth + 1)).join(',\n')},\n${pad(depth)}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => `${pad(depth + 1)}${JSON.stringify(k)}: ${pythonLiteral(v, depth + 1)}`);
    return `{\n${lines.join(',\n')},\n${pad(depth)}}`;
  }
  throw new Error(`cannot write a ${typeof value} as a Python literal`);
}
