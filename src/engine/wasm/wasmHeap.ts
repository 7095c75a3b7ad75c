import { webAssemblyApi, type WasmMemory } from './webAssemblyApi';

const PAGE_BYTES = 65536;
/** 1 MiB to start; pages are committed as they are touched. */
const INITIAL_PAGES = 16;
/** 4 GiB, the wasm32 limit: a shared memory reserves its address space up to here once. */
const MAXIMUM_PAGES = 65536;
/** Allocations start at 16-byte boundaries (whole f32x4 lanes); the first 64 bytes stay unused. */
const ALIGN = 16;
const BASE = 64;

/**
 * One WebAssembly memory holding every float32 tensor of a backend: parameters, gradients, the
 * per-shape arenas and a staging area. Allocation takes the first released block that fits, else
 * bumps the top; `release` gives a block back (merged with free neighbours, and the top lowered
 * when it ends there), so a model that re-plans its arena for a larger batch reuses the old one's
 * memory instead of leaking it. Parameters live as long as the backend.
 *
 * Growth: the memory is *shared* (a SharedArrayBuffer), so `grow` never detaches the buffers of
 * views handed out earlier: an old view keeps addressing the same bytes, and only views made after
 * the growth see the new end. That lets the heap start small and grow on demand up to 4 GiB,
 * without any view dying. Every buffer object the memory has had is remembered, so that `owns`
 * recognises views made before and after a growth.
 */
export class WasmHeap {
  readonly memory: WasmMemory;
  private top = BASE;
  private readonly buffers = new Set<ArrayBufferLike>();
  /** Blocks handed out: byte pointer → bytes (aligned). */
  private readonly live = new Map<number, number>();
  /** Released blocks below `top`, sorted by pointer, none adjacent to another. */
  private readonly free: { pointer: number; bytes: number }[] = [];
  private staged: Float32Array | null = null;

  constructor() {
    const api = webAssemblyApi();
    if (!api) throw new Error('WebAssembly is not available');
    this.memory = new api.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    this.buffers.add(this.memory.buffer);
  }

  /** A zero-filled Float32Array of `length` floats inside the memory. */
  allocate(length: number): Float32Array {
    const bytes = Math.max(ALIGN, Math.ceil((length * 4) / ALIGN) * ALIGN);
    const pointer = this.takeFree(bytes) ?? this.reserveBytes(bytes);
    this.live.set(pointer, bytes);
    const view = this.view(pointer, length);
    view.fill(0); // reused blocks, and memory below a lowered top, hold old values
    return view;
  }

  /**
   * Gives back an array `allocate` returned; its memory is reused by later allocations. Arrays
   * not of this memory are ignored; a view of it that `allocate` did not return (a subarray, or
   * one released before) is an error.
   */
  release(x: ArrayLike<number>): void {
    if (!this.owns(x)) return;
    const view = x as Float32Array;
    const bytes = this.live.get(view.byteOffset);
    if (bytes === undefined || bytes < view.byteLength) throw new Error(`release of a view the wasm heap did not hand out (byte ${view.byteOffset}, ${view.length} floats)`);
    this.live.delete(view.byteOffset);
    this.addFree(view.byteOffset, bytes);
  }

  /** True when `x` is a Float32Array view of this memory. */
  owns(x: ArrayLike<number>): boolean {
    return x instanceof Float32Array && this.buffers.has(x.buffer);
  }

  /** A byte region of at least `bytes` for copying foreign operands in; reused between calls, replaced (the old one released) when too small. */
  staging(bytes: number): number {
    const staged = this.staged;
    if (!staged || bytes > staged.byteLength) {
      if (staged) this.release(staged);
      this.staged = this.allocate(Math.max(bytes, 2 * (staged?.byteLength ?? 0)) / 4);
    }
    return this.staged!.byteOffset;
  }

  /** A Float32Array over `length` floats at byte `pointer` (already reserved). */
  view(pointer: number, length: number): Float32Array {
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Float32Array(buffer, pointer, length);
  }

  /** The first released block of at least `bytes`, split when larger; null when none fits. */
  private takeFree(bytes: number): number | null {
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i];
      if (block.bytes < bytes) continue;
      const pointer = block.pointer;
      if (block.bytes === bytes) this.free.splice(i, 1);
      else {
        block.pointer += bytes;
        block.bytes -= bytes;
      }
      return pointer;
    }
    return null;
  }

  /** Inserts [pointer, pointer + bytes) into the free list, merged with its neighbours; a block ending at the top lowers it instead. */
  private addFree(pointer: number, bytes: number): void {
    let i = 0;
    while (i < this.free.length && this.free[i].pointer < pointer) i++;
    const before = this.free[i - 1];
    const after = this.free[i];
    let block = { pointer, bytes };
    if (before && before.pointer + before.bytes === pointer) {
      before.bytes += bytes;
      block = before;
      i--;
    } else {
      this.free.splice(i, 0, block);
    }
    if (after && block.pointer + block.bytes === after.pointer) {
      block.bytes += after.bytes;
      this.free.splice(i + 1, 1);
    }
    if (block.pointer + block.bytes === this.top) {
      this.top = block.pointer;
      this.free.splice(i, 1);
    }
  }

  private reserveBytes(bytes: number): number {
    const pointer = this.top;
    const end = pointer + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE_BYTES);
      if (have / PAGE_BYTES + pages > MAXIMUM_PAGES) {
        throw new RangeError(`the wasm backend's memory would exceed 4 GiB (${Math.round(end / 2 ** 20)} MiB requested); use the ts backend for this model`);
      }
      // Grow by at least a quarter of the current size, so that many small requests grow rarely.
      this.memory.grow(Math.min(MAXIMUM_PAGES - have / PAGE_BYTES, Math.max(pages, Math.ceil(have / PAGE_BYTES / 4))));
    }
    this.top = end;
    return pointer;
  }
}
