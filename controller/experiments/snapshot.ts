// Snapshot assembly: everything `decideExperiment` needs about one Experiment, read from the
// caches (through FreshView, so our own latest writes are seen). I/O and translation only.
//
// Besides the objects the Experiment controls, the snapshot holds any object under a name the
// Experiment would create (`<experiment>-<template>`, a template's service name,
// `<experiment>-<analysis>[.N]`), so the decision can tell a name taken by someone else, and
// objects a create collided with that the caches do not hold (`foreign`).
import type { KubernetesObject } from '@kubernetes/client-node';
import type {
  AnalysisRun,
  AnalysisTemplate,
  ClusterAnalysisTemplate,
  Experiment,
  OwnerReference,
} from '../../functions/api/index.ts';
import {
  analysisRunName,
  templateReplicaSetName,
  templateServiceName,
  type ExperimentServiceView,
  type ExperimentSnapshot,
} from '../../functions/experiment/index.ts';
import { toReplicaSetView, type ReplicaSetObject } from '../rollouts/snapshot.ts';
import type { ReadableCache } from '../rollouts/fresh-view.ts';

export type ExperimentObject = Experiment & KubernetesObject;

/** core/v1 Service, the fields read here. */
export interface ServiceObject extends KubernetesObject {
  spec?: { selector?: Record<string, string> };
}

export interface ExperimentSnapshotSources {
  replicaSets: Pick<ReadableCache<ReplicaSetObject>, 'get' | 'byOwner'>;
  services: Pick<ReadableCache<ServiceObject>, 'get' | 'byOwner'>;
  analysisRuns: Pick<ReadableCache<KubernetesObject>, 'get' | 'byOwner'>;
  analysisTemplates: Pick<ReadableCache<KubernetesObject>, 'list'>;
  clusterAnalysisTemplates?: Pick<ReadableCache<KubernetesObject>, 'list'>;
  /** Objects a create collided with, by kind and name (the caches may not hold them). */
  foreign?: (kind: 'replicaSet' | 'service' | 'analysisRun', namespace: string, name: string) => KubernetesObject | undefined;
}

export interface AssembledExperimentSnapshot {
  snapshot: ExperimentSnapshot;
  /** The ReplicaSets of the snapshot, by name (their annotations are needed to patch them). */
  replicaSets: ReadonlyMap<string, ReplicaSetObject>;
}

function timestamp(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return value instanceof Date ? value.toISOString() : String(value);
}

export function toServiceView(svc: KubernetesObject): ExperimentServiceView {
  const m = svc.metadata ?? {};
  const deleting = timestamp(m.deletionTimestamp);
  return {
    name: m.name ?? '',
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.annotations ? { annotations: { ...m.annotations } } : {}),
    ...(m.ownerReferences ? { ownerReferences: m.ownerReferences.map((r) => ({ ...r }) as OwnerReference) } : {}),
    ...(deleting ? { deletionTimestamp: deleting } : {}),
  };
}

/** Up to this many `<experiment>-<analysis>.N` names are looked up per analysis. */
const RUN_NAME_ATTEMPTS = 10;

export function assembleExperimentSnapshot(experiment: ExperimentObject, sources: ExperimentSnapshotSources, now: Date): AssembledExperimentSnapshot {
  const ns = experiment.metadata?.namespace ?? '';
  const uid = experiment.metadata?.uid ?? '';
  const templates = experiment.spec?.templates ?? [];

  const replicaSets = new Map<string, ReplicaSetObject>();
  for (const rs of uid ? sources.replicaSets.byOwner(uid, ns) : []) replicaSets.set(rs.metadata?.name ?? '', rs);
  for (const template of templates) {
    const name = templateReplicaSetName(experiment, template.name);
    if (replicaSets.has(name)) continue;
    const rs = sources.replicaSets.get(ns, name) ?? (sources.foreign?.('replicaSet', ns, name) as ReplicaSetObject | undefined);
    if (rs) replicaSets.set(name, rs);
  }

  const services = new Map<string, KubernetesObject>();
  for (const svc of uid ? sources.services.byOwner(uid, ns) : []) services.set(svc.metadata?.name ?? '', svc);
  for (const template of templates) {
    if (template.service === undefined) continue;
    const name = templateServiceName(experiment, template);
    if (services.has(name)) continue;
    const svc = sources.services.get(ns, name) ?? sources.foreign?.('service', ns, name);
    if (svc) services.set(name, svc);
  }

  const runs = new Map<string, KubernetesObject>();
  for (const run of uid ? sources.analysisRuns.byOwner(uid, ns) : []) runs.set(run.metadata?.name ?? '', run);
  for (const analysis of experiment.spec?.analyses ?? []) {
    for (let attempt = 0; attempt < RUN_NAME_ATTEMPTS; attempt++) {
      const name = analysisRunName(experiment, analysis.name, attempt);
      const run = runs.get(name) ?? sources.analysisRuns.get(ns, name) ?? sources.foreign?.('analysisRun', ns, name);
      if (!run) break;
      runs.set(name, run);
    }
  }

  const snapshot: ExperimentSnapshot = {
    experiment: structuredClone(experiment) as Experiment,
    replicaSets: [...replicaSets.values()].map(toReplicaSetView),
    services: [...services.values()].map(toServiceView),
    analysisRuns: [...runs.values()].map((o) => structuredClone(o) as unknown as AnalysisRun),
    analysisTemplates: sources.analysisTemplates.list(ns).map((o) => structuredClone(o) as unknown as AnalysisTemplate),
    ...(sources.clusterAnalysisTemplates
      ? { clusterAnalysisTemplates: sources.clusterAnalysisTemplates.list().map((o) => structuredClone(o) as unknown as ClusterAnalysisTemplate) }
      : {}),
    now,
  };
  return { snapshot, replicaSets };
}
