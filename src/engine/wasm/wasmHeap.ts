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
 * per-shape arenas and a staging area. Allocation is a bump pointer; nothing is freed before the
 * backend itself is dropped (models allocate once per parameter and once per larger batch shape).
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
  private stagingPointer = 0;
  private stagingBytes = 0;

  constructor() {
    const api = webAssemblyApi();
    if (!api) throw new Error('WebAssembly is not available');
    this.memory = new api.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    this.buffers.add(this.memory.buffer);
  }

  /** Bytes reserved so far (parameters, arenas, staging). */
  get usedBytes(): number {
    return this.top;
  }

  /** A zero-filled Float32Array of `length` floats inside the memory. */
  allocate(length: number): Float32Array {
    return this.view(this.reserveBytes(length * 4), length);
  }

  /** True when `x` is a Float32Array view of this memory. */
  owns(x: ArrayLike<number>): boolean {
    return x instanceof Float32Array && this.buffers.has(x.buffer);
  }

  /** A byte region of at least `bytes` for copying foreign operands in; reused between calls. */
  staging(bytes: number): number {
    if (bytes > this.stagingBytes) {
      this.stagingBytes = Math.max(bytes, 2 * this.stagingBytes);
      this.stagingPointer = this.reserveBytes(this.stagingBytes);
    }
    return this.stagingPointer;
  }

  /** A Float32Array over `length` floats at byte `pointer` (already reserved). */
  view(pointer: number, length: number): Float32Array {
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Float32Array(buffer, pointer, length);
  }

  private remember(buffer: ArrayBufferLike): void {
    this.buffers.add(buffer);
  }

  private reserveBytes(bytes: number): number {
    const pointer = this.top;
    const end = pointer + Math.ceil(bytes / ALIGN) * ALIGN;
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
