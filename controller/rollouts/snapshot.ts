// Snapshot assembly: everything `decideRollout` needs about one Rollout, read from the caches
// (through FreshView, so our own latest writes are seen). This is I/O and translation only;
// which ReplicaSet is new, stable or adoptable is decided in functions/rollout/decide.
import type { KubernetesObject } from '@kubernetes/client-node';
import type {
  AnalysisRun,
  AnalysisTemplate,
  ClusterAnalysisTemplate,
  Experiment,
  LabelSelector,
  OwnerReference,
  PodTemplateSpec,
  Rollout,
} from '../../functions/api/index.ts';
import type { PodView, ReplicaSetView, RolloutSnapshot, ServiceView, WorkloadView } from '../../functions/rollout/decide/types.ts';
import { isEmptySelector } from '../../functions/selectors/index.ts';
import { referencedServiceNames } from '../../functions/services/references.ts';
import { splitKey } from '../kube/object-key.ts';
import type { ReadableCache } from './fresh-view.ts';

/** apps/v1 ReplicaSet as the API server sends it (JSON: timestamps are strings). */
export interface ReplicaSetObject extends KubernetesObject {
  metadata?: KubernetesObject['metadata'] & { annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: { replicas?: number; minReadySeconds?: number; selector?: LabelSelector; template?: PodTemplateSpec };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number };
}

/** core/v1 Service, the fields used here. */
export interface ServiceObject extends KubernetesObject {
  spec?: { selector?: Record<string, string> };
}

export type RolloutObject = Rollout & KubernetesObject;

/** apps/v1 Deployment, the fields a workloadRef uses. */
export interface DeploymentObject extends KubernetesObject {
  spec?: { replicas?: number; selector?: LabelSelector; template?: PodTemplateSpec };
}

/** core/v1 PodTemplate. */
export interface PodTemplateObject extends KubernetesObject {
  template?: PodTemplateSpec;
}

/** core/v1 Pod, the fields used here. */
export interface PodObject extends KubernetesObject {
  status?: { conditions?: Array<{ type: string; status: string; lastTransitionTime?: string | Date }> };
}

/** Where the snapshot's objects come from. */
export interface SnapshotSources {
  rollouts: Pick<ReadableCache<RolloutObject>, 'get'>;
  replicaSets: Pick<ReadableCache<ReplicaSetObject>, 'byOwner' | 'list'>;
  services: Pick<ReadableCache<ServiceObject>, 'get'>;
  analysisRuns: Pick<ReadableCache<KubernetesObject>, 'byOwner'>;
  experiments: Pick<ReadableCache<KubernetesObject>, 'byOwner'>;
  /** Pods of Rollout ReplicaSets (those with the hash label); read by their ReplicaSet's uid. */
  pods?: Pick<ReadableCache<PodObject>, 'byOwner'>;
  /** AnalysisTemplates; those of the Rollout's namespace go into the snapshot. */
  analysisTemplates?: Pick<ReadableCache<KubernetesObject>, 'list'>;
  /** ClusterAnalysisTemplates (not watched by a --namespaced controller). */
  clusterAnalysisTemplates?: Pick<ReadableCache<KubernetesObject>, 'list'>;
  /** Deployments and PodTemplates, for spec.workloadRef; without them a workloadRef is never found. */
  deployments?: Pick<ReadableCache<DeploymentObject>, 'get'>;
  podTemplates?: Pick<ReadableCache<PodTemplateObject>, 'get'>;
}

/** The snapshot, plus the objects it was made from (the writer needs their resourceVersions). */
export interface AssembledSnapshot {
  snapshot: RolloutSnapshot;
  rollout: RolloutObject;
  replicaSets: ReadonlyMap<string, ReplicaSetObject>;
  services: ReadonlyMap<string, ServiceObject>;
}

function timestamp(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value instanceof Date ? value.toISOString() : String(value);
}

export function toReplicaSetView(rs: ReplicaSetObject): ReplicaSetView {
  const m = rs.metadata ?? {};
  const created = timestamp(m.creationTimestamp);
  const deleting = timestamp(m.deletionTimestamp);
  return {
    name: m.name ?? '',
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.labels ? { labels: { ...m.labels } } : {}),
    ...(m.annotations ? { annotations: { ...m.annotations } } : {}),
    ...(rs.spec?.selector ? { selector: structuredClone(rs.spec.selector) } : {}),
    template: structuredClone(rs.spec?.template ?? {}),
    replicas: rs.spec?.replicas ?? 1,
    status: {
      replicas: rs.status?.replicas ?? 0,
      readyReplicas: rs.status?.readyReplicas ?? 0,
      availableReplicas: rs.status?.availableReplicas ?? 0,
      ...(rs.status?.observedGeneration !== undefined ? { observedGeneration: rs.status.observedGeneration } : {}),
    },
    ...(m.generation !== undefined ? { generation: m.generation } : {}),
    ...(created ? { creationTimestamp: created } : {}),
    ...(m.ownerReferences ? { ownerReferences: m.ownerReferences.map((r) => ({ ...r }) as OwnerReference) } : {}),
    ...(deleting ? { deletionTimestamp: deleting } : {}),
  };
}

/** The Deployment or PodTemplate as the decision sees it (the template and selector are copied). */
export function toWorkloadView(obj: DeploymentObject | PodTemplateObject, kind: 'Deployment' | 'PodTemplate'): WorkloadView {
  const m = obj.metadata ?? {};
  const common = {
    name: m.name ?? '',
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.generation !== undefined ? { generation: m.generation } : {}),
  };
  if (kind === 'PodTemplate') {
    return { apiVersion: 'v1', kind, ...common, template: structuredClone((obj as PodTemplateObject).template ?? {}) };
  }
  const spec = (obj as DeploymentObject).spec;
  return {
    apiVersion: 'apps/v1',
    kind,
    ...common,
    template: structuredClone(spec?.template ?? {}),
    ...(spec?.selector ? { selector: structuredClone(spec.selector) } : {}),
    replicas: spec?.replicas ?? 1,
  };
}

