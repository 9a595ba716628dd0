// The user- and controller-facing switches of an update, common to both strategies:
// pause conditions (status.pauseConditions / controllerPause), abort and retry
// (status.abort / abortedAt), full promotion (status.promoteFull), and rollbacks that skip
// the ceremony (reference §3, §8.10, §9.6, §9.7).
import { DESIRED_REPLICAS_ANNOTATION, type PauseReason } from '../../api/index.ts';
import { MESSAGE } from './conditions.ts';
import { findByHash, recordEvent, stableReplicaSet, type Context } from './context.ts';

export function findPause(ctx: Context, reason: PauseReason) {
  return ctx.status.pauseConditions?.find((c) => c.reason === reason);
}

export function addPause(ctx: Context, reason: PauseReason): void {
  if (findPause(ctx, reason) !== undefined) return;
  ctx.status.pauseConditions = [...(ctx.status.pauseConditions ?? []), { reason, startTime: ctx.nowText }];
  ctx.status.controllerPause = true;
  recordEvent(ctx, 'RolloutPaused', `Rollout is paused (${reason})`);
}

export function removePause(ctx: Context, reason: PauseReason): void {
  const remaining = (ctx.status.pauseConditions ?? []).filter((c) => c.reason !== reason);
  if (remaining.length === (ctx.status.pauseConditions ?? []).length) return;
  ctx.status.pauseConditions = remaining;
}

export function fullyPromoted(ctx: Context): boolean {
  return !!ctx.status.stableRS && ctx.status.stableRS === ctx.newRS.hash;
}

/**
 * Aborts the update (controller-initiated, e.g. a failed analysis or the progress deadline):
 * status.abort with abortedAt, pause conditions cleared, steps back to the first; the detail
 * goes into the Progressing condition's message.
 */
export function abortUpdate(ctx: Context, detail: string): void {
  if (ctx.status.abort === true) return;
  ctx.status.abort = true;
  ctx.status.abortedAt = ctx.nowText;
  ctx.status.pauseConditions = [];
  if (ctx.status.currentStepIndex !== undefined) ctx.status.currentStepIndex = 0;
  ctx.abortMessage = detail;
  recordEvent(ctx, 'RolloutAborted', MESSAGE.aborted(ctx.newRS.revision, detail), 'Warning');
}

/**
 * Reads abort / retry / promoteFull as the user (or Argo CD) left them:
 * - a fully promoted rollout ignores and clears `abort` (there is nothing to abort);
 * - `abort: true` seen for the first time: abortedAt = now, pause conditions dropped, event;
 * - abortedAt set but abort no longer true: a retry — abortedAt is cleared, steps restart;
 * - promoteFull drops the pause conditions (every pause is skipped); on a fully promoted
 *   rollout it is cleared.
 */
export function readUserSwitches(ctx: Context): void {
  const status = ctx.status;
  if (fullyPromoted(ctx)) {
    delete status.abort;
    delete status.abortedAt;
    delete status.promoteFull;
    return;
  }
  if (status.abort === true) {
    if (!ctx.prev.abortedAt) {
      status.abortedAt = ctx.nowText;
      recordEvent(ctx, 'RolloutAborted', MESSAGE.aborted(ctx.newRS.revision), 'Warning');
    }
    status.pauseConditions = [];
    delete status.promoteFull;
    return;
  }
  delete status.abort;
  if (status.promoteFull === true) status.pauseConditions = []; // promote --full skips every pause
  if (status.abortedAt) {
    delete status.abortedAt;
    ctx.retried = true;
  }
}

/**
 * A rollback within spec.rollbackWindow (reference §9.7): the new ReplicaSet is older than the
 * stable one and fewer than `revisions` ReplicaSets were created between the two.
 */
export function withinRollbackWindow(ctx: Context): boolean {
  const revisions = ctx.rollout.spec.rollbackWindow?.revisions;
  if (!revisions) return false;
  const target = ctx.newRS;
  const stable = stableReplicaSet(ctx);
  if (target.created || stable === undefined || stable === target) return false;
  const from = Date.parse(target.creationTimestamp ?? '');
  const to = Date.parse(stable.creationTimestamp ?? '');
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) return false;
  const between = ctx.replicaSets.filter((rs) => {
    const at = Date.parse(rs.creationTimestamp ?? '');
    return Number.isFinite(at) && at > from && at < to;
  }).length;
  return between < revisions;
}

/**
 * A scaling event (reference §9.9): spec.replicas no longer matches the desired-replicas
 * annotation of the new or the stable ReplicaSet. Honoured even while paused.
 */
export function isScalingEvent(ctx: Context): boolean {
  return [ctx.newRS, findByHash(ctx, ctx.status.stableRS)].some((rs) => {
    const recorded = rs?.annotations[DESIRED_REPLICAS_ANNOTATION];
    return rs !== undefined && !rs.created && recorded !== undefined && recorded !== String(ctx.replicas);
  });
}

/** Records the promotion of the new ReplicaSet to stable. */
export function promoteToStable(ctx: Context, reason: string): void {
  const status = ctx.status;
  status.stableRS = ctx.newRS.hash;
  status.pauseConditions = [];
  delete status.abort;
  delete status.abortedAt;
  delete status.promoteFull;
  recordEvent(ctx, 'RolloutCompleted', `Rollout completed update to revision ${ctx.newRS.revision} (${ctx.newRS.hash}): ${reason}`);
}
