// The status written at the end of every pass (reference §3): replica counts, the selector
// for the scale subresource, the progress deadline, conditions and phase.
import type { RolloutStatus } from '../../api/index.ts';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS } from '../../defaults/rollout-defaults.ts';
import { formatSelector } from '../../selectors/index.ts';
import { hasScaleDownDeadline } from '../scale-down-deadline.ts';
import { atIndefiniteStep } from './canary.ts';
import { getCondition, MESSAGE, REASON, removeCondition, setCondition, type ConditionValue } from './conditions.ts';
import { findByHash, recordEvent, requeueIn, type Context, type WorkingReplicaSet } from './context.ts';
import { abortUpdate, fullyPromoted } from './controls.ts';
import { rolloutCompleted, rolloutHealthy, rolloutPhase } from './phase.ts';
import { POD_TEMPLATE_HASH_LABEL } from '../../api/index.ts';


function sum(replicaSets: readonly WorkingReplicaSet[], pick: (rs: WorkingReplicaSet) => number): number {
  return replicaSets.reduce((total, rs) => total + pick(rs), 0);
}

/** replicas, updatedReplicas, readyReplicas, availableReplicas, HPAReplicas, selector (reference §3). */
function writeCounts(ctx: Context): void {
  const status = ctx.status;
  const all = ctx.replicaSets;
  status.replicas = sum(all, (rs) => rs.statusReplicas);
  status.updatedReplicas = ctx.newRS.statusReplicas;
  const selector = ctx.rollout.spec.selector;
  if (ctx.rollout.spec.strategy?.blueGreen !== undefined) {
    const active = findByHash(ctx, status.blueGreen?.activeSelector);
    status.readyReplicas = active?.readyReplicas ?? sum(all, (rs) => rs.readyReplicas);
    status.availableReplicas = active?.availableReplicas ?? sum(all, (rs) => rs.availableReplicas);
    status.HPAReplicas = active?.statusReplicas ?? status.replicas;
    status.selector = active !== undefined ? formatSelector(selector, { [POD_TEMPLATE_HASH_LABEL]: active.hash }) : formatSelector(selector);
  } else {
    status.readyReplicas = sum(all, (rs) => rs.readyReplicas);
    status.availableReplicas = sum(all, (rs) => rs.availableReplicas);
    status.HPAReplicas = status.replicas;
    status.selector = formatSelector(selector);
  }
}

/** Argo's RolloutProgressing: something moved since the last status. */
function madeProgress(prev: RolloutStatus, next: RolloutStatus): boolean {
  const n = (value: number | undefined): number => value ?? 0;
  if (n(prev.updatedReplicas) !== n(next.updatedReplicas)) return true;
  if (n(next.replicas) - n(next.updatedReplicas) < n(prev.replicas) - n(prev.updatedReplicas)) return true;
  if (n(next.readyReplicas) > n(prev.readyReplicas)) return true;
  if (n(next.availableReplicas) > n(prev.availableReplicas)) return true;
  if (prev.blueGreen?.activeSelector !== next.blueGreen?.activeSelector) return true;
  if (prev.blueGreen?.previewSelector !== next.blueGreen?.previewSelector) return true;
  if (prev.stableRS !== next.stableRS) return true;
  if (prev.currentStepIndex !== next.currentStepIndex) return true;
  return prev.currentStepHash !== next.currentStepHash;
}

function isPaused(ctx: Context): boolean {
  return ctx.rollout.spec.paused === true || (ctx.status.pauseConditions ?? []).length > 0;
}

