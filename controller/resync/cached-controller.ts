// The lifecycle of a controller that runs on watch caches (the AnalysisRun and Experiment
// controllers): start() starts its caches, waits for them, then runs a ControllerLoop over them;
// stop() drains the loop, then stops the caches. `reconcile --once` uses startCaches, keys,
// reconcile and stopCaches without the loop.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ObjectCache } from '../kube/cache.ts';
import type { Clock } from '../kube/clock.ts';
import type { Logger } from '../log/logger.ts';
import { ControllerLoop, type RelatedCache } from './loop.ts';
import type { CronScheduler } from './periodic.ts';
import type { HandlerContext, ReconcileResult } from './queue.ts';

export interface CachedController {
  /** The reconcile handler (for ControllerLoop or runOnce). */
  reconcile(key: string, ctx?: Partial<HandlerContext>): Promise<ReconcileResult | void>;
  /** Keys of every cached primary object. */
  keys(): string[];
  startCaches(signal?: AbortSignal): Promise<void>;
  stopCaches(): Promise<void>;
  /** Starts the caches and the controller loop. */
  start(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

/** The loop settings a controller's deps carry. */
export interface LoopSettings {
  workers?: number;
  resyncSchedule?: string;
  scheduler?: CronScheduler;
  /** Longest wait for running reconciles on stop(). */
  drainTimeoutMs?: number;
}

export interface CachedControllerParts {
  name: string;
  primary: ObjectCache<KubernetesObject>;
  related: RelatedCache[];
  reconcile: CachedController['reconcile'];
  startCaches: CachedController['startCaches'];
  stopCaches: CachedController['stopCaches'];
  settings: LoopSettings;
  /** Workers when `settings` names none. */
  defaultWorkers: number;
  clock: Clock;
  logger: Logger;
}

export function cachedController(parts: CachedControllerParts): CachedController {
  const { settings } = parts;
  let loop: ControllerLoop | undefined;
  return {
    reconcile: parts.reconcile,
    keys: () => parts.primary.keys(),
    startCaches: parts.startCaches,
    stopCaches: parts.stopCaches,
    async start(signal?: AbortSignal) {
      await parts.startCaches(signal);
      loop = new ControllerLoop({
        name: parts.name,
        primary: parts.primary,
        related: parts.related,
        handler: (key, ctx) => parts.reconcile(key, ctx),
        workers: settings.workers ?? parts.defaultWorkers,
        ...(settings.resyncSchedule ? { resyncSchedule: settings.resyncSchedule } : {}),
        ...(settings.scheduler ? { scheduler: settings.scheduler } : {}),
        ...(settings.drainTimeoutMs !== undefined ? { drainTimeoutMs: settings.drainTimeoutMs } : {}),
        clock: parts.clock,
        logger: parts.logger,
      });
      await loop.start(signal);
    },
    async stop() {
      await loop?.stop();
      loop = undefined;
      await parts.stopCaches();
    },
  };
}
