/**
 * The pieces of a data-parallel step (src/engine/parallel/batchShards.ts): shard rows copied out and
 * scattered back (typed arrays by memory copy, other arrays element by element) give the batch back;
 * the gradient reduction is Σ_k s_k·g_k for 1, 2 and 3 shards.
 */
import assert from 'node:assert/strict';
import { copyShardRows, reduceGradientsInto, scatterShardRows, shardRanges } from '../../../src/engine/parallel/batchShards';
import { Rng } from '../../../src/engine/random';

describe('batch shards', () => {
  it('copyShardRows then scatterShardRows of every shard rebuilds an outer × B × inner tensor (typed and plain arrays)', () => {
    const [outer, B, inner] = [3, 7, 5];
    const source = Float32Array.from({ length: outer * B * inner }, (_, i) => i + 0.5);
    for (const shards of [1, 2, 3]) {
      for (const kind of ['typed', 'plain']) {
        const back: { [i: number]: number } = kind === 'typed' ? new Float32Array(source.length) : new Array<number>(source.length).fill(-1);
        for (const [b0, b1] of shardRanges(B, shards)) {
          const block: { [i: number]: number } = kind === 'typed' ? new Float32Array(2 + outer * (b1 - b0) * inner) : [];
          copyShardRows(source, block, 2, outer, B, inner, b0, b1);
          // the block is compact: its first row is sequence b0 at step 0
          for (let i = 0; i < inner; i++) assert.equal(block[2 + i], source[b0 * inner + i]);
          scatterShardRows(kind === 'typed' ? (block as Float32Array) : Array.from({ length: 2 + outer * (b1 - b0) * inner }, (_, i) => block[i]), 2, back, outer, B, inner, b0, b1);
        }
        assert.deepEqual(Array.from({ length: source.length }, (_, i) => back[i]), Array.from(source), `${shards} shards, ${kind}`);
      }
    }
  });

  it('reduceGradientsInto gives Σ_k s_k·g_k for 1, 2 and 3 shards', () => {
    const rng = new Rng(4);
    const n = 37;
    for (const shards of [1, 2, 3]) {
      const g = Array.from({ length: shards }, () => Float32Array.from({ length: n + 3 }, () => rng.normal()));
      const scales = Array.from({ length: shards }, () => rng.next());
      const into = Float32Array.from(g[0].subarray(0, n));
      reduceGradientsInto(into, n, scales, g.slice(1), 3);
      for (let i = 0; i < n; i++) {
        let want = scales[0] * g[0][i];
        for (let k = 1; k < shards; k++) want += scales[k] * g[k][3 + i];
        assert.ok(Math.abs(into[i] - want) <= 1e-6 * (1 + Math.abs(want)), `${shards} shards, entry ${i}: ${into[i]} vs ${want}`);
      }
    }
  });
});
