// The working state of one decision: what the snapshot showed, what this pass has planned so
// far (ReplicaSet sizes and annotations after the actions already decided), the status being
// built, and the actions, events and wake-up times collected. Strategy code reads and extends it
// through the helpers below, so that every ReplicaSet change is recorded exactly once.
import {
  DESIRED_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  type Rollout,
  type RolloutStatus,
} from '../../api/index.ts';
import { SCALE_DOWN_DEADLINE_KEYS, hasScaleDownDeadline } from '../scale-down-deadline.ts';
import type { Action, AnnotationChanges, ReplicaSetManifest, ReplicaSetView, RolloutEvent, RolloutSnapshot } from './types.ts';

/** A ReplicaSet the Rollout owns (or adopts, or creates in this pass), with its planned size. */
export interface WorkingReplicaSet {
  name: string;
  /** Its `rollouts-pod-template-hash`. */
  hash: string;
  /** Its `rollout.argoproj.io/revision` (0 when absent or unreadable), after any bump planned now. */
  revision: number;
  /** Planned spec.replicas (starts as the observed value). */
  replicas: number;
  /** The spec.replicas the snapshot showed. */
  observedReplicas: number;
  /** Planned annotations (starts as the observed ones). */
  annotations: Record<string, string>;
  statusReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  creationTimestamp?: string;
  /** Created by this decision: no pods, no status yet. */
  created: boolean;
  view?: ReplicaSetView;
}

export interface Context {
  snapshot: RolloutSnapshot;
  rollout: Rollout;
  name: string;
  now: Date;
  /** `now` as RFC 3339 with whole seconds, the way Kubernetes writes times. */
  nowText: string;
  /** spec.replicas, defaulted to 1. */
  replicas: number;
  /** The status as read. */
  prev: RolloutStatus;
  /** The status being built. */
  status: RolloutStatus;
  actions: Action[];
  events: RolloutEvent[];
  requeueAfterMs: number[];
  /** Pods to evict (spec.restartAt). */
  evictPods: string[];
  /** All ReplicaSets of the Rollout, the new one included. */
  replicaSets: WorkingReplicaSet[];
  newRS: WorkingReplicaSet;
  /** Whether the new ReplicaSet is created in this pass. */
  createdNewRS: boolean;
  /** The detail of an abort decided in this pass (controller-initiated), for the Progressing message. */
  abortMessage?: string;
  /** The user cleared the controller's pause conditions since the last pass (controllerPause with none left). */
  resumed: boolean;
  /** `resumed` as read at the start of the pass (`resumed` is consumed by the step it completes). */
  userResumed: boolean;
  /** The user retried an aborted update since the last pass (abortedAt set, abort no longer true). */
  retried: boolean;
  /** Template or steps changed since the last pass: status was reset. */
  reset: boolean;
}

export function requeueIn(ctx: Context, ms: number): void {
  ctx.requeueAfterMs.push(Math.max(0, Math.ceil(ms)));
}

export function recordEvent(ctx: Context, reason: string, message: string, type: RolloutEvent['type'] = 'Normal'): void {
  ctx.events.push({ type, reason, message });
}

export function findByHash(ctx: Context, hash: string | undefined): WorkingReplicaSet | undefined {
  if (!hash) return undefined;
  return ctx.replicaSets.find((rs) => rs.hash === hash);
}

/** The ReplicaSet status.stableRS names, if it exists. */
export function stableReplicaSet(ctx: Context): WorkingReplicaSet | undefined {
  return findByHash(ctx, ctx.status.stableRS);
}

/** Every ReplicaSet but the new one and the stable one. */
export function otherReplicaSets(ctx: Context, keep: ReadonlyArray<string | undefined> = []): WorkingReplicaSet[] {
  const kept = new Set([ctx.newRS.hash, ctx.status.stableRS, ...keep].filter((h): h is string => !!h));
  return ctx.replicaSets.filter((rs) => !kept.has(rs.hash));
}

function createAction(ctx: Context, rs: WorkingReplicaSet): ReplicaSetManifest | undefined {
  for (const action of ctx.actions) {
    if (action.kind === 'createReplicaSet' && action.replicaSet.metadata.name === rs.name) return action.replicaSet;
  }
  return undefined;
}

/** Drops changes that would not change anything. */
function effectiveChanges(current: Readonly<Record<string, string>>, changes: AnnotationChanges): AnnotationChanges {
  const set = Object.fromEntries(Object.entries(changes.set ?? {}).filter(([key, value]) => current[key] !== value));
  const remove = (changes.remove ?? []).filter((key) => key in current && !(key in set));
  return {
    ...(Object.keys(set).length > 0 ? { set } : {}),
    ...(remove.length > 0 ? { remove } : {}),
  };
}

function isEmpty(changes: AnnotationChanges): boolean {
  return changes.set === undefined && changes.remove === undefined;
}

