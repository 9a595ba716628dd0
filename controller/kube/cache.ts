// A watch-backed cache of one kind: LIST once (paginated), then WATCH from the list's
// resourceVersion, re-LIST when the server says 410 Gone, reconnect with backoff when the
// connection drops. Readers (get/list/byOwner) never touch the API server, so a resync pass over
// every object costs no requests. Kind-agnostic: it knows ResourceRefs, not Rollouts.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { backoffDelay } from './backoff.ts';
import { systemClock, type Clock } from './clock.ts';
import type { RawRequest, WatchHandle } from './client.ts';
import { describeError, isGone } from './errors.ts';
import type { LabelSelector } from '../../functions/api/index.ts';
import { compileLabelSelector } from '../../functions/selectors/index.ts';
import { makeKey, objectKey } from './object-key.ts';
import { apiVersionOf, resourcePath, type ResourceRef } from './resource.ts';

export type CacheEventType = 'added' | 'updated' | 'deleted';

export interface CacheEvent<T> {
  type: CacheEventType;
  object: T;
  /** The previous state, for updates. */
  old?: T;
}

export type CacheListener<T> = (event: CacheEvent<T>) => void;

/** What the cache needs from a client; KubeClient provides it. */
export interface ListWatchClient {
  request<R>(req: RawRequest): Promise<R>;
  watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, object: unknown) => void,
    onDone: (err: unknown) => void,
    signal?: AbortSignal,
  ): Promise<WatchHandle>;
}

export interface ObjectCacheOptions<T> {
  client: ListWatchClient;
  resource: ResourceRef;
  /** Watch a single namespace (--namespaced); all namespaces when undefined. */
  namespace?: string;
  /** Server-side label filter, e.g. instanceIdSelector(id). */
  labelSelector?: string;
  fieldSelector?: string;
  /** Applied to every object before it is stored; default drops metadata.managedFields. */
  transform?: (obj: T) => T;
  /** Items per LIST page. */
  pageSize?: number;
  logger?: Logger;
  clock?: Clock;
  random?: () => number;
  /** Server-side watch timeout; default 5–10 minutes, spread so watches do not reconnect together. */
  watchTimeoutSeconds?: () => number;
}

