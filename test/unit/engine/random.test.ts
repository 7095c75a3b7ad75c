import { strict as assert } from 'node:assert';
import { Rng } from '../../../src/engine/random';

function draws(rng: Rng, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(i % 3 === 0 ? rng.normal() : rng.next());
  return out;
}

describe('Rng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    assert.deepEqual(draws(new Rng(42), 100), draws(new Rng(42), 100));
    assert.notDeepEqual(draws(new Rng(42), 100), draws(new Rng(43), 100));
  });

  it('next() stays in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12', () => {
    const rng = new Rng(1);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      assert.ok(x >= 0 && x < 1);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / n;
    assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
    assert.ok(Math.abs(sumSq / n - mean * mean - 1 / 12) < 0.002);
  });

  it('normal() has mean ≈ 0, variance ≈ 1 and Gaussian tails', () => {
    const rng = new Rng(7);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let beyondTwo = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) > 2) beyondTwo++;
    }
    assert.ok(Math.abs(sum / n) < 0.02, `mean ${sum / n}`);
    assert.ok(Math.abs(sumSq / n - 1) < 0.02, `variance ${sumSq / n}`);
    // P(|Z| > 2) = 0.0455
    assert.ok(Math.abs(beyondTwo / n - 0.0455) < 0.004, `tail ${beyondTwo / n}`);
  });

  it('int(n) covers [0, n) evenly', () => {
    const rng = new Rng(3);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `counts ${counts}`);
    assert.throws(() => rng.int(0), RangeError);
    assert.throws(() => rng.int(2.5), RangeError);
  });

  it('shuffle permutes arrays and Int32Arrays in place, reproducibly', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const b = Int32Array.from(a);
    new Rng(9).shuffle(a);
    new Rng(9).shuffle(b);
    assert.deepEqual(Array.from(b), a);
    assert.notDeepEqual(a, Array.from({ length: 50 }, (_, i) => i));
    assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  });

  it('shuffle makes every permutation of 3 about equally likely', () => {
    const rng = new Rng(11);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const a = [0, 1, 2];
      rng.shuffle(a);
      counts.set(a.join(''), (counts.get(a.join('')) ?? 0) + 1);
    }
    assert.equal(counts.size, 6);
    for (const c of counts.values()) assert.ok(Math.abs(c - 10_000) < 500);
  });

  it('getState/setState restore the exact stream, including a cached Box–Muller spare, through JSON', () => {
    const rng = new Rng(123);
    draws(rng, 10);
    rng.normal(); // leaves a spare normal cached
    const saved = JSON.parse(JSON.stringify(rng.getState())) as number[];
    const expected = draws(rng, 50);
    const restored = new Rng(0);
    restored.setState(saved);
    assert.deepEqual(draws(restored, 50), expected);
  });

  it('setState rejects malformed states', () => {
    const rng = new Rng(1);
    assert.throws(() => rng.setState([1, 2, 3]), TypeError);
    assert.throws(() => rng.setState([1, 2, 3, 4, 0, Number.NaN]), TypeError);
  });
});
