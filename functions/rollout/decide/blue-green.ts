// The blue-green strategy (reference §9): the new ReplicaSet runs beside the active one, the
// preview Service selects it at once, and the active Service is switched to it once it is
// fully up — after pre-promotion analysis and the pause (manual, or autoPromotionSeconds) —
// unless the update is fast-tracked (first deploy, full promotion, rollback to a ReplicaSet
// still up). The previous active ReplicaSet stays at full size for scaleDownDelaySeconds
// (the bare `scale-down-deadline` annotation), then goes to 0.
import {
  DESIRED_REPLICAS_ANNOTATION,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type BlueGreenStrategy,
} from '../../api/index.ts';
import { DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS, DEFAULT_SCALE_DOWN_DELAY_SECONDS } from '../../defaults/rollout-defaults.ts';
import { blueGreenNewReplicaSetReplicas } from '../blue-green-new-replicas.ts';
import { hasScaleDownDeadline, scaleDownDeadlineRemainingMs, scaleDownDeadlineValue } from '../scale-down-deadline.ts';
import {
  annotateReplicaSet,
  findByHash,
  fullyAvailable,
  requeueIn,
  scaleReplicaSet,
  stableReplicaSet,
  type Context,
  type WorkingReplicaSet,
} from './context.ts';
import {
  abortUpdate,
  addPause,
  findPause,
  isScalingEvent,
  promoteToStable,
  removePause,
  withinRollbackWindow,
} from './controls.ts';
import { cleanUpAnalysisHistory, createAnalysisRun, mirrorRun, refreshMirrors } from './analysis-runs.ts';
import { abortDetail, currentAnalysisRun, phaseOf, terminateRun, terminateRuns, isRunning } from './gates.ts';
import { cleanUpHistory, removeDeadlinesFromCurrent } from './replica-sets.ts';
import { selectedHash, switchServiceSelector } from './services.ts';


type Gate = 'passed' | 'waiting';

/**
 * Pre- or post-promotion analysis: the run is created when `mayCreate` says its moment has come
 * (pre: the new ReplicaSet is up at its preview size; post: the active Service has switched);
 * Successful passes; Failed/Error aborts; Inconclusive pauses; a user's resume from that pause
 * replaces the run with a new one.
 */
function promotionAnalysis(ctx: Context, which: 'PrePromotion' | 'PostPromotion', mayCreate: boolean): Gate {
  const blueGreen = (ctx.status.blueGreen ??= {});
  const strategy = ctx.rollout.spec.strategy?.blueGreen as BlueGreenStrategy;
  const field = which === 'PrePromotion' ? 'prePromotionAnalysisRunStatus' : 'postPromotionAnalysisRunStatus';
  const analysis = which === 'PrePromotion' ? strategy.prePromotionAnalysis : strategy.postPromotionAnalysis;
  const previous = ctx.prev.blueGreen?.[field];
  let run = currentAnalysisRun(ctx, which, blueGreen[field]);
  if (run !== undefined && phaseOf(run) === 'Inconclusive' && findPause(ctx, 'InconclusiveAnalysisRun') === undefined && ctx.resumed) {
    terminateRun(ctx, run);
    run = undefined;
    ctx.resumed = false;
  }
  if (run === undefined && analysis !== undefined && mayCreate && ctx.status.abort !== true && ctx.status.promoteFull !== true) {
    run = createAnalysisRun(ctx, analysis, { kind: which === 'PrePromotion' ? 'prePromotion' : 'postPromotion' });
  }
  if (run === undefined) {
    delete blueGreen[field];
    return 'waiting';
  }
  blueGreen[field] = mirrorRun(ctx, which, previous, run);
  const phase = phaseOf(run);
  if (phase === 'Successful') return 'passed';
  const label = which === 'PrePromotion' ? 'pre-promotion' : 'post-promotion';
  if (phase === 'Failed' || phase === 'Error') {
    abortUpdate(ctx, abortDetail(`Blue/green ${label} analysis phase`, phase, run.status?.message));
  } else if (phase === 'Inconclusive') {
    addPause(ctx, 'InconclusiveAnalysisRun');
  }
  return 'waiting';
}

/**
 * The pause before the switch (reference §9.2). Returns whether it is over. The controller
 * pauses only when autoPromotionEnabled is false (a user resumes) or autoPromotionSeconds is
 * set (it resumes itself that long after the pause began).
 */
