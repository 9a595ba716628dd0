// The periodic resync: on a cron schedule (node-cron), enqueue every object the caches hold.
// Reconciliation is level-triggered, so a watch event that was missed, a wake-up lost to a
// restart, or a write that failed is repaired on the next pass. The pass reads only the caches:
// its cost is CPU for the reconciles, not LIST requests. See docs/operations.md for the default.
import cron from 'node-cron';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';

/** Every 30 seconds (node-cron's optional seconds field). */
export const DEFAULT_RESYNC_SCHEDULE = '*/30 * * * * *';

export interface ScheduledJob {
  stop(): void | Promise<void>;
}

/** Runs `task` on a cron schedule. node-cron in production; a fake in unit tests. */
export interface CronScheduler {
  schedule(expression: string, task: () => void, options: { name: string }): ScheduledJob;
}

/** Throws an error naming each bad field if `expression` is not a valid node-cron expression. */
export function validateResyncSchedule(expression: string): void {
  const result = cron.validateDetailed(expression);
  if (!result.valid) {
    const problems = result.errors.map((e) => `${e.field}${e.value !== undefined ? ` "${e.value}"` : ''}: ${e.message}`).join('; ');
    throw new Error(`invalid --resync cron expression "${expression}": ${problems || 'not a cron expression'} (example: "${DEFAULT_RESYNC_SCHEDULE}" = every 30 seconds)`);
  }
}

export function nodeCronScheduler(logger: Logger = silentLogger): CronScheduler {
  return {
    schedule(expression, task, options) {
      const job = cron.schedule(expression, task, {
        name: options.name,
        // UTC: a sub-hourly schedule must not pause across a daylight-saving change.
        timezone: 'UTC',
        noOverlap: true,
        logger: {
          info: (message) => logger.debug(message, { component: 'cron' }),
          warn: (message) => logger.warn(message, { component: 'cron' }),
          error: (message, err) => logger.error(String(message), { component: 'cron', error: err }),
          debug: (message) => logger.debug(String(message), { component: 'cron' }),
        },
      });
      return { stop: () => job.destroy() };
    },
  };
}

/** Something whose keys the resync enqueues: an ObjectCache fits. */
export interface ResyncSource {
  keys(): Iterable<string>;
  hasSynced?(): boolean;
}

/** Where the keys go: a WorkQueue fits. */
export interface ResyncTarget {
  add(key: string, options?: { respectBackoff?: boolean }): void;
}

export interface PeriodicResyncOptions {
  /** --resync cron expression; default every 30 s. */
  schedule?: string;
  sources: ResyncSource[];
  queue: ResyncTarget;
  /** Job name in node-cron's registry and in logs. */
  name?: string;
  scheduler?: CronScheduler;
  logger?: Logger;
  /** Called after each pass with the number of keys enqueued. */
  onResync?: (enqueued: number) => void;
}

export interface PeriodicResync {
  /** Enqueues every key now (what each tick does); returns how many were enqueued. */
  resyncNow(): number;
  stop(): Promise<void>;
}

export function startPeriodicResync(options: PeriodicResyncOptions): PeriodicResync {
  const schedule = options.schedule ?? DEFAULT_RESYNC_SCHEDULE;
  validateResyncSchedule(schedule);
  const log = (options.logger ?? silentLogger).child({ component: 'resync', resync: options.name ?? 'resync' });
  const scheduler = options.scheduler ?? nodeCronScheduler(log);

  const resyncNow = (): number => {
    let enqueued = 0;
    for (const source of options.sources) {
      if (source.hasSynced && !source.hasSynced()) {
        log.debug('cache not synced yet; skipping it this pass');
        continue;
      }
      for (const key of source.keys()) {
        options.queue.add(key, { respectBackoff: true });
        enqueued++;
      }
    }
    log.debug('resync pass', { enqueued });
    options.onResync?.(enqueued);
    return enqueued;
  };

  const job = scheduler.schedule(
    schedule,
    () => {
      try {
        resyncNow();
      } catch (error) {
        log.error('resync pass failed', { error });
      }
    },
    { name: options.name ?? 'resync' },
  );
  log.info('periodic resync started', { schedule });
  let stopped = false;
  return {
    resyncNow,
    async stop() {
      if (stopped) return;
      stopped = true;
      await job.stop();
    },
  };
}
