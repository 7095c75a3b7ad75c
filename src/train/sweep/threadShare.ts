/**
 * How many threads each of `concurrent` trainings may use out of `totalThreads`: an even share, at
 * least one. Seam: helper "threads" adds `training.threads` and the function dividing threads among
 * concurrent trainings; once it lands, this delegates to it (the sweep calls only this).
 */
export function threadsPerTrial(totalThreads: number, concurrent: number): number {
  return Math.max(1, Math.floor(totalThreads / Math.max(1, concurrent)));
}
