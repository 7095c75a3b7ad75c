/**
 * Training on 2 threads allocates nothing per step: from step 100 to step 1,000 the main thread's
 * heap grows ≤ 256 KB after gc() and the process's RSS (every thread's heap and wasm memory) ≤ 5 MB.
 * Measured in a child process (memoryProbe.ts) that owns --expose-gc.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { WASM_BACKENDS } from '../../engine/backends';

const HEAP_LIMIT_KB = 256;
const RSS_LIMIT_KB = 5 * 1024;

describe('training on 2 threads does not grow memory', function () {
  this.timeout(300_000);

  for (const { name: backend } of WASM_BACKENDS) {
    it(`[${backend}] heap ≤ ${HEAP_LIMIT_KB} KB and RSS ≤ 5 MB growth from step 100 to 1,000`, () => {
      const probe = path.join(__dirname, 'memoryProbe.ts');
      const out = execFileSync(process.execPath, ['--expose-gc', '-r', 'tsx/cjs', probe, backend], { encoding: 'utf8' });
      const { shards, heapKB, rssKB } = JSON.parse(out.trim().split('\n').at(-1)!);
      assert.equal(shards, 2, 'the probe\'s batches split over 2 threads');
      assert.ok(heapKB <= HEAP_LIMIT_KB, `heap grew ${heapKB.toFixed(1)} KB`);
      assert.ok(rssKB <= RSS_LIMIT_KB, `RSS grew ${rssKB.toFixed(0)} KB`);
      console.log(`      heap ${heapKB.toFixed(1)} KB, RSS ${rssKB.toFixed(0)} KB`);
    });
  }
});
