// Records core/v1 Events on an object, the way `kubectl describe` and Argo CD show them.
// Repeats of the same (object, type, reason, message) bump `count` and `lastTimestamp` on the
// existing Event instead of creating another. A per-object token bucket (burst 25, then one
// every 5 minutes) stops a hot loop from flooding etcd. Recording is best effort: failures are
// logged, never thrown, and never block a reconcile for long.
import { hostname } from 'node:os';
import { metaTime } from '../../functions/values/meta-time.ts';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { redactString } from '../log/redact.ts';
import { systemClock, type Clock } from './clock.ts';
import type { RawRequest } from './client.ts';
import { describeError, isAlreadyExists, isNotFound } from './errors.ts';
import { TokenBucket } from './rate-limiter.ts';
import { CoreEvents, resourcePath } from './resource.ts';

export type EventType = 'Normal' | 'Warning';

export interface InvolvedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { namespace?: string; name?: string; uid?: string; resourceVersion?: string };
}

export interface EventsClient {
  request<R>(req: RawRequest): Promise<R>;
}

export interface EventRecorderOptions {
  client: EventsClient;
  /** source.component / reportingComponent. Argo's controller reports as "rollouts-controller". */
  component?: string;
  /** source.host / reportingInstance. */
  host?: string;
  clock?: Clock;
  logger?: Logger;
  /** How many aggregation entries and per-object buckets to remember (oldest forgotten first). */
  maxTracked?: number;
  /** Per-object spam filter; default burst 25, refill one per 5 minutes. */
  spamBurst?: number;
  spamQps?: number;
}

interface Tracked {
  namespace: string;
  name: string;
  count: number;
}

const MAX_MESSAGE = 1024;

export class EventRecorder {
  readonly #client: EventsClient;
  readonly #component: string;
  readonly #host: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #maxTracked: number;
  readonly #spamBurst: number;
  readonly #spamQps: number;
  readonly #tracked = new Map<string, Tracked>();
  readonly #buckets = new Map<string, TokenBucket>();
  /** Writes for one aggregation key run one after another. */
  readonly #chains = new Map<string, Promise<void>>();
  #seq = 0;

  constructor(options: EventRecorderOptions) {
    this.#client = options.client;
    this.#component = options.component ?? 'rollouts-controller';
    this.#host = options.host ?? hostname();
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? silentLogger).child({ component: 'events' });
    this.#maxTracked = options.maxTracked ?? 4096;
    this.#spamBurst = options.spamBurst ?? 25;
    this.#spamQps = options.spamQps ?? 1 / 300;
  }

  normal(obj: InvolvedObject, reason: string, message: string): Promise<void> {
    return this.event(obj, 'Normal', reason, message);
  }

  warning(obj: InvolvedObject, reason: string, message: string): Promise<void> {
    return this.event(obj, 'Warning', reason, message);
  }

  /** Records an event; resolves when it is written (or given up on). Never rejects. */
  event(obj: InvolvedObject, type: EventType, reason: string, message: string): Promise<void> {
    const meta = obj.metadata ?? {};
    if (!meta.name) {
      this.#log.warn('event on an object without a name dropped', { reason });
      return Promise.resolve();
    }
    const namespace = meta.namespace || 'default';
    const text = redactString(message).slice(0, MAX_MESSAGE);
    const objectId = `${namespace}/${obj.kind ?? ''}/${meta.name}/${meta.uid ?? ''}`;
    if (!this.#allow(objectId)) {
      this.#log.debug('event dropped by the per-object spam filter', { namespace, name: meta.name, reason });
      return Promise.resolve();
    }
    const key = `${objectId}\u0000${type}\u0000${reason}\u0000${text}`;
    const previous = this.#chains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.#write(key, obj, namespace, type, reason, text));
    this.#chains.set(key, next);
    void next.then(() => {
      if (this.#chains.get(key) === next) this.#chains.delete(key);
    });
    return next;
  }

  /** Resolves when every event recorded so far has been written or given up on. */
  async flush(): Promise<void> {
    while (this.#chains.size > 0) await Promise.all([...this.#chains.values()]);
  }

  #allow(objectId: string): boolean {
    let bucket = this.#buckets.get(objectId);
    if (!bucket) {
      bucket = new TokenBucket({ qps: this.#spamQps, burst: this.#spamBurst, clock: this.#clock });
      this.#remember(this.#buckets, objectId, bucket);
    }
    return bucket.tryAcquire();
  }

  #remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    while (map.size > this.#maxTracked) map.delete(map.keys().next().value!);
  }

  async #write(key: string, obj: InvolvedObject, namespace: string, type: EventType, reason: string, message: string): Promise<void> {
    const now = this.#clock.now();
    const tracked = this.#tracked.get(key);
    try {
      if (tracked) {
        try {
          await this.#client.request({
            method: 'PATCH',
            path: resourcePath(CoreEvents, tracked.namespace, tracked.name),
            patchType: 'merge',
            body: { count: tracked.count + 1, lastTimestamp: metaTime(now) },
          });
          tracked.count += 1;
          this.#remember(this.#tracked, key, tracked);
          return;
        } catch (error) {
          // The Event expired (the API server keeps them for an hour) or was deleted: start over.
          if (!isNotFound(error)) throw error;
          this.#tracked.delete(key);
        }
      }
      for (let attempt = 0; attempt < 3; attempt++) {
        const name = `${obj.metadata!.name!.slice(0, 253 - 17)}.${(BigInt(now) * 1_000_000n + BigInt(this.#seq++)).toString(16)}`;
        const body = {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject: {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            namespace: obj.metadata!.namespace,
            name: obj.metadata!.name,
            uid: obj.metadata!.uid,
            resourceVersion: obj.metadata!.resourceVersion,
          },
          type,
          reason,
          message,
          count: 1,
          firstTimestamp: metaTime(now),
          lastTimestamp: metaTime(now),
          source: { component: this.#component, host: this.#host },
          reportingComponent: this.#component,
          reportingInstance: this.#host,
        };
        try {
          await this.#client.request({ method: 'POST', path: resourcePath(CoreEvents, namespace), body });
          this.#remember(this.#tracked, key, { namespace, name, count: 1 });
          return;
        } catch (error) {
          if (!isAlreadyExists(error)) throw error;
        }
      }
    } catch (error) {
      this.#log.warn('could not record event', { namespace, name: obj.metadata?.name, reason, error: describeError(error) });
    }
  }
}
