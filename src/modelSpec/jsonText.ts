/**
 * JSON text with positions: a strict parse (no comments, no trailing commas, no duplicate keys)
 * through `jsonc-parser`, and the line/column of any JSON Pointer in it.
 */
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export interface JsonProblem {
  offset: number;
  message: string;
}

export interface ParsedJson {
  value: unknown;
  root: Node | undefined;
  problems: JsonProblem[];
}

/** Parses strict JSON, collecting syntax errors and duplicate keys with their offsets. */
export function parseJsonWithPositions(text: string): ParsedJson {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const problems: JsonProblem[] = errors.map((e) => ({ offset: e.offset, message: `invalid JSON: ${describeParseError(printParseErrorCode(e.error))}` }));
  if (root) collectDuplicateKeys(root, problems);
  return { value: root && !problems.length ? getNodeValue(root) : undefined, root, problems };
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function collectDuplicateKeys(node: Node, problems: JsonProblem[]): void {
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (!key) continue;
      if (seen.has(key.value)) problems.push({ offset: key.offset, message: `duplicate key "${key.value}"` });
      seen.add(key.value);
    }
  }
  for (const child of node.children ?? []) collectDuplicateKeys(child, problems);
}

/**
 * Offset of the value at a JSON Pointer; for a key that is absent, its nearest present ancestor;
 * for an unknown key (`keyOnly`), the key itself.
 */
export function offsetOfPointer(root: Node, pointer: string, keyOnly = false): number {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let n = segments.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, segments.slice(0, n));
    if (!node) continue;
    if (keyOnly && n === segments.length && node.parent?.type === 'property') return node.parent.offset;
    return node.offset;
  }
  return root.offset;
}
