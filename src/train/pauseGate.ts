/** Pause and resume for a running training: the trainer awaits `wait()` between batches. */
export class PauseGate {
  private release: (() => void) | undefined;
  private gate: Promise<void> | undefined;

  get paused(): boolean {
    return this.gate !== undefined;
  }

  pause(): void {
    if (!this.gate) this.gate = new Promise((resolve) => (this.release = resolve));
  }

  resume(): void {
    const release = this.release;
    this.gate = this.release = undefined;
    release?.();
  }

  /** Resolves at once when running, else when `resume()` is called or `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    if (!this.gate || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      void this.gate?.then(done);
    });
  }
}
