/**
 * Runs jobs in arrival order with at most `limit()` of them at once. The limit is read each time a
 * slot frees, so a changed setting applies to the jobs still waiting. A job cancelled while it waits
 * still gets its turn and should return at once.
 */
export class TrainingQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: () => number) {}

  get runningCount(): number { return this.running; }
  get waitingCount(): number { return this.waiting.length; }

  /** Resolves with the job's result once a slot was free and the job finished. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= Math.max(1, this.limit())) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