/**
 * The object spec.workloadRef names, if it is a kind Ramp resolves and exists in the cache. The
 * decision checks the kind, group and name again and reports anything else as InvalidSpec.
 */
export function referencedWorkload(rollout: Rollout, sources: Pick<SnapshotSources, 'deployments' | 'podTemplates'>): WorkloadView | undefined {
  const ref = rollout.spec?.workloadRef;
  if (!ref?.name) return undefined;
  const ns = rollout.metadata?.namespace;
  const group = ref.apiVersion?.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
  if (group === 'apps' && ref.kind === 'Deployment') {
    const deployment = sources.deployments?.get(ns, ref.name);
    return deployment ? toWorkloadView(deployment, 'Deployment') : undefined;
  }
  if (group === '' && ref.kind === 'PodTemplate') {
    const template = sources.podTemplates?.get(ns, ref.name);
    return template ? toWorkloadView(template, 'PodTemplate') : undefined;
  }
  return undefined;
}

export function toServiceView(svc: ServiceObject): ServiceView {
  return {
    name: svc.metadata?.name ?? '',
    ...(svc.spec?.selector ? { selector: { ...svc.spec.selector } } : {}),
    ...(svc.metadata?.annotations ? { annotations: { ...svc.metadata.annotations } } : {}),
  };
}

/**
 * A pod as the decision sees it. Available = Ready for at least minReadySeconds, which is how
 * the ReplicaSet controller counts availableReplicas.
 */
export function toPodView(pod: PodObject, replicaSet: string, minReadySeconds: number, now: Date): PodView {
  const m = pod.metadata ?? {};
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  const readySince = ready ? Date.parse(timestamp(ready.lastTransitionTime) ?? '') : NaN;
  const available = ready !== undefined && (minReadySeconds <= 0 || (Number.isFinite(readySince) && readySince + minReadySeconds * 1000 <= now.getTime()));
  const deleting = timestamp(m.deletionTimestamp);
  return {
    name: m.name ?? '',
    replicaSet,
    creationTimestamp: timestamp(m.creationTimestamp) ?? '',
    available,
    ...(deleting ? { deletionTimestamp: deleting } : {}),
  };
}

/**
 * The snapshot of the Rollout at `key`, or undefined when the Rollout is gone (its ReplicaSets
 * go with it through garbage collection; its Services are restored by the service loop).
 *
 * ReplicaSets: those with an ownerReference to the Rollout, plus orphans (no controller) that
 * carry the hash label and match the Rollout's selector (with workloadRef and no selector of its
 * own, the Deployment's) — candidates for adoption. The decision makes the final call on each.
 *
 * Workload: the Deployment or PodTemplate spec.workloadRef names, from its cache.
 */
export function assembleSnapshot(key: string, sources: SnapshotSources, now: Date): AssembledSnapshot | undefined {
  const { namespace, name } = splitKey(key);
  const rollout = sources.rollouts.get(namespace, name);
  if (!rollout) return undefined;
  const ns = rollout.metadata?.namespace;
  const uid = rollout.metadata?.uid ?? '';

  const workload = referencedWorkload(rollout, sources);
  const replicaSets = new Map<string, ReplicaSetObject>();
  for (const rs of uid ? sources.replicaSets.byOwner(uid, ns) : []) replicaSets.set(rs.metadata?.name ?? '', rs);
  // With workloadRef and no selector of its own, the Rollout selects with the Deployment's.
  const selector = rollout.spec?.selector ?? (rollout.spec?.workloadRef !== undefined ? workload?.selector : undefined);
  if (selector !== undefined && !isEmptySelector(selector)) {
    for (const rs of sources.replicaSets.list(ns, selector)) {
      const orphan = !(rs.metadata?.ownerReferences ?? []).some((r) => r.controller === true);
      if (orphan) replicaSets.set(rs.metadata?.name ?? '', rs);
    }
  }

  const services = new Map<string, ServiceObject>();
  for (const serviceName of referencedServiceNames(rollout)) {
    const svc = sources.services.get(ns, serviceName);
    if (svc) services.set(serviceName, svc);
  }

  const minReadySeconds = rollout.spec?.minReadySeconds ?? 0;
  const pods = sources.pods
    ? [...replicaSets.values()].flatMap((rs) =>
        rs.metadata?.uid ? sources.pods!.byOwner(rs.metadata.uid, ns).map((p) => toPodView(p, rs.metadata?.name ?? '', minReadySeconds, now)) : [],
      )
    : undefined;

  const snapshot: RolloutSnapshot = {
    rollout: structuredClone(rollout) as Rollout,
    ...(workload ? { workload } : {}),
    replicaSets: [...replicaSets.values()].map(toReplicaSetView),
    services: [...services.values()].map(toServiceView),
    analysisRuns: uid ? sources.analysisRuns.byOwner(uid, ns).map((o) => structuredClone(o) as unknown as AnalysisRun) : [],
    experiments: uid ? sources.experiments.byOwner(uid, ns).map((o) => structuredClone(o) as unknown as Experiment) : [],
    ...(pods ? { pods } : {}),
    // Read-only in the decision: passed without copying.
    analysisTemplates: (sources.analysisTemplates?.list(ns) ?? []) as unknown as AnalysisTemplate[],
    clusterAnalysisTemplates: (sources.clusterAnalysisTemplates?.list() ?? []) as unknown as ClusterAnalysisTemplate[],
    now,
  };
  return { snapshot, rollout, replicaSets, services };
}
