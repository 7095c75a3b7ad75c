/** Longest rendering of a found value in a message; a longer one is cut, `...` marking the cut. */
const MAX_LENGTH = 60;

/**
 * A found value, short, for error messages (spec, data, predict inputs): its JSON (`"abc"`, `12`,
 * `[1,2,...`), `nothing` when there is none, and the plain text of what JSON cannot show.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 3)}...` : text;
}