interface ListPage<T> {
  items?: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/** Drops metadata.managedFields, which can be most of an object's size and is never read. */
export function dropManagedFields<T extends KubernetesObject>(obj: T): T {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

interface WatchOutcome {
  relist: boolean;
  error?: unknown;
}

export class ObjectCache<T extends KubernetesObject = KubernetesObject> {
  readonly resource: ResourceRef;
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly #o: ObjectCacheOptions<T>;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #transform: (obj: T) => T;
  /** key → object */
  #store = new Map<string, T>();
  /** owner uid → keys of the objects it owns */
  #owners = new Map<string, Set<string>>();
  #listeners: CacheListener<T>[] = [];
  #resourceVersion = '';
  #synced = false;
  #resolveSynced!: () => void;
  readonly #syncedPromise: Promise<void>;
  #stopped = true;
  #abort = new AbortController();
  #watch: WatchHandle | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: ObjectCacheOptions<T>) {
    this.#o = options;
    this.resource = options.resource;
    this.namespace = options.resource.namespaced ? options.namespace : undefined;
    this.labelSelector = options.labelSelector;
    this.#clock = options.clock ?? systemClock;
    this.#transform = options.transform ?? dropManagedFields;
    this.#log = (options.logger ?? silentLogger).child({
      component: 'cache',
      resource: options.resource.group ? `${options.resource.resource}.${options.resource.group}` : options.resource.resource,
    });
    this.#syncedPromise = new Promise<void>((resolve) => {
      this.#resolveSynced = resolve;
    });
  }

  // ---- reading -------------------------------------------------------------------------------

  /** True once the first LIST has been loaded. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves when the first LIST has been loaded; rejects if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.#synced) return Promise.resolve();
    if (!signal) return this.#syncedPromise;
    signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#syncedPromise.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#store.get(makeKey(this.resource.namespaced ? namespace : undefined, name));
  }

  getByKey(key: string): T | undefined {
    return this.#store.get(key);
  }

  /** Objects in `namespace` (all when undefined) matching `selector` (all when undefined). */
  list(namespace?: string, selector?: string | LabelSelector): T[] {
    const match = selector === undefined ? undefined : compileLabelSelector(selector);
    const prefix = namespace && this.resource.namespaced ? `${namespace}/` : undefined;
    const out: T[] = [];
    for (const [key, obj] of this.#store) {
      if (prefix && !key.startsWith(prefix)) continue;
      if (match && !match(obj.metadata?.labels)) continue;
      out.push(obj);
    }
    return out;
  }

  /** Objects with an ownerReference to `uid` (controller or not). */
  byOwner(uid: string, namespace?: string): T[] {
    const keys = this.#owners.get(uid);
    if (!keys) return [];
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.#store.get(key);
      if (obj && (namespace === undefined || obj.metadata?.namespace === namespace)) out.push(obj);
    }
    return out;
  }

  keys(): string[] {
    return [...this.#store.keys()];
  }

  get size(): number {
    return this.#store.size;
  }

  /** The resourceVersion the cache is current to. */
  resourceVersion(): string {
    return this.#resourceVersion;
  }

  /** Subscribes to changes; returns the unsubscribe function. Listeners must not throw or block. */
  onChange(listener: CacheListener<T>): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Starts listing and watching in the background. */
  start(): this {
    if (!this.#stopped) return this;
    this.#stopped = false;
    this.#abort = new AbortController();
    this.#loop = this.#run();
    return this;
  }

  /** Stops watching and resolves when the background loop has ended. The contents stay readable. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#abort.abort(new Error('cache stopped'));
    this.#watch?.abort();
    await this.#loop;
  }

  // ---- internals -----------------------------------------------------------------------------

  #path(): string {
    return resourcePath(this.resource, this.namespace);
  }

  #emit(event: CacheEvent<T>): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#log.error('cache listener failed', { error });
      }
    }
  }

  #normalise(raw: T): T {
    const obj = { apiVersion: apiVersionOf(this.resource), kind: this.resource.kind, ...raw };
    return this.#transform(obj);
  }

  #index(key: string, old: T | undefined, obj: T | undefined): void {
    for (const ref of old?.metadata?.ownerReferences ?? []) {
      const set = this.#owners.get(ref.uid);
      set?.delete(key);
      if (set && set.size === 0) this.#owners.delete(ref.uid);
    }
    for (const ref of obj?.metadata?.ownerReferences ?? []) {
      let set = this.#owners.get(ref.uid);
      if (!set) this.#owners.set(ref.uid, (set = new Set()));
      set.add(key);
    }
  }

  #upsert(raw: T): void {
    const obj = this.#normalise(raw);
    const key = objectKey(obj);
    const old = this.#store.get(key);
    if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
    this.#store.set(key, obj);
    this.#index(key, old, obj);
    this.#emit(old ? { type: 'updated', object: obj, old } : { type: 'added', object: obj });
  }

  #remove(raw: T): void {
    const obj = this.#normalise(raw);
    const key = objectKey(obj);
    const old = this.#store.get(key);
    if (!old) return;
    this.#store.delete(key);
    this.#index(key, old, undefined);
    this.#emit({ type: 'deleted', object: obj });
  }

  async #list(): Promise<void> {
    const pageSize = this.#o.pageSize ?? 500;
    let items: T[] = [];
    let resourceVersion = '';
    let cont: string | undefined;
    let restarts = 0;
    for (;;) {
      let page: ListPage<T>;
      try {
        page = await this.#o.client.request<ListPage<T>>({
          method: 'GET',
          path: this.#path(),
          query: { limit: pageSize, continue: cont, labelSelector: this.labelSelector, fieldSelector: this.#o.fieldSelector },
          signal: this.#abort.signal,
        });
      } catch (error) {
        // An expired continue token: start the LIST over.
        if (cont !== undefined && isGone(error) && restarts++ < 3) {
          items = [];
          cont = undefined;
          continue;
        }
        throw error;
      }
      items.push(...(page.items ?? []));
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      cont = page.metadata?.continue || undefined;
      if (!cont) break;
    }

    // Replace the contents, then tell listeners what changed.
    const previous = this.#store;
    const next = new Map<string, T>();
    const events: CacheEvent<T>[] = [];
    for (const raw of items) {
      const obj = this.#normalise(raw);
      const key = objectKey(obj);
      next.set(key, obj);
      const old = previous.get(key);
      if (!old) events.push({ type: 'added', object: obj });
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) events.push({ type: 'updated', object: obj, old });
    }
    for (const [key, old] of previous) if (!next.has(key)) events.push({ type: 'deleted', object: old });
    this.#store = next;
    this.#owners = new Map();
    for (const [key, obj] of next) this.#index(key, undefined, obj);
    this.#resourceVersion = resourceVersion;
    const first = !this.#synced;
    this.#synced = true;
    if (first) this.#resolveSynced();
    this.#log.debug('listed', { count: next.size, resourceVersion });
    for (const event of events) this.#emit(event);
  }

  #watchOnce(): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve) => {
      let relist = false;
      let finished = false;
      const finish = (outcome: WatchOutcome): void => {
        if (finished) return;
        finished = true;
        this.#watch = undefined;
        resolve(outcome);
      };
      const onEvent = (type: string, raw: unknown): void => {
        if (finished) return;
        const obj = raw as T & { code?: number };
        switch (type) {
          case 'ADDED':
          case 'MODIFIED':
            this.#upsert(obj);
            break;
          case 'DELETED':
            this.#remove(obj);
            break;
          case 'BOOKMARK':
            break;
          case 'ERROR':
            if (obj.code === 410) relist = true;
            else this.#log.warn('watch error event', { status: raw });
            return;
          default:
            return;
        }
        const rv = obj.metadata?.resourceVersion;
        if (rv) this.#resourceVersion = rv;
      };
      const timeout = this.#o.watchTimeoutSeconds?.() ?? Math.floor(300 + 300 * (this.#o.random ?? Math.random)());
      this.#o.client
        .watch(
          this.#path(),
          {
            resourceVersion: this.#resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds: timeout,
            labelSelector: this.labelSelector,
            fieldSelector: this.#o.fieldSelector,
          },
          onEvent,
          (err) => finish({ relist: relist || isGone(err), ...(err ? { error: err } : {}) }),
          this.#abort.signal,
        )
        .then((handle) => {
          if (finished) return;
          this.#watch = handle;
          if (this.#stopped) handle.abort();
        })
        .catch((error: unknown) => finish({ relist: false, error }));
    });
  }

  async #run(): Promise<void> {
    let needList = true;
    let failures = 0;
    const backoff = (): number => backoffDelay(failures, { baseMs: 1000, maxMs: 30_000, jitter: 0.5, ...(this.#o.random ? { random: this.#o.random } : {}) });
    while (!this.#stopped) {
      try {
        if (needList) {
          await this.#list();
          needList = false;
          failures = 0;
        }
        const outcome = await this.#watchOnce();
        if (this.#stopped) break;
        if (outcome.relist) {
          this.#log.debug('watch expired; listing again');
          needList = true;
          continue;
        }
        if (outcome.error === undefined || (outcome.error as Error).name === 'TimeoutError') {
          // The server ended the watch, or it was idle for client-node's 30 s: resume from our resourceVersion.
          failures = 0;
          continue;
        }
        failures++;
        this.#log.warn('watch failed; reconnecting', { error: describeError(outcome.error), failures });
        await this.#clock.sleep(backoff(), this.#abort.signal);
      } catch (error) {
        if (this.#stopped) break;
        failures++;
        this.#log.warn('list failed; retrying', { error: describeError(error), failures });
        try {
          await this.#clock.sleep(backoff(), this.#abort.signal);
        } catch {
          break;
        }
      }
    }
  }
}

/** What every cache of one controller shares: the client, the watched namespace, clock and logger. */
export interface CacheDefaults {
  client: ListWatchClient;
  /** --namespaced: watch only this namespace; all namespaces when undefined or ''. */
  namespace?: string | undefined;
  clock: Clock;
  logger: Logger;
}

/** `cache(resource, labelSelector?)`: ObjectCaches built on the same defaults. */
export function cacheFactory(defaults: CacheDefaults): <T extends KubernetesObject>(resource: ResourceRef, labelSelector?: string) => ObjectCache<T> {
  return <T extends KubernetesObject>(resource: ResourceRef, labelSelector?: string): ObjectCache<T> =>
    new ObjectCache<T>({
      client: defaults.client,
      resource,
      ...(defaults.namespace ? { namespace: defaults.namespace } : {}),
      ...(labelSelector ? { labelSelector } : {}),
      clock: defaults.clock,
      logger: defaults.logger,
    });
}
