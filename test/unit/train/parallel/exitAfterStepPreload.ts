/**
 * Preloaded (-r) into the probe of threadDeath.test.ts and, through the inherited execArgv, into
 * its shard worker: there, the worker calls process.exit(7) when it goes back to sleep after its
 * first step, i.e. between steps. A shard worker notifies twice before that moment: once when its
 * replica is ready, once when its first step is done.
 */
import { isMainThread } from 'node:worker_threads';

if (!isMainThread) {
  const { wait, notify } = Atomics;
  let notified = 0;
  Atomics.notify = ((...args: Parameters<typeof notify>) => {
    notified++;
    return notify(...args);
  }) as typeof notify;
  Atomics.wait = ((...args: Parameters<typeof wait>) => {
    if (notified >= 2) process.exit(7);
    return wait(...args);
  }) as typeof wait;
}
