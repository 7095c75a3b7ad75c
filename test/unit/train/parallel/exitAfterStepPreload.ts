/**
 * Preloaded (-r) into the probe of threadDeath.test.ts (or the CLI) and, through the inherited
 * execArgv, into its shard worker: there, the worker calls process.exit(7) when it goes back to
 * sleep after its n-th notify, i.e. between steps. A shard worker notifies once when its replica is
 * ready, then once per step done: n = 2 (the default; RNN_LAB_TEST_EXIT_AFTER_NOTIFIES) ends it
 * after its first step.
 */
import { isMainThread } from 'node:worker_threads';

if (!isMainThread) {
  const { wait, notify } = Atomics;
  const exitAfter = Number(process.env.RNN_LAB_TEST_EXIT_AFTER_NOTIFIES ?? 2);
  let notified = 0;
  Atomics.notify = ((...args: Parameters<typeof notify>) => {
    notified++;
    return notify(...args);
  }) as typeof notify;
  Atomics.wait = ((...args: Parameters<typeof wait>) => {
    if (notified >= exitAfter) process.exit(7);
    return wait(...args);
  }) as typeof wait;
}