function promotionPause(ctx: Context, blueGreen: BlueGreenStrategy): boolean {
  const autoPromotion = blueGreen.autoPromotionEnabled !== false;
  const seconds = blueGreen.autoPromotionSeconds ?? 0;
  if (autoPromotion && seconds <= 0) return true;
  if (ctx.status.blueGreen?.scaleUpPreviewCheckPoint) return true; // the pause ended earlier in this update
  const condition = findPause(ctx, 'BlueGreenPause');
  if (condition === undefined) {
    if (ctx.resumed) return true;
    addPause(ctx, 'BlueGreenPause');
    if (autoPromotion) requeueIn(ctx, seconds * 1000);
    return false;
  }
  if (autoPromotion) {
    const ends = Date.parse(condition.startTime) + seconds * 1000;
    if (ctx.now.getTime() >= ends) {
      removePause(ctx, 'BlueGreenPause');
      return true;
    }
    requeueIn(ctx, ends - ctx.now.getTime());
  }
  return false;
}

/** After an abort the new ReplicaSet is kept up for abortScaleDownDelaySeconds once the stable one is fully up (0: kept). */
function scaleDownAfterAbort(ctx: Context, blueGreen: BlueGreenStrategy): void {
  const { newRS } = ctx;
  if (newRS.hash === ctx.status.stableRS || newRS.replicas === 0) return;
  const delay = blueGreen.abortScaleDownDelaySeconds ?? DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS;
  if (delay === 0) return;
  if (hasScaleDownDeadline(newRS.annotations)) {
    const remaining = scaleDownDeadlineRemainingMs(newRS.annotations, ctx.now);
    if (remaining === undefined) scaleReplicaSet(ctx, newRS, 0);
    else requeueIn(ctx, remaining);
    return;
  }
  const stable = stableReplicaSet(ctx);
  if (stable !== undefined && fullyAvailable(stable) && stable.availableReplicas >= ctx.replicas) {
    annotateReplicaSet(ctx, newRS, { set: { [SCALE_DOWN_DEADLINE_ANNOTATION]: scaleDownDeadlineValue(ctx.now, delay) } });
    requeueIn(ctx, delay * 1000);
  }
}

/**
 * ReplicaSets no Service and no status field refers to any more (reference §9.4): each keeps
 * its pods until its scale-down deadline, set now + scaleDownDelaySeconds the first time it is
 * seen so; beyond scaleDownDelayRevisionLimit (newest first) they go at once. Nothing is
 * scaled down until the active ReplicaSet is fully available.
 */
function scaleDownOldReplicaSets(ctx: Context, blueGreen: BlueGreenStrategy, keep: ReadonlyArray<string | undefined>): void {
  const active = findByHash(ctx, keep[0]);
  if (active === undefined || active.created || active.availableReplicas < ctx.replicas) return;
  if (findPause(ctx, 'InconclusiveAnalysisRun') !== undefined) return;
  const kept = new Set([ctx.newRS.hash, ctx.status.stableRS, ...keep].filter((h): h is string => !!h));
  const old = ctx.replicaSets.filter((rs) => !kept.has(rs.hash) && rs.replicas > 0).sort((a, b) => b.revision - a.revision);
  const delay = blueGreen.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_SECONDS;
  const limit = blueGreen.scaleDownDelayRevisionLimit;
  old.forEach((rs, i) => {
    if ((limit !== undefined && i >= limit) || delay === 0) {
      scaleReplicaSet(ctx, rs, 0);
      return;
    }
    if (!hasScaleDownDeadline(rs.annotations)) {
      annotateReplicaSet(ctx, rs, { set: { [SCALE_DOWN_DEADLINE_ANNOTATION]: scaleDownDeadlineValue(ctx.now, delay) } });
      requeueIn(ctx, delay * 1000);
      return;
    }
    const remaining = scaleDownDeadlineRemainingMs(rs.annotations, ctx.now);
    if (remaining === undefined) scaleReplicaSet(ctx, rs, 0);
    else requeueIn(ctx, remaining);
  });
}

/** spec = available = desired-replicas annotation = spec.replicas. */
function saturated(ctx: Context, rs: WorkingReplicaSet): boolean {
  return (
    !rs.created &&
    rs.observedReplicas === ctx.replicas &&
    rs.availableReplicas >= ctx.replicas &&
    rs.annotations[DESIRED_REPLICAS_ANNOTATION] === String(ctx.replicas)
  );
}

