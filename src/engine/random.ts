/**
 * Seeded pseudo-random numbers: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
 * state, passes PractRand) seeded through splitmix32, so that nearby seeds give unrelated streams.
 *
 * The whole stream is determined by the seed, and `getState()`/`setState()` capture it exactly,
 * including the spare value that Box–Muller produces in pairs, so a checkpoint resumes the same
 * sequence of draws.
 */

const TWO_POW_32 = 4294967296;

/** Layout of `getState()`: `[a, b, c, d, hasSpareNormal (0|1), spareNormal]`. */
const STATE_LENGTH = 6;

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private hasSpareNormal = false;
  private spareNormal = 0;

  /** Any finite number works as a seed; it is reduced to 32 bits (`seed >>> 0`). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng seed must be a finite number, got ${seed}`);
    let s = seed >>> 0;
    const splitmix32 = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    // Discard the first outputs, as sfc32's author recommends, to mix the seed through the state.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** One sfc32 step: a uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), with 32 random bits. */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /**
   * Standard normal N(0, 1) by Box–Muller: from u1 ∈ (0, 1], u2 ∈ [0, 1),
   * r = √(−2 ln u1), z0 = r cos 2πu2, z1 = r sin 2πu2. z1 is kept for the next call.
   */
  normal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    const u1 = 1 - this.next();
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spareNormal = r * Math.sin(theta);
    this.hasSpareNormal = true;
    return r * Math.cos(theta);
  }

  /** Uniform integer in [0, n), unbiased (rejection of the incomplete top range). `n` in 1..2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`Rng.int needs an integer n in 1..2^32, got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Fisher–Yates shuffle in place: every permutation equally likely. */
  shuffle<T>(a: T[] | Int32Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
  }

  /** The exact generator state as plain numbers (JSON-serialisable). */
  getState(): number[] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0, this.hasSpareNormal ? 1 : 0, this.spareNormal];
  }

  /** Restores a state from `getState()`; the following draws repeat the original stream. */
  setState(s: number[]): void {
    if (!Array.isArray(s) || s.length !== STATE_LENGTH || !s.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new TypeError(`Rng state must be an array of ${STATE_LENGTH} finite numbers`);
    }
    this.a = s[0] | 0;
    this.b = s[1] | 0;
    this.c = s[2] | 0;
    this.d = s[3] | 0;
    this.hasSpareNormal = s[4] === 1;
    this.spareNormal = s[5];
  }
}
