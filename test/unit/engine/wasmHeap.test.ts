/**
 * The wasm heap's allocator: released blocks are reused, merged with free neighbours and given
 * back to the top; a reused block comes back zero-filled; live blocks never overlap.
 */
import assert from 'node:assert/strict';
import { Rng } from '../../../src/engine/random';
import { WasmHeap } from '../../../src/engine/wasm/wasmHeap';
import { webAssemblyApi } from '../../../src/engine/wasm/webAssemblyApi';

(webAssemblyApi() ? describe : describe.skip)('WasmHeap', () => {
  it('reuses a released block, zero-filled, and lowers the top when the last block goes', () => {
    const heap = new WasmHeap();
    const a = heap.allocate(100);
    const b = heap.allocate(50);
    a.fill(7);
    b.fill(8);
    heap.release(a);
    const c = heap.allocate(60); // fits where a was
    assert.equal(c.byteOffset, a.byteOffset);
    assert.ok(c.every((v) => v === 0));
    assert.ok(b.every((v) => v === 8));
    heap.release(b);
    heap.release(c); // merges with the rest of a's block and b's: the heap is empty again
    assert.equal(heap.allocate(150).byteOffset, a.byteOffset);
  });

  it('ignores arrays of other memories and refuses views it did not hand out', () => {
    const heap = new WasmHeap();
    heap.release(new Float32Array(4));
    heap.release(new Float64Array(4));
    const a = heap.allocate(16);
    assert.throws(() => heap.release(a.subarray(4)), /did not hand out/);
    heap.release(a);
    assert.throws(() => heap.release(a), /did not hand out/);
  });

  it('random allocations and releases: live blocks keep their values and the memory stays bounded', () => {
    const heap = new WasmHeap();
    const rng = new Rng(12);
    const live: { view: Float32Array; mark: number }[] = [];
    let liveFloats = 0;
    let peakLive = 0;
    for (let step = 0; step < 3000; step++) {
      if (live.length > 0 && rng.next() < 0.45) {
        const [{ view }] = live.splice(rng.int(live.length), 1);
        liveFloats -= view.length;
        heap.release(view);
      } else {
        const view = heap.allocate(1 + rng.int(5000));
        assert.ok(view.every((v) => v === 0), 'a new block is zero-filled');
        const mark = step + 1;
        view.fill(mark);
        live.push({ view, mark });
        liveFloats += view.length;
        peakLive = Math.max(peakLive, liveFloats);
      }
    }
    for (const { view, mark } of live) assert.ok(view.every((v) => v === mark), 'a live block was overwritten');
    assert.ok(heap.memory.buffer.byteLength <= 4 * 4 * peakLive + (1 << 20), `${heap.memory.buffer.byteLength} bytes for a peak of ${4 * peakLive} live`);
  });
});
