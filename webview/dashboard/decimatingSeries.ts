/**
 * A bounded (x, y) series for long runs. Points arrive one by one; the series keeps at most
 * `capacity` points by averaging: each stored point is the mean of `stride` consecutive inputs, and
 * when the buffer fills, neighbouring pairs are merged and the stride doubles. Memory stays O(capacity)
 * however long training runs, and the curve keeps its shape (a box filter, not a subsample).
 */
export class DecimatingSeries {
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  private stride = 1;
  private pendingX = 0;
  private pendingY = 0;
  private pendingCount = 0;

  constructor(private readonly capacity = 1000) {
    if (capacity < 2 || capacity % 2 !== 0) throw new RangeError(`capacity must be an even number ≥ 2, got ${capacity}`);
  }

  get length(): number {
    return this.xs.length + (this.pendingCount > 0 ? 1 : 0);
  }

  push(x: number, y: number): void {
    if (!Number.isFinite(y)) return;
    this.pendingX += x;
    this.pendingY += y;
    this.pendingCount++;
    if (this.pendingCount < this.stride) return;
    this.xs.push(this.pendingX / this.pendingCount);
    this.ys.push(this.pendingY / this.pendingCount);
    this.pendingX = this.pendingY = this.pendingCount = 0;
    if (this.xs.length >= this.capacity) this.halve();
  }

  /** The stored points plus the partial bucket, as plain arrays (for the chart). */
  snapshot(): { xs: number[]; ys: number[] } {
    if (this.pendingCount === 0) return { xs: this.xs.slice(), ys: this.ys.slice() };
    return { xs: [...this.xs, this.pendingX / this.pendingCount], ys: [...this.ys, this.pendingY / this.pendingCount] };
  }

  private halve(): void {
    const n = this.xs.length >> 1;
    for (let i = 0; i < n; i++) {
      this.xs[i] = (this.xs[2 * i] + this.xs[2 * i + 1]) / 2;
      this.ys[i] = (this.ys[2 * i] + this.ys[2 * i + 1]) / 2;
    }
    this.xs.length = n;
    this.ys.length = n;
    this.stride *= 2;
  }
}
