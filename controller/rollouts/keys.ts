// Which Rollout keys a change of a related object wakes.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Rollout } from '../../functions/api/index.ts';
import { referencedServiceNames } from '../../functions/services/references.ts';
import { makeKey } from '../kube/object-key.ts';
import type { ReadableCache } from './fresh-view.ts';

/** A Service change wakes every Rollout of its namespace that names it. */
export function rolloutKeysForService(rollouts: Pick<ReadableCache<KubernetesObject>, 'list'>): (svc: KubernetesObject) => string[] {
  return (svc) => {
    const ns = svc.metadata?.namespace;
    const name = svc.metadata?.name ?? '';
    return rollouts
      .list(ns)
      .filter((r) => referencedServiceNames(r as unknown as Rollout).includes(name))
      .map((r) => makeKey(ns, r.metadata?.name ?? ''));
  };
}
