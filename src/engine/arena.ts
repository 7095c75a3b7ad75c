import type { Backend } from './kernels/backend';
import type { DType, FloatArray } from './types';

/**
 * One block of memory per model and batch shape. Components ask for their buffers in a planning
 * pass (`measure`), the arena allocates a single buffer of the total size from the backend (on a
 * wasm backend, inside its memory), and the same requests are replayed to hand out views. Nothing
 * grows during training; a re-plan for a larger shape gives the old block back (`backend.release`).
 */
export class Arena {
  private offset = 0;
  private constructor(private readonly storage: FloatArray | null) {}

  /**
   * Runs `plan` twice: once to count, once to hand out views of one allocation, which it returns
   * (for `backend.release` once the views are replaced by another plan's).
   */
  static build(backend: Backend, dtype: DType, plan: (arena: Arena) => void): FloatArray {
    const counter = new Arena(null);
    plan(counter);
    const storage = backend.allocate(counter.offset, dtype);
    plan(new Arena(storage));
    return storage;
  }

  /** A zero-filled view of n elements (an empty placeholder while measuring). */
  take(n: number): FloatArray {
    const start = this.offset;
    this.offset += n;
    if (!this.storage) return EMPTY;
    return this.storage.subarray(start, start + n);
  }
}

const EMPTY = new Float32Array(0);
