// ReplicaSet bookkeeping common to both strategies (reference §6 step 3, §7): which
// ReplicaSets belong to the Rollout (adopting orphans), which one runs the current template
// (creating it when none does), revisions, and the history cleanup.
import {
  ARGO_API_VERSION,
  DESIRED_REPLICAS_ANNOTATION,
  NOTIFIED_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  type OwnerReference,
  type Rollout,
} from '../../api/index.ts';
import { workloadSelectorMatches } from '../../selectors/index.ts';
import { hasScaleDownDeadline, SCALE_DOWN_DEADLINE_KEYS } from '../scale-down-deadline.ts';
import {
  annotateReplicaSet,
  byAge,
  recordEvent,
  revisionOf,
  type Context,
  type WorkingReplicaSet,
} from './context.ts';
import { podTemplateHash } from './hashing.ts';
import { podTemplatesEqual } from './template-equality.ts';
import type { ReplicaSetManifest, ReplicaSetView, RolloutSnapshot } from './types.ts';

/** Rollout annotations never copied onto its ReplicaSets. */
const NOT_COPIED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  NOTIFIED_ANNOTATION,
]);

export function rolloutOwnerReference(rollout: Rollout): OwnerReference {
  return {
    apiVersion: rollout.apiVersion ?? ARGO_API_VERSION,
    kind: 'Rollout',
    name: rollout.metadata?.name ?? '',
    uid: rollout.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(rs: ReplicaSetView, rollout: Rollout): boolean | undefined {
  const controllerRef = rs.ownerReferences?.find((ref) => ref.controller === true);
  if (controllerRef === undefined) return undefined; // an orphan
  if (controllerRef.kind !== 'Rollout') return false;
  const uid = rollout.metadata?.uid;
  return uid ? controllerRef.uid === uid : controllerRef.name === rollout.metadata?.name;
}

export interface Claimed {
  owned: ReplicaSetView[];
  adopted: ReplicaSetView[];
}

/**
 * The Rollout's ReplicaSets: those whose controller reference is this Rollout, plus orphans
 * that carry the pod-template-hash label and match the selector (adopted, as Argo's
 * ControllerRef manager does; ReplicaSets without the label — e.g. a Deployment's — are never
 * taken). ReplicaSets being deleted are left alone.
 */
export function claimReplicaSets(snapshot: RolloutSnapshot): Claimed {
  const { rollout } = snapshot;
  const owned: ReplicaSetView[] = [];
  const adopted: ReplicaSetView[] = [];
  for (const rs of snapshot.replicaSets) {
    if (rs.deletionTimestamp !== undefined) continue;
    const owner = ownedBy(rs, rollout);
    if (owner === true) owned.push(rs);
    else if (owner === undefined && rs.labels?.[POD_TEMPLATE_HASH_LABEL] !== undefined && workloadSelectorMatches(rollout.spec.selector, rs.labels)) {
      adopted.push(rs);
    }
  }
  return { owned, adopted };
}

function hashOf(rs: ReplicaSetView, rolloutName: string): string {
  const label = rs.labels?.[POD_TEMPLATE_HASH_LABEL];
  if (label) return label;
  return rs.name.startsWith(`${rolloutName}-`) ? rs.name.slice(rolloutName.length + 1) : rs.name;
}

export function workingReplicaSet(rs: ReplicaSetView, rolloutName: string): WorkingReplicaSet {
  return {
    name: rs.name,
    hash: hashOf(rs, rolloutName),
    revision: revisionOf(rs.annotations),
    replicas: rs.replicas,
    observedReplicas: rs.replicas,
    annotations: { ...(rs.annotations ?? {}) },
    statusReplicas: rs.status.replicas,
    readyReplicas: rs.status.readyReplicas,
    availableReplicas: rs.status.availableReplicas,
    ...(rs.creationTimestamp !== undefined ? { creationTimestamp: rs.creationTimestamp } : {}),
    created: false,
    view: rs,
  };
}

export interface NewReplicaSetChoice {
  /** The existing ReplicaSet running the current template, if any. */
  existing?: ReplicaSetView;
  /** The hash of the current template: the existing RS's label, or the hash for a new RS. */
  hash: string;
  /** status.collisionCount to record (raised when the computed name was taken by another template). */
  collisionCount?: number;
}

/**
 * The ReplicaSet that runs the Rollout's template: an owned ReplicaSet whose template equals
 * it (the one named after the computed hash first, else the oldest) — it keeps its own hash,
 * so ReplicaSets created by Argo Rollouts are taken over without restarting pods. Without one,
 * the hash of a ReplicaSet to create; if a ReplicaSet with that name exists and runs something
 * else, the collision count is raised until the name is free.
 */
export function chooseNewReplicaSet(snapshot: RolloutSnapshot, owned: readonly ReplicaSetView[]): NewReplicaSetChoice {
  const { rollout } = snapshot;
  const name = rollout.metadata?.name ?? '';
  const template = rollout.spec.template;
  const collisionCount = rollout.status?.collisionCount;
  const computed = podTemplateHash(template, collisionCount);
  const equal = owned.filter((rs) => podTemplatesEqual(template, rs.template, rs.annotations));
  if (equal.length > 0) {
    const named = equal.find((rs) => rs.name === `${name}-${computed}`);
    const chosen =
      named ??
      [...equal].sort((a, b) => byAge(workingReplicaSet(a, name), workingReplicaSet(b, name)))[0] ??
      (equal[0] as ReplicaSetView);
    return { existing: chosen, hash: hashOf(chosen, name), ...(collisionCount !== undefined ? { collisionCount } : {}) };
  }
  const taken = new Set(snapshot.replicaSets.map((rs) => rs.name));
  let count = collisionCount;
  let hash = computed;
  for (let attempt = 0; taken.has(`${name}-${hash}`) && attempt < 1000; attempt++) {
    count = (count ?? 0) + 1;
    hash = podTemplateHash(template, count);
  }
  return { hash, ...(count !== undefined ? { collisionCount: count } : {}) };
}

/** The full manifest of the ReplicaSet to create for the current template (reference §7.1). */
export function replicaSetManifest(rollout: Rollout, hash: string, revision: number, replicas: number): ReplicaSetManifest {
  const name = rollout.metadata?.name ?? '';
  const template = structuredClone(rollout.spec.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = { ...(template.metadata ?? {}), labels: { ...labels } };
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(rollout.metadata?.annotations ?? {})) {
    if (!NOT_COPIED_ANNOTATIONS.has(key)) annotations[key] = value;
  }
  annotations[REVISION_ANNOTATION] = String(revision);
  annotations[DESIRED_REPLICAS_ANNOTATION] = String(rollout.spec.replicas ?? 1);
  const selector = structuredClone(rollout.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-${hash}`,
      ...(rollout.metadata?.namespace !== undefined ? { namespace: rollout.metadata.namespace } : {}),
      labels,
      annotations,
      ownerReferences: [rolloutOwnerReference(rollout)],
    },
    spec: {
      replicas,
      ...(rollout.spec.minReadySeconds !== undefined ? { minReadySeconds: rollout.spec.minReadySeconds } : {}),
      selector,
      template,
    },
  };
}

/**
 * Revision bookkeeping (reference §7.2): an existing new ReplicaSet older than the newest
 * other revision (a rollback) gets max+1 and remembers its old revision in
 * `rollout.argoproj.io/revision-history`; the Rollout's own revision annotation mirrors the new
 * ReplicaSet's.
 */
export function syncRevisions(ctx: Context): void {
  const rs = ctx.newRS;
  const maxOther = Math.max(0, ...ctx.replicaSets.filter((other) => other !== rs).map((other) => other.revision));
  if (!rs.created && rs.revision <= maxOther) {
    const next = maxOther + 1;
    const history = rs.revision > 0 ? [rs.annotations[REVISION_HISTORY_ANNOTATION], String(rs.revision)].filter(Boolean).join(',') : undefined;
    annotateReplicaSet(ctx, rs, {
      set: { [REVISION_ANNOTATION]: String(next), ...(history !== undefined ? { [REVISION_HISTORY_ANNOTATION]: history } : {}) },
    });
    rs.revision = next;
  }
  const current = ctx.rollout.metadata?.annotations?.[REVISION_ANNOTATION];
  if (current !== String(rs.revision)) {
    ctx.actions.push({ kind: 'annotateRollout', annotations: { set: { [REVISION_ANNOTATION]: String(rs.revision) } } });
    recordEvent(ctx, 'RolloutUpdated', `Rollout updated to revision ${rs.revision}`);
  }
}

/**
 * The new and the stable ReplicaSet never carry a scale-down deadline: moving back to a
 * ReplicaSet that was waiting to be scaled down cancels its scale-down (reference §7.5). The new
 * ReplicaSet keeps its deadline while an abort delay runs.
 */
export function removeDeadlinesFromCurrent(ctx: Context, keepOnNew: boolean): void {
  const targets = [keepOnNew ? undefined : ctx.newRS, ctx.replicaSets.find((rs) => rs.hash === ctx.status.stableRS)];
  for (const rs of targets) {
    if (rs !== undefined && hasScaleDownDeadline(rs.annotations)) {
      annotateReplicaSet(ctx, rs, { remove: [...SCALE_DOWN_DEADLINE_KEYS] });
    }
  }
}

/**
 * Revision history cleanup (reference §7.6): beyond revisionHistoryLimit (default 10), the
 * oldest ReplicaSets that are neither new, stable nor selected by a Service are deleted once
 * they have no pods and their ReplicaSet controller has seen that.
 */
export function cleanUpHistory(ctx: Context, inUse: ReadonlyArray<string | undefined>): void {
  const limit = ctx.rollout.spec.revisionHistoryLimit ?? 10;
  const keep = new Set([ctx.newRS.hash, ctx.status.stableRS, ...inUse].filter((h): h is string => !!h));
  const old = ctx.replicaSets.filter((rs) => !keep.has(rs.hash) && !rs.created).sort(byAge);
  let excess = old.length - limit;
  for (const rs of old) {
    if (excess <= 0) break;
    const view = rs.view;
    const observed =
      view === undefined || view.generation === undefined || view.status.observedGeneration === undefined || view.status.observedGeneration >= view.generation;
    if (rs.replicas !== 0 || rs.observedReplicas !== 0 || rs.statusReplicas !== 0 || !observed) continue;
    ctx.actions.push({ kind: 'deleteReplicaSet', name: rs.name, ...(view?.uid !== undefined ? { uid: view.uid } : {}) });
    ctx.replicaSets = ctx.replicaSets.filter((other) => other !== rs);
    excess--;
  }
}