export function decideBlueGreen(ctx: Context): void {
  const blueGreen = ctx.rollout.spec.strategy?.blueGreen as BlueGreenStrategy;
  const status = ctx.status;
  const bgStatus = (status.blueGreen ??= {});
  const { newRS } = ctx;
  const paused = ctx.rollout.spec.paused === true;
  let activeHash = selectedHash(ctx, blueGreen.activeService);
  let previewHash = blueGreen.previewService ? selectedHash(ctx, blueGreen.previewService) : undefined;

  // Read before deadlines are removed: the new ReplicaSet is an old active still inside its delay.
  // Not after a retry: then the deadline is the abort's own (abortScaleDownDelaySeconds) on the
  // ReplicaSet that was already current, and the update must go through analysis and pause again.
  const stillUp =
    !newRS.created &&
    status.abort !== true &&
    ctx.prev.currentPodHash !== newRS.hash &&
    scaleDownDeadlineRemainingMs(newRS.annotations, ctx.now) !== undefined;
  const rollbackWindow = withinRollbackWindow(ctx);
  const fastRollback = stillUp || rollbackWindow;

  if (!status.stableRS) promoteToStable(ctx, 'Initial deploy');
  const aborted = () => status.abort === true;
  if (aborted()) terminateRuns(ctx);
  const inconclusive = () => findPause(ctx, 'InconclusiveAnalysisRun') !== undefined;

  if (blueGreen.previewService && !paused && !inconclusive()) {
    previewHash = switchServiceSelector(ctx, blueGreen.previewService, newRS, { ignoreAvailability: true });
  }
  removeDeadlinesFromCurrent(ctx, aborted());

  const fastTracked =
    fastRollback || status.promoteFull === true || !activeHash || activeHash === newRS.hash || newRS.hash === status.stableRS;
  if (status.promoteFull) terminateRuns(ctx, (object) => !isRunning(phaseOf(object)));

  const newSize = (): number =>
    blueGreenNewReplicaSetReplicas({
      replicas: ctx.replicas,
      ...(blueGreen.previewReplicaCount !== undefined ? { previewReplicaCount: blueGreen.previewReplicaCount } : {}),
      newRSHash: newRS.hash,
      ...(activeHash !== undefined && findByHash(ctx, activeHash) !== undefined ? { activeRSHash: activeHash } : {}),
      ...(ctx.prev.currentPodHash !== undefined ? { currentPodHash: ctx.prev.currentPodHash } : {}),
      paused,
      hasPauseConditions: (status.pauseConditions ?? []).length > 0,
      scaleUpPreviewCheckPoint: bgStatus.scaleUpPreviewCheckPoint === true,
      promoteFull: status.promoteFull === true,
    });

  // Pre-promotion analysis starts once the new ReplicaSet is up at the size it has before the switch.
  const upForPreview = (): boolean => {
    const size = newSize();
    return !newRS.created && newRS.replicas === size && newRS.availableReplicas >= size;
  };
  let preAnalysis: Gate = 'passed';
  if (!aborted() && !fastTracked && blueGreen.prePromotionAnalysis !== undefined && !status.promoteFull) {
    preAnalysis = promotionAnalysis(ctx, 'PrePromotion', upForPreview());
  }

  let pauseOver = false;
  if (fastTracked) {
    removePause(ctx, 'BlueGreenPause');
  } else if (!aborted() && !paused && preAnalysis === 'passed') {
    if (upForPreview()) {
      pauseOver = promotionPause(ctx, blueGreen);
      if (pauseOver && blueGreen.previewReplicaCount !== undefined && !bgStatus.scaleUpPreviewCheckPoint) {
        bgStatus.scaleUpPreviewCheckPoint = true;
      }
    }
  }

  const halted = paused || inconclusive();
  if (aborted()) scaleDownAfterAbort(ctx, blueGreen);
  else if (!halted || isScalingEvent(ctx)) scaleReplicaSet(ctx, newRS, newSize());
  const stable = stableReplicaSet(ctx);
  if (stable !== undefined && stable !== newRS && (!halted || isScalingEvent(ctx))) scaleReplicaSet(ctx, stable, ctx.replicas);

  if (aborted()) {
    if (stable !== undefined && activeHash !== stable.hash) activeHash = switchServiceSelector(ctx, blueGreen.activeService, stable);
  } else if (!paused && activeHash !== newRS.hash && saturated(ctx, newRS) && (fastTracked || (pauseOver && preAnalysis === 'passed'))) {
    activeHash = switchServiceSelector(ctx, blueGreen.activeService, newRS);
  }

  if (!aborted() && activeHash === newRS.hash && status.stableRS !== newRS.hash) {
    let reason: string | undefined;
    if (status.promoteFull) reason = 'Full promotion requested';
    else if (rollbackWindow) reason = 'Rollback within window';
    else if (stillUp) reason = 'Fast rollback';
    else if (blueGreen.postPromotionAnalysis === undefined || promotionAnalysis(ctx, 'PostPromotion', true) === 'passed') {
      reason = 'Completed blue-green update';
    }
    if (reason !== undefined) {
      promoteToStable(ctx, reason);
      delete bgStatus.scaleUpPreviewCheckPoint;
      terminateRuns(ctx, (object) => !isRunning(phaseOf(object)));
    }
  }

  scaleDownOldReplicaSets(ctx, blueGreen, [activeHash, previewHash]);
  cleanUpHistory(ctx, [activeHash, previewHash]);
  refreshMirrors(ctx);
  cleanUpAnalysisHistory(ctx);
  if (activeHash !== undefined) bgStatus.activeSelector = activeHash;
  else delete bgStatus.activeSelector;
  if (previewHash !== undefined) bgStatus.previewSelector = previewHash;
  else delete bgStatus.previewSelector;
}
