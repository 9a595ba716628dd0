// One complete reconcile pass over a set of keys, for CronJob mode (`ramp reconcile --once`):
// every key is handled, failures are reported rather than retried (the next run retries), and
// the returned summary says what happened and when each key next wants attention.
import { systemClock, type Clock } from '../kube/clock.ts';
import { describeError } from '../kube/errors.ts';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { WorkQueue, requeueTime, type ReconcileHandler } from './queue.ts';

export interface RunOnceOptions {
  keys: Iterable<string>;
  handler: ReconcileHandler;
  workers?: number;
  /**
   * Follow a key's requeue within the pass when it asks to be looked at again this soon (e.g.
   * "created the ReplicaSet; look again now"). Default 0: only immediate requeues are followed.
   */
  followRequeueWithinMs?: number;
  /** At most this many runs per key in one pass (default 5), so a key cannot loop forever. */
  maxRunsPerKey?: number;
  /** Aborting stops taking new keys and resolves once running handlers return. */
  signal?: AbortSignal;
  clock?: Clock;
  logger?: Logger;
}

export interface RunOnceSummary {
  /** Keys handled at least once. */
  processed: number;
  /** Handler runs in total (≥ processed when requeues were followed). */
  runs: number;
  /** Keys whose last run failed, with the error. */
  failed: Array<{ key: string; error: string }>;
  /** Keys that asked to be looked at again later than this pass, earliest first. */
  wakeUps: Array<{ key: string; at: Date }>;
  /** True when the pass was cut short by the signal. */
  aborted: boolean;
}

export async function runOnce(options: RunOnceOptions): Promise<RunOnceSummary> {
  const clock = options.clock ?? systemClock;
  const log = (options.logger ?? silentLogger).child({ component: 'run-once' });
  const horizon = Math.max(0, options.followRequeueWithinMs ?? 0);
  const maxRuns = Math.max(1, options.maxRunsPerKey ?? 5);
  const runs = new Map<string, number>();
  const lastError = new Map<string, unknown>();
  const wakeUps = new Map<string, number>();
  let total = 0;

  const queue = new WorkQueue({
    workers: options.workers ?? 10,
    retryOnError: false,
    clock,
    logger: log,
    handler: async (key, ctx) => {
      const n = (runs.get(key) ?? 0) + 1;
      runs.set(key, n);
      total++;
      wakeUps.delete(key);
      try {
        const result = (await options.handler(key, ctx)) ?? undefined;
        lastError.delete(key);
        const at = requeueTime(result, clock.now());
        if (at === undefined) return;
        if (at - clock.now() <= horizon && n < maxRuns) return { requeueAt: new Date(at) };
        wakeUps.set(key, at);
        return;
      } catch (error) {
        lastError.set(key, error);
        return;
      }
    },
  });

  const onAbort = (): void => {
    void queue.shutdown();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (!options.signal?.aborted) for (const key of options.keys) queue.add(key);
    await queue.idle(true);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await queue.shutdown();
  }

  const failed = [...lastError].map(([key, error]) => ({ key, error: describeError(error) }));
  const summary: RunOnceSummary = {
    processed: runs.size,
    runs: total,
    failed,
    wakeUps: [...wakeUps].sort((a, b) => a[1] - b[1]).map(([key, at]) => ({ key, at: new Date(at) })),
    aborted: options.signal?.aborted ?? false,
  };
  log.info('reconcile pass finished', { processed: summary.processed, runs: summary.runs, failed: failed.length });
  return summary;
}