export function finalizeStatus(ctx: Context): void {
  const status = ctx.status;
  const rollout = ctx.rollout;
  const generation = rollout.metadata?.generation;
  if (generation !== undefined) status.observedGeneration = String(generation);
  status.currentPodHash = ctx.newRS.hash;
  status.canary ??= {};
  status.blueGreen ??= {};
  writeCounts(ctx);

  // Progress deadline (reference §9.10): only while an update is in flight and nothing waits on purpose.
  const prevProgressing = getCondition(status.conditions, 'Progressing');
  const progress = madeProgress(ctx.prev, status);
  const healthy = rolloutHealthy(rollout, status);
  const deadlineSeconds = rollout.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  const waitingOnPurpose =
    (rollout.spec.strategy?.canary !== undefined && atIndefiniteStep(ctx)) ||
    ctx.replicaSets.some((rs) => rs !== ctx.newRS && hasScaleDownDeadline(rs.annotations));
  const deadlineApplies =
    status.abort !== true &&
    !isPaused(ctx) &&
    !healthy &&
    !waitingOnPurpose &&
    prevProgressing !== undefined &&
    prevProgressing.reason !== REASON.rolloutAborted &&
    prevProgressing.reason !== REASON.rolloutPaused;
  let timedOut = false;
  if (deadlineApplies && !progress && !ctx.createdNewRS) {
    const deadline = Date.parse(prevProgressing.lastUpdateTime) + deadlineSeconds * 1000;
    timedOut = ctx.now.getTime() > deadline;
    if (!timedOut) requeueIn(ctx, deadline - ctx.now.getTime() + 1);
  } else if (status.abort !== true && !isPaused(ctx) && !healthy && !waitingOnPurpose) {
    requeueIn(ctx, deadlineSeconds * 1000 + 1);
  }
  if (timedOut && rollout.spec.progressDeadlineAbort && !fullyPromoted(ctx) && prevProgressing?.reason !== REASON.progressDeadlineExceeded) {
    abortUpdate(ctx, MESSAGE.timedOut(ctx.newRS.name));
  }

  // Pause bookkeeping: controllerPause only while the controller's pause conditions remain.
  if ((status.pauseConditions ?? []).length === 0) {
    delete status.pauseConditions;
    delete status.controllerPause;
    const wasPaused = (ctx.prev.pauseConditions ?? []).length > 0 || ctx.userResumed;
    if (wasPaused && status.abort !== true) recordEvent(ctx, 'RolloutResumed', MESSAGE.resumed);
  } else {
    status.controllerPause = true;
  }

  const now = ctx.nowText;
  let conditions = removeCondition(status.conditions ?? [], 'InvalidSpec');
  const paused = isPaused(ctx);
  const rsName = ctx.newRS.name;
  const prevReason = prevProgressing?.reason;

  let progressing: ConditionValue | undefined;
  let refresh = false;
  const value = (status_: ConditionValue['status'], reason: string, message: string): ConditionValue => ({
    type: 'Progressing',
    status: status_,
    reason,
    message,
  });
  if (status.abort === true) {
    progressing = value('False', REASON.rolloutAborted, MESSAGE.aborted(ctx.newRS.revision, ctx.abortMessage));
  } else if (paused) {
    progressing = value('Unknown', REASON.rolloutPaused, MESSAGE.paused);
  } else if (healthy) {
    progressing = value('True', REASON.newReplicaSetAvailable, MESSAGE.progressed(rsName));
  } else if (ctx.retried) {
    progressing = value('Unknown', REASON.rolloutRetry, MESSAGE.retry);
  } else if (prevReason === REASON.rolloutPaused) {
    progressing = value('Unknown', REASON.rolloutResumed, MESSAGE.resumed);
  } else if (ctx.createdNewRS) {
    progressing = value('True', REASON.newReplicaSetCreated, MESSAGE.created(rsName));
    refresh = true;
  } else if (progress) {
    progressing = value('True', REASON.replicaSetUpdated, MESSAGE.progressing(rsName));
    refresh = true;
  } else if (timedOut || prevReason === REASON.progressDeadlineExceeded) {
    progressing = value('False', REASON.progressDeadlineExceeded, MESSAGE.timedOut(rsName));
  } else if (fullyPromoted(ctx) && (prevReason === REASON.newReplicaSetAvailable || prevReason === REASON.replicaSetNotAvailable)) {
    progressing = value('True', REASON.replicaSetNotAvailable, MESSAGE.notAvailable);
  } else if (prevProgressing === undefined || prevReason === REASON.rolloutAborted || prevReason === REASON.newReplicaSetAvailable) {
    progressing = value('True', REASON.replicaSetUpdated, MESSAGE.progressing(rsName));
  }
  if (progressing !== undefined) conditions = setCondition(conditions, progressing, now, refresh);

  const available =
    rollout.spec.strategy?.blueGreen !== undefined
      ? (() => {
          const active = findByHash(ctx, status.blueGreen?.activeSelector);
          return active !== undefined && !active.created && active.observedReplicas >= ctx.replicas && active.availableReplicas >= ctx.replicas;
        })()
      : (status.availableReplicas ?? 0) >= ctx.replicas;
  conditions = setCondition(
    conditions,
    {
      type: 'Available',
      status: available ? 'True' : 'False',
      reason: REASON.available,
      message: available ? MESSAGE.available : MESSAGE.notAvailable,
    },
    now,
  );
  if (paused || getCondition(conditions, 'Paused') !== undefined) {
    conditions = setCondition(
      conditions,
      { type: 'Paused', status: paused ? 'True' : 'False', reason: REASON.rolloutPaused, message: MESSAGE.paused },
      now,
    );
  }
  const isHealthy = healthy && !paused && status.abort !== true;
  conditions = setCondition(
    conditions,
    {
      type: 'Healthy',
      status: isHealthy ? 'True' : 'False',
      reason: REASON.rolloutHealthy,
      message: isHealthy ? MESSAGE.healthy : MESSAGE.notHealthy,
    },
    now,
  );
  const completed = rolloutCompleted(status);
  conditions = setCondition(
    conditions,
    { type: 'Completed', status: completed ? 'True' : 'False', reason: REASON.rolloutCompleted, message: REASON.rolloutCompleted },
    now,
  );
  status.conditions = conditions;

  const { phase, message } = rolloutPhase(rollout.spec, status);
  status.phase = phase;
  if (message) status.message = message;
  else delete status.message;
}
