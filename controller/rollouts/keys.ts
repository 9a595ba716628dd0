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

/**
 * A Deployment or PodTemplate change wakes every Rollout of its namespace whose workloadRef
 * names it (kind and name; the decision checks the API group).
 */
export function rolloutKeysForWorkload(rollouts: Pick<ReadableCache<KubernetesObject>, 'list'>, kind: 'Deployment' | 'PodTemplate'): (obj: KubernetesObject) => string[] {
  return (obj) => {
    const ns = obj.metadata?.namespace;
    const name = obj.metadata?.name ?? '';
    return rollouts
      .list(ns)
      .filter((r) => {
        const ref = (r as unknown as Rollout).spec?.workloadRef;
        return ref?.kind === kind && ref.name === name;
      })
      .map((r) => makeKey(ns, r.metadata?.name ?? ''));
  };
}
