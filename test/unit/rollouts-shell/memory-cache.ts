// An in-memory stand-in for ObjectCache's read side, for unit tests of the reconciler's shell.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { LabelSelector } from '../../../functions/api/index.ts';
import { compileLabelSelector } from '../../../functions/selectors/index.ts';
import { makeKey, objectKey } from '../../../controller/kube/object-key.ts';
import type { ReadableCache } from '../../../controller/rollouts/fresh-view.ts';

export class MemoryCache<T extends KubernetesObject> implements ReadableCache<T> {
  readonly #objects = new Map<string, T>();
  #listeners: Array<(event: { type: string; object: T }) => void> = [];

  constructor(objects: T[] = []) {
    for (const o of objects) this.#objects.set(objectKey(o), o);
  }

  set(obj: T): void {
    const key = objectKey(obj);
    const type = this.#objects.has(key) ? 'updated' : 'added';
    this.#objects.set(key, obj);
    for (const l of this.#listeners) l({ type, object: obj });
  }

  delete(obj: T): void {
    this.#objects.delete(objectKey(obj));
    for (const l of this.#listeners) l({ type: 'deleted', object: obj });
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#objects.get(makeKey(namespace, name));
  }

  list(namespace?: string, selector?: string | LabelSelector): T[] {
    const match = selector === undefined ? () => true : compileLabelSelector(selector);
    return [...this.#objects.values()].filter((o) => (namespace === undefined || o.metadata?.namespace === namespace) && match(o.metadata?.labels));
  }

  byOwner(uid: string, namespace?: string): T[] {
    return [...this.#objects.values()].filter(
      (o) => (namespace === undefined || o.metadata?.namespace === namespace) && (o.metadata?.ownerReferences ?? []).some((r) => r.uid === uid),
    );
  }

  keys(): string[] {
    return [...this.#objects.keys()];
  }

  onChange(listener: (event: { type: string; object: T }) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }
}
