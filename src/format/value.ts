/**
 * A number as people read it in previews (the evaluation report, Predict on Selection, the training
 * dashboard): `digits` significant digits without float noise, integers exactly (counts stay counts),
 * an exponent only far from 1 (below 1e-4, from 1e6 on), and NaN or ±Infinity as themselves.
 */
export function formatValue(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  const rounded = Number(v.toPrecision(digits));
  return Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4 ? rounded.toExponential() : String(rounded);
}
