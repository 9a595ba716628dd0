// What the webhook reads from the cluster: RolloutPolicies and Namespaces through list+watch
// caches (no request per admission), and the owning Rollout of a managed Service through a GET
// with a short deadline. Kept behind small functions so app.ts and the tests do not care.
import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectCache } from '../controller/kube/cache.ts';
import type { KubeClient } from '../controller/kube/client.ts';
import { isNotFound } from '../controller/kube/errors.ts';
import { resourcePath, type ResourceRef } from '../controller/kube/resource.ts';
import type { Logger } from '../controller/log/logger.ts';
import { Rollouts } from '../controller/rollouts/resources.ts';
import type { Rollout, RolloutPolicy } from '../functions/api/index.ts';
import type { OwnerLookup, OwnerRef } from '../functions/admission/index.ts';
import { type Labels, stringLabels } from '../functions/selectors/index.ts';

export const RolloutPolicies: ResourceRef = { group: 'ramp.dev', version: 'v1alpha1', resource: 'rolloutpolicies', kind: 'RolloutPolicy', namespaced: false };
export const Namespaces: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };

/** Where the policies come from: the cluster (watched) or a fixed list (tests, --policy-file). */
export interface PolicySource {
  policies(): readonly RolloutPolicy[];
  synced(): boolean;
  start(): void;
  stop(): Promise<void>;
}

export function staticPolicySource(policies: readonly RolloutPolicy[]): PolicySource {
  return { policies: () => policies, synced: () => true, start: () => undefined, stop: async () => undefined };
}

export function clusterPolicySource(client: KubeClient, logger?: Logger): PolicySource {
  const cache = new ObjectCache<KubernetesObject>({ client, resource: RolloutPolicies, ...(logger ? { logger } : {}) });
  let snapshot: readonly RolloutPolicy[] = [];
  let stale = true;
  cache.onChange(() => {
    stale = true;
  });
  return {
    policies: () => {
      if (stale) {
        snapshot = cache.list() as unknown as RolloutPolicy[];
        stale = false;
      }
      return snapshot;
    },
    synced: () => cache.hasSynced(),
    start: () => void cache.start(),
    stop: () => cache.stop(),
  };
}

export interface NamespaceLabelSource {
  labels(namespace: string): Promise<Labels | undefined>;
  synced(): boolean;
  start(): void;
  stop(): Promise<void>;
}

/** Namespace labels from a watch cache; a namespace the cache has not seen yet is read directly. */
export function clusterNamespaceLabels(client: KubeClient, options: { logger?: Logger; timeoutMs?: number } = {}): NamespaceLabelSource {
  const cache = new ObjectCache<KubernetesObject>({ client, resource: Namespaces, ...(options.logger ? { logger: options.logger } : {}) });
  const direct = client.derive({ retry: { maxAttempts: 2, maxElapsedMs: options.timeoutMs ?? 2_000 } });
  return {
    async labels(namespace) {
      const cached = cache.get(undefined, namespace);
      if (cached !== undefined) return stringLabels(cached.metadata?.labels);
      try {
        const ns = await direct.request<KubernetesObject>({
          method: 'GET',
          path: resourcePath(Namespaces, undefined, namespace),
          signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
        });
        return stringLabels(ns.metadata?.labels);
      } catch (error) {
        options.logger?.warn('cannot read the labels of a namespace; policies with a namespaceSelector are skipped for this request', { namespace, error });
        return undefined;
      }
    },
    synced: () => cache.hasSynced(),
    start: () => void cache.start(),
    stop: () => cache.stop(),
  };
}

export function staticNamespaceLabels(labels: Readonly<Record<string, Labels>>): NamespaceLabelSource {
  return { labels: async (ns) => labels[ns], synced: () => true, start: () => undefined, stop: async () => undefined };
}

/** GET the Rollout; 404 → not-found; anything else (timeout, 5xx, RBAC) → unknown. */
export function clusterRolloutLookup(client: KubeClient, options: { logger?: Logger; timeoutMs?: number } = {}): (ref: OwnerRef) => Promise<OwnerLookup> {
  const direct = client.derive({ retry: { maxAttempts: 2, maxElapsedMs: options.timeoutMs ?? 2_000 } });
  return async (ref) => {
    try {
      const rollout = await direct.request<Rollout>({
        method: 'GET',
        path: resourcePath(Rollouts, ref.namespace, ref.name),
        signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
      });
      return { state: 'found', rollout };
    } catch (error) {
      if (isNotFound(error)) return { state: 'not-found' };
      options.logger?.warn('cannot look up the Rollout that manages a Service or Ingress; guarding it as if the Rollout exists', { ...ref, error });
      return { state: 'unknown', reason: error instanceof Error ? error.message : String(error) };
    }
  };
}