function applyChanges(target: Record<string, string>, changes: AnnotationChanges): void {
  for (const key of changes.remove ?? []) delete target[key];
  Object.assign(target, changes.set ?? {});
}

function mergeChanges(a: AnnotationChanges, b: AnnotationChanges): AnnotationChanges {
  const set = { ...(a.set ?? {}), ...(b.set ?? {}) };
  const remove = [...new Set([...(a.remove ?? []), ...(b.remove ?? [])])].filter((key) => !(key in (b.set ?? {})));
  for (const key of b.remove ?? []) delete set[key];
  return { ...(Object.keys(set).length > 0 ? { set } : {}), ...(remove.length > 0 ? { remove } : {}) };
}

/** Sets or removes annotations of a ReplicaSet, without scaling it. */
export function annotateReplicaSet(ctx: Context, rs: WorkingReplicaSet, changes: AnnotationChanges): void {
  const effective = effectiveChanges(rs.annotations, changes);
  if (isEmpty(effective)) return;
  applyChanges(rs.annotations, effective);
  const manifest = createAction(ctx, rs);
  if (manifest !== undefined) {
    applyChanges(manifest.metadata.annotations, effective);
    return;
  }
  const existing = ctx.actions.find((a) => a.kind === 'annotateReplicaSet' && a.name === rs.name);
  if (existing !== undefined && existing.kind === 'annotateReplicaSet') {
    existing.annotations = mergeChanges(existing.annotations, effective);
    return;
  }
  ctx.actions.push({ kind: 'annotateReplicaSet', name: rs.name, annotations: effective });
}

export interface ScaleOptions {
  /** Further annotation changes to make with the scale. */
  annotations?: AnnotationChanges;
  /** Keep a scale-down deadline when scaling to 0 (an abort delay is still running elsewhere). */
  keepDeadline?: boolean;
}

/**
 * Plans spec.replicas for a ReplicaSet (and stamps `rollout.argoproj.io/desired-replicas` with
 * the Rollout's spec.replicas, as Argo does on every scale). Returns whether the replica count
 * changes. A ReplicaSet created in this pass is simply created at that size.
 */
export function scaleReplicaSet(ctx: Context, rs: WorkingReplicaSet, replicas: number, options: ScaleOptions = {}): boolean {
  let changes: AnnotationChanges = { set: { [DESIRED_REPLICAS_ANNOTATION]: String(ctx.replicas) } };
  if (replicas === 0 && !options.keepDeadline && hasScaleDownDeadline(rs.annotations)) {
    changes = mergeChanges(changes, { remove: [...SCALE_DOWN_DEADLINE_KEYS] });
  }
  if (options.annotations !== undefined) changes = mergeChanges(changes, options.annotations);
  const effective = effectiveChanges(rs.annotations, changes);
  const from = rs.replicas;
  if (from === replicas && isEmpty(effective)) return false;

  applyChanges(rs.annotations, effective);
  rs.replicas = replicas;
  const manifest = createAction(ctx, rs);
  if (manifest !== undefined) {
    manifest.spec.replicas = replicas;
    applyChanges(manifest.metadata.annotations, effective);
  } else {
    const existing = ctx.actions.find((a) => a.kind === 'scaleReplicaSet' && a.name === rs.name);
    if (existing !== undefined && existing.kind === 'scaleReplicaSet') {
      existing.replicas = replicas;
      existing.annotations = mergeChanges(existing.annotations, effective);
    } else {
      ctx.actions.push({ kind: 'scaleReplicaSet', name: rs.name, from: rs.observedReplicas, replicas, annotations: effective });
    }
  }
  if (from !== replicas) {
    const direction = replicas > from ? 'up' : 'down';
    recordEvent(ctx, 'ScalingReplicaSet', `Scaled ${direction} ReplicaSet ${rs.name} (revision ${rs.revision}) from ${from} to ${replicas}`);
  }
  return from !== replicas;
}

/** Reads `rollout.argoproj.io/revision`; 0 when absent or not a number. */
export function revisionOf(annotations: Readonly<Record<string, string>> | undefined): number {
  const value = Number.parseInt(annotations?.[REVISION_ANNOTATION] ?? '', 10);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** Oldest first: by creation time, then revision, then name. */
export function byAge(a: WorkingReplicaSet, b: WorkingReplicaSet): number {
  const ta = a.creationTimestamp ? Date.parse(a.creationTimestamp) : Number.POSITIVE_INFINITY;
  const tb = b.creationTimestamp ? Date.parse(b.creationTimestamp) : Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.revision !== b.revision) return a.revision - b.revision;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Whether the ReplicaSet is "fully available": it wants pods and all of them are available. */
export function fullyAvailable(rs: WorkingReplicaSet | undefined): boolean {
  return rs !== undefined && !rs.created && rs.observedReplicas > 0 && rs.availableReplicas >= rs.observedReplicas;
}
