/**
 * How many threads each of `concurrent` trainings may use out of `totalThreads`: an even share, at
 * least one (src/train/parallel/threadCount.ts, whose `threadsFor` does the same with the machine's cores).
 */
import { shareOfThreads } from '../parallel/threadCount';

export function threadsPerTrial(totalThreads: number, concurrent: number): number {
  return shareOfThreads(totalThreads, concurrent);
}
