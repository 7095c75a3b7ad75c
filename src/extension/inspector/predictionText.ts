/**
 * `rnn-lab predict --json` lines (docs/contracts.md, "predict") as a person reads them, for Predict on
 * Selection's message: the class and its probability, a tag per token, the likeliest next tokens, the
 * predicted values, or the generated sequence. No `vscode` here, so it is tested in plain Node.
 */
import { formatValue } from '../../format/value';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';
const isStrs = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isNums = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);

/** How many alternatives a class or next-token answer lists. */
const ALTERNATIVES = 3;

const percent = (p: number): string => `${(100 * p).toFixed(1)} %`;
/** A token as typed: quoted, so spaces and newlines show. */
const quoted = (token: string): string => JSON.stringify(token);

function ranked(items: unknown, name: 'label' | 'token'): { name: string; probability: number }[] {
  if (!Array.isArray(items)) return [];
  return items.filter((i): i is Obj => isObj(i) && typeof i[name] === 'string' && isNum(i.probability))
    .map((i) => ({ name: i[name] as string, probability: i.probability as number }));
}

/** One line of `predict --json` in words; a line of an unknown kind is shown as its JSON. */
export function describePrediction(line: Record<string, unknown>): string {
  switch (line.kind) {
    case 'class': {
      if (typeof line.label !== 'string' || !isNum(line.probability)) break;
      const others = ranked(line.classes, 'label').filter((c) => c.name !== line.label).slice(0, ALTERNATIVES - 1);
      const rest = others.length ? ` (then ${others.map((c) => `${c.name} ${percent(c.probability)}`).join(', ')})` : '';
      return `${line.label} with probability ${percent(line.probability)}${rest}`;
    }
    case 'labels': {
      if (!isStrs(line.labels)) break;
      const labels = line.labels;
      const tokens = isStrs(line.tokens) && line.tokens.length === labels.length ? line.tokens : undefined;
      return tokens ? tokens.map((token, i) => `${token}/${labels[i]}`).join(' ') : labels.join(' ');
    }
    case 'next': {
      const top = ranked(line.top, 'token').slice(0, ALTERNATIVES);
      if (top.length === 0) break;
      return `next token ${top.map((t) => `${quoted(t.name)} ${percent(t.probability)}`).join(', ')}`;
    }
    case 'values': {
      const values = line.values;
      if (!isNums(values) || !isNum(line.steps) || line.steps < 1) break;
      const width = Math.max(1, Math.round(values.length / line.steps));
      const rows = Array.from({ length: Math.ceil(values.length / width) }, (_, t) => values.slice(t * width, (t + 1) * width));
      const text = rows.map((row) => (row.length === 1 ? formatValue(row[0]) : `(${row.map((v) => formatValue(v)).join(', ')})`)).join(', ');
      return rows.length === 1 ? `predicted value ${text}` : `predicted values ${text}`;
    }
    case 'sequence': {
      if (typeof line.text !== 'string') break;
      return `${quoted(line.text)}${line.ended === false ? ' (no end token within the length limit)' : ''}`;
    }
  }
  return JSON.stringify(line);
}
