// One reconcile loop, wired: changes in a primary cache (and in related caches, mapped to the
// primary keys they affect) feed a WorkQueue; a cron resync re-enqueues every primary key; the
// handler is the reconciler (snapshot from caches → pure decision → writes → requeue hint).
//
//   const loop = new ControllerLoop({ name: 'rollouts', primary: rollouts,
//     related: [{ cache: replicaSets, keysFor: controllerOwnerKeys('argoproj.io', 'Rollout') }],
//     handler: reconcileRollout, workers: 10, resyncSchedule: '*/30 * * * * *' });
//   await loop.start(signal);   // after the caches were started
//   ...
//   await loop.stop();          // drains running reconciles
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheEvent } from '../kube/cache.ts';
import { systemClock, type Clock } from '../kube/clock.ts';
import { makeKey, objectKey } from '../kube/object-key.ts';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { startPeriodicResync, type CronScheduler, type PeriodicResync } from './periodic.ts';
import { WorkQueue, type ProcessedInfo, type ReconcileHandler } from './queue.ts';

/** What the loop needs from a cache; ObjectCache provides it. */
export interface WatchedCache<T> {
  keys(): Iterable<string>;
  hasSynced(): boolean;
  waitForSync(signal?: AbortSignal): Promise<void>;
  onChange(listener: (event: CacheEvent<T>) => void): () => void;
}

export interface RelatedCache {
  cache: WatchedCache<KubernetesObject>;
  /** The primary keys a change of this object should wake (e.g. its owner's). */
  keysFor: (obj: KubernetesObject) => string[];
}

export interface ControllerLoopOptions {
  name: string;
  primary: WatchedCache<KubernetesObject>;
  related?: RelatedCache[];
  handler: ReconcileHandler;
  workers?: number;
  resyncSchedule?: string;
  scheduler?: CronScheduler;
  /** Longest wait for running reconciles on stop() before their signal is aborted (default 20 s, inside the default 30 s termination grace period). */
  drainTimeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
  onProcessed?: (info: ProcessedInfo) => void;
}

/**
 * Maps an object to the key of its controlling owner of `kind` in `apiGroup` (same namespace),
 * e.g. a ReplicaSet to the Rollout that controls it.
 */
export function controllerOwnerKeys(apiGroup: string, kind: string): (obj: KubernetesObject) => string[] {
  return (obj) => {
    const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind && (r.apiVersion.split('/')[0] ?? '') === apiGroup);
    return ref ? [makeKey(obj.metadata?.namespace, ref.name)] : [];
  };
}

export class ControllerLoop {
  readonly queue: WorkQueue;
  readonly #o: ControllerLoopOptions;
  readonly #log: Logger;
  #unsubscribe: Array<() => void> = [];
  #resync: PeriodicResync | undefined;
  #started = false;

  constructor(options: ControllerLoopOptions) {
    this.#o = options;
    this.#log = (options.logger ?? silentLogger).child({ controller: options.name });
    this.queue = new WorkQueue({
      handler: options.handler,
      workers: options.workers ?? 10,
      clock: options.clock ?? systemClock,
      logger: this.#log,
      ...(options.onProcessed ? { onProcessed: options.onProcessed } : {}),
    });
  }

  /** Waits for the caches to sync, subscribes to their changes, enqueues everything once, starts the cron resync. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.#started) throw new Error(`controller loop ${this.#o.name} already started`);
    this.#started = true;
    const related = this.#o.related ?? [];
    await Promise.all([this.#o.primary, ...related.map((r) => r.cache)].map((c) => c.waitForSync(signal)));
    this.#unsubscribe.push(
      this.#o.primary.onChange((event) => {
        const key = objectKey(event.object);
        this.queue.add(key);
        if (event.type === 'deleted') this.queue.forget(key);
      }),
    );
    for (const r of related) {
      this.#unsubscribe.push(
        r.cache.onChange((event) => {
          for (const key of r.keysFor(event.object)) this.queue.add(key);
          if (event.old) for (const key of r.keysFor(event.old)) this.queue.add(key);
        }),
      );
    }
    this.#resync = startPeriodicResync({
      name: this.#o.name,
      sources: [this.#o.primary],
      queue: this.queue,
      logger: this.#log,
      ...(this.#o.resyncSchedule ? { schedule: this.#o.resyncSchedule } : {}),
      ...(this.#o.scheduler ? { scheduler: this.#o.scheduler } : {}),
    });
    const n = this.#resync.resyncNow();
    this.#log.info('controller loop started', { objects: n, workers: this.queue.workers });
  }

  /** Stops the resync and the subscriptions, then lets running reconciles finish. */
  async stop(): Promise<{ abandoned: string[] }> {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    await this.#resync?.stop();
    const result = await this.queue.shutdown({ timeoutMs: this.#o.drainTimeoutMs ?? 20_000 });
    this.#log.info('controller loop stopped', { abandoned: result.abandoned.length });
    return result;
  }
}
