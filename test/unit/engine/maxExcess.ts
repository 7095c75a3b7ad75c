/** The largest |actual − expected| as a multiple of its entry's allowance: ≤ 1 means every entry is within it. */
export function maxExcess(actual: ArrayLike<number>, expected: ArrayLike<number>, allowance: (i: number) => number): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / allowance(i));
  return worst;
}
