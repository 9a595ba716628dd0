// Read-your-writes on top of a watch cache. After the controller writes an object, the API
// server's answer is newer than what the cache holds until the watch delivers the change. A
// reconcile that ran in between would decide on the old state: create a ReplicaSet again, scale
// it again, or write a status that undoes the one just written. FreshView keeps the answers of
// our own writes and serves whichever copy is newer, so the next reconcile sees its own writes.
//
// "Newer" compares resourceVersions as integers (etcd revisions, which is what every API server
// in practice hands out). If a resourceVersion is not an integer, a remembered copy is trusted
// only for `ttlMs`. Entries go away once the cache has caught up, when the object is deleted,
// and after `ttlMs` in any case.
import type { KubernetesObject } from '@kubernetes/client-node';
import { dropManagedFields } from '../kube/cache.ts';
import { systemClock, type Clock } from '../kube/clock.ts';
import type { LabelSelector } from '../../functions/api/index.ts';
import { compileLabelSelector } from '../../functions/selectors/index.ts';
import { makeKey, objectKey } from '../kube/object-key.ts';

/** What FreshView needs from a cache; ObjectCache provides it. */
export interface ReadableCache<T> {
  get(namespace: string | undefined, name: string): T | undefined;
  list(namespace?: string, selector?: string | LabelSelector): T[];
  byOwner(uid: string, namespace?: string): T[];
  onChange(listener: (event: { type: string; object: T }) => void): () => void;
}

interface Remembered<T> {
  obj: T;
  at: number;
}

/** -1 when `a` is older than `b`, 0 when the same, 1 when newer; undefined when not comparable. */
export function compareResourceVersions(a: string | undefined, b: string | undefined): -1 | 0 | 1 | undefined {
  if (!a || !b) return undefined;
  if (a === b) return 0;
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export class FreshView<T extends KubernetesObject> {
  readonly #cache: ReadableCache<T>;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #written = new Map<string, Remembered<T>>();
  readonly #unsubscribe: () => void;

  constructor(cache: ReadableCache<T>, options: { clock?: Clock; ttlMs?: number } = {}) {
    this.#cache = cache;
    this.#clock = options.clock ?? systemClock;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#unsubscribe = cache.onChange((event) => {
      if (event.type === 'deleted') this.#written.delete(objectKey(event.object));
    });
  }

  /** Remember the API server's answer to a write (create, patch). */
  remember(obj: T | undefined): void {
    if (!obj?.metadata?.name) return;
    const key = objectKey(obj);
    const known = this.#written.get(key);
    if (known && compareResourceVersions(obj.metadata.resourceVersion, known.obj.metadata?.resourceVersion) === -1) return;
    this.#written.set(key, { obj: dropManagedFields(obj), at: this.#clock.now() });
  }

  /** Forget a key (after deleting the object). */
  forget(namespace: string | undefined, name: string): void {
    this.#written.delete(makeKey(namespace, name));
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#pick(makeKey(namespace, name), this.#cache.get(namespace, name));
  }

  list(namespace?: string, selector?: string | LabelSelector): T[] {
    const match = selector === undefined ? () => true : compileLabelSelector(selector);
    return this.#merge(this.#cache.list(namespace, selector), (obj) => (namespace === undefined || obj.metadata?.namespace === namespace) && match(obj.metadata?.labels));
  }

  byOwner(uid: string, namespace?: string): T[] {
    return this.#merge(
      this.#cache.byOwner(uid, namespace),
      (obj) => (namespace === undefined || obj.metadata?.namespace === namespace) && (obj.metadata?.ownerReferences ?? []).some((r) => r.uid === uid),
    );
  }

  /** How many written copies are still newer than the cache (for tests and debugging). */
  get pending(): number {
    return this.#written.size;
  }

  stop(): void {
    this.#unsubscribe();
    this.#written.clear();
  }

  #merge(fromCache: T[], matches: (obj: T) => boolean): T[] {
    const out: T[] = [];
    const seen = new Set<string>();
    for (const cached of fromCache) {
      const key = objectKey(cached);
      seen.add(key);
      const picked = this.#pick(key, cached);
      if (picked && matches(picked)) out.push(picked);
    }
    for (const key of [...this.#written.keys()]) {
      if (seen.has(key)) continue;
      const picked = this.#pick(key, undefined);
      if (picked && matches(picked)) out.push(picked);
    }
    return out;
  }

  /** The newer of the cached copy and our written copy; forgets the written one once the cache caught up. */
  #pick(key: string, cached: T | undefined): T | undefined {
    const written = this.#written.get(key);
    if (!written) return cached;
    if (this.#clock.now() - written.at > this.#ttlMs) {
      this.#written.delete(key);
      return cached;
    }
    if (cached) {
      const order = compareResourceVersions(cached.metadata?.resourceVersion, written.obj.metadata?.resourceVersion);
      if (order === 0 || order === 1) {
        this.#written.delete(key);
        return cached;
      }
    }
    return written.obj;
  }
}
