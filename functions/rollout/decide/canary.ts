// The canary strategy without a traffic router (reference §8): the pod ratio carries the
// weight. One pass: advance through the steps the snapshot shows as done, promote when the
// new ReplicaSet is fully available and nothing is left to do, then make one ReplicaSet
// change (stable first, then the new one, then older ones — as Argo does, so that each change
// is computed from what the previous one produced), then point the Services.
import { ROLLOUT_TYPE_LABEL, STEP_INDEX_LABEL, type CanaryStep, type CanaryStrategy } from '../../api/index.ts';
import { Duration } from '../../values/duration.ts';
import { canaryReplicaCounts, type CanaryReplicaCounts, type ReplicaSetCounts } from '../canary-replica-counts.ts';
import { desiredWeight } from '../desired-weight.ts';
import { olderReplicaSetsScaleDown } from '../rolling-update.ts';
import {
  byAge,
  otherReplicaSets,
  recordEvent,
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
  fullyPromoted,
  isScalingEvent,
  promoteToStable,
  removePause,
  withinRollbackWindow,
} from './controls.ts';
import { cleanUpAnalysisHistory, createAnalysisRun, mirrorRun, refreshMirrors } from './analysis-runs.ts';
import { createStepExperiment } from './experiments.ts';
import { abortDetail, currentAnalysisRun, currentStepExperiment, isRunning, phaseOf, terminateRun, terminateRuns } from './gates.ts';
import { cleanUpHistory } from './replica-sets.ts';
import { switchServiceSelector } from './services.ts';

type StepOutcome = 'done' | 'wait';

function counts(rs: WorkingReplicaSet): ReplicaSetCounts {
  return { replicas: rs.replicas, availableReplicas: rs.availableReplicas };
}

/** The stable ReplicaSet when it is not the new one. */
function distinctStable(ctx: Context): WorkingReplicaSet | undefined {
  const stable = stableReplicaSet(ctx);
  return stable === ctx.newRS ? undefined : stable;
}

/** How a step reads in events: `setWeight: 20`, `pause: 30s`, `pause`, `analysis`, `experiment`. */
export function describeStep(step: CanaryStep): string {
  if (step.setWeight !== undefined) return `setWeight: ${step.setWeight}`;
  if (step.pause !== undefined) return step.pause.duration === undefined ? 'pause' : `pause: ${step.pause.duration}`;
  if (step.analysis !== undefined) return 'analysis';
  if (step.experiment !== undefined) return 'experiment';
  return 'step';
}

/** Desired canary / stable sizes for this pass (reference §8.2, §8.3). */
function desiredCounts(ctx: Context, canary: CanaryStrategy): CanaryReplicaCounts {
  const status = ctx.status;
  const weight = desiredWeight({
    steps: canary.steps ?? [],
    currentStepIndex: status.currentStepIndex ?? 0,
    stableRS: status.stableRS,
    currentPodHash: ctx.newRS.hash,
    promoteFull: status.promoteFull === true,
    aborted: status.abort === true,
  });
  const stable = distinctStable(ctx);
  return canaryReplicaCounts({
    replicas: ctx.replicas,
    desiredWeight: weight,
    maxSurge: canary.maxSurge,
    maxUnavailable: canary.maxUnavailable,
    canary: counts(ctx.newRS),
    ...(stable !== undefined ? { stable: counts(stable) } : {}),
    older: otherReplicaSets(ctx).map(counts),
  });
}

/**
 * Whether the new ReplicaSet has enough available pods out of `wanted`: all of them, or what
 * spec.strategy.canary.replicaProgressThreshold accepts (a pod count or a percentage of `wanted`).
 */
function canaryAvailable(ctx: Context, canary: CanaryStrategy, wanted: number): boolean {
  const available = ctx.newRS.created ? 0 : ctx.newRS.availableReplicas;
  const threshold = canary.replicaProgressThreshold;
  if (threshold === undefined) return available >= wanted;
  const needed = threshold.type === 'Pods' ? Math.min(threshold.value, wanted) : Math.ceil((wanted * threshold.value) / 100);
  return available >= Math.max(0, needed);
}

/** A setWeight step is done when both ReplicaSets are at their desired sizes and older ones have no pods left. */
function atDesiredCounts(ctx: Context, canary: CanaryStrategy): boolean {
  const desired = desiredCounts(ctx, canary);
  const { newRS } = ctx;
  if (newRS.replicas !== desired.canary || !canaryAvailable(ctx, canary, desired.canary)) return false;
  const stable = distinctStable(ctx);
  if (stable !== undefined && (stable.replicas !== desired.stable || stable.statusReplicas !== desired.stable)) return false;
  return otherReplicaSets(ctx).every((rs) => rs.availableReplicas === 0);
}

function pauseStep(ctx: Context, step: CanaryStep): StepOutcome {
  const raw = step.pause?.duration;
  const durationMs = raw === undefined ? undefined : Duration.parse(raw).toMilliseconds();
  const condition = findPause(ctx, 'CanaryPauseStep');
  if (condition === undefined) {
    if (ctx.resumed) return 'done';
    if (durationMs === 0) return 'done';
    addPause(ctx, 'CanaryPauseStep');
    if (durationMs !== undefined) requeueIn(ctx, durationMs);
    return 'wait';
  }
  if (durationMs !== undefined) {
    const ends = Date.parse(condition.startTime) + durationMs;
    if (ctx.now.getTime() >= ends) return 'done';
    requeueIn(ctx, ends - ctx.now.getTime());
  }
  return 'wait';
}

/**
 * Whether the rollout may start a run or an experiment now: not aborted, not fully promoted or
 * being promoted in full, and (for steps) no pause condition holds it.
 */
function mayStart(ctx: Context, forStep: boolean): boolean {
  const status = ctx.status;
  if (status.abort === true || status.promoteFull === true || fullyPromoted(ctx)) return false;
  return !forStep || (status.pauseConditions ?? []).length === 0;
}

function analysisStep(ctx: Context, step: CanaryStep, index: number): StepOutcome {
  const canaryStatus = (ctx.status.canary ??= {});
  const previous = ctx.prev.canary?.currentStepAnalysisRunStatus;
  let run = currentAnalysisRun(ctx, 'Step', canaryStatus.currentStepAnalysisRunStatus, index);
  if (run !== undefined && phaseOf(run) === 'Inconclusive' && findPause(ctx, 'InconclusiveAnalysisRun') === undefined && ctx.resumed) {
    // Resumed after an inconclusive result: that run is done with; a new one decides the step.
    terminateRun(ctx, run);
    run = undefined;
    ctx.resumed = false;
  }
  if (run === undefined && step.analysis !== undefined && mayStart(ctx, true)) {
    run = createAnalysisRun(ctx, step.analysis, { kind: 'step', stepIndex: index });
  }
  if (run === undefined) {
    delete canaryStatus.currentStepAnalysisRunStatus;
    return 'wait';
  }
  canaryStatus.currentStepAnalysisRunStatus = mirrorRun(ctx, 'Step', previous, run);
  const phase = phaseOf(run);
  if (phase === 'Successful') return 'done';
  if (phase === 'Failed' || phase === 'Error') {
    abortUpdate(ctx, abortDetail('Step-based analysis phase', phase, run.status?.message));
  } else if (phase === 'Inconclusive') {
    addPause(ctx, 'InconclusiveAnalysisRun');
  }
  return 'wait';
}

function experimentStep(ctx: Context, step: CanaryStep, index: number): StepOutcome {
  const canaryStatus = (ctx.status.canary ??= {});
  let experiment = currentStepExperiment(ctx, index, canaryStatus.currentExperiment);
  if (
    experiment !== undefined &&
    phaseOf(experiment) === 'Inconclusive' &&
    findPause(ctx, 'InconclusiveExperiment') === undefined &&
    ctx.resumed
  ) {
    ctx.actions.push({ kind: 'terminateExperiment', name: experiment.metadata?.name ?? '' });
    experiment = undefined;
    ctx.resumed = false;
  }
  const stable = distinctStable(ctx);
  // An experiment step needs a stable ReplicaSet to copy from, and the new one to exist.
  if (experiment === undefined && step.experiment !== undefined && stable !== undefined && !ctx.newRS.created && mayStart(ctx, true)) {
    experiment = createStepExperiment(ctx, step.experiment, index, ctx.newRS, stable);
  }
  if (experiment === undefined) {
    delete canaryStatus.currentExperiment;
    return 'wait';
  }
  canaryStatus.currentExperiment = experiment.metadata?.name ?? '';
  const phase = phaseOf(experiment);
  if (phase === 'Successful') return 'done';
  if (phase === 'Failed' || phase === 'Error') {
    abortUpdate(ctx, abortDetail('Experiment analysis phase is', phase, experiment.status?.message));
  } else if (phase === 'Inconclusive') {
    addPause(ctx, 'InconclusiveExperiment');
  }
  return 'wait';
}

function stepOutcome(ctx: Context, canary: CanaryStrategy, step: CanaryStep, index: number): StepOutcome {
  if (step.setWeight !== undefined) return atDesiredCounts(ctx, canary) ? 'done' : 'wait';
  if (step.pause !== undefined) return pauseStep(ctx, step);
  if (step.analysis !== undefined) return analysisStep(ctx, step, index);
  if (step.experiment !== undefined) return experimentStep(ctx, step, index);
  return 'done'; // other kinds are refused as InvalidSpec before a decision gets here
}

/** Completes every step the snapshot shows as done (reference §8.4); stops at the first that is not. */
function advanceSteps(ctx: Context, canary: CanaryStrategy): void {
  const steps = canary.steps ?? [];
  const status = ctx.status;
  let index = status.currentStepIndex ?? 0;
  // A CanaryPauseStep left over from a step that is no longer current (the index was moved by
  // a user, e.g. Argo CD's skip-current-step) pauses nothing any more.
  if (steps[index]?.pause === undefined) removePause(ctx, 'CanaryPauseStep');
  while (index < steps.length && status.abort !== true) {
    const step = steps[index] as CanaryStep;
    if (stepOutcome(ctx, canary, step, index) !== 'done') break;
    recordEvent(ctx, 'RolloutStepCompleted', `Rollout step ${index + 1}/${steps.length} completed (${describeStep(step)})`);
    index += 1;
    status.currentStepIndex = index;
    removePause(ctx, 'CanaryPauseStep');
    const canaryStatus = (status.canary ??= {});
    delete canaryStatus.currentStepAnalysisRunStatus;
    delete canaryStatus.currentExperiment;
    ctx.resumed = false;
  }
}

/**
 * Background analysis (spec.strategy.canary.analysis): from `startingStep` on, one run for the
 * update; it never gates steps, but Failed/Error abort the update and Inconclusive pauses it.
 */
function backgroundAnalysis(ctx: Context, canary: CanaryStrategy): void {
  if (canary.analysis === undefined) return;
  const canaryStatus = (ctx.status.canary ??= {});
  if ((ctx.status.currentStepIndex ?? 0) < (canary.analysis.startingStep ?? 0)) return;
  const previous = ctx.prev.canary?.currentBackgroundAnalysisRunStatus;
  let run = currentAnalysisRun(ctx, 'Background', canaryStatus.currentBackgroundAnalysisRunStatus);
  if (run !== undefined && phaseOf(run) === 'Inconclusive' && findPause(ctx, 'InconclusiveAnalysisRun') === undefined && ctx.userResumed) {
    terminateRun(ctx, run);
    run = undefined;
  }
  if (run === undefined && mayStart(ctx, false)) run = createAnalysisRun(ctx, canary.analysis, { kind: 'background' });
  if (run === undefined) {
    delete canaryStatus.currentBackgroundAnalysisRunStatus;
    return;
  }
  canaryStatus.currentBackgroundAnalysisRunStatus = mirrorRun(ctx, 'Background', previous, run);
  const phase = phaseOf(run);
  if (phase === 'Failed' || phase === 'Error') {
    abortUpdate(ctx, abortDetail('Background analysis phase', phase, run.status?.message));
  } else if (phase === 'Inconclusive') {
    addPause(ctx, 'InconclusiveAnalysisRun');
  }
}

/** Step runs and experiments of other steps that are still running are terminated (reference §11.6, §12.4). */
function terminateOtherStepRuns(ctx: Context): void {
  const current = String(ctx.status.currentStepIndex ?? 0);
  terminateRuns(ctx, (object) => {
    if (!isRunning(phaseOf(object))) return true;
    if ('templates' in object.spec) {
      return ctx.status.canary?.currentExperiment === object.metadata?.name;
    }
    const labels = object.metadata?.labels ?? {};
    return labels[ROLLOUT_TYPE_LABEL] !== 'Step' || labels[STEP_INDEX_LABEL] === current;
  });
}

function promotionReason(ctx: Context, canary: CanaryStrategy): string | undefined {
  const steps = canary.steps ?? [];
  if (ctx.status.promoteFull) return 'Full promotion requested';
  if ((ctx.status.currentStepIndex ?? 0) < steps.length) return undefined;
  // A rollback within the window had its steps skipped when the template changed.
  return steps.length > 0 && withinRollbackWindow(ctx) ? 'Rollback within window' : `Completed all ${steps.length} canary steps`;
}

/** One ReplicaSet change per pass: stable first, then the new one, then older ones (reference §8.1 step 5). */
function scaleReplicaSets(ctx: Context, canary: CanaryStrategy): void {
  const desired = desiredCounts(ctx, canary);
  const stable = distinctStable(ctx);
  if (stable !== undefined && scaleReplicaSet(ctx, stable, desired.stable)) return;
  if (scaleReplicaSet(ctx, ctx.newRS, desired.canary)) return;
  const older = otherReplicaSets(ctx).sort(byAge);
  if (older.length === 0) return;
  const next = olderReplicaSetsScaleDown({
    replicas: ctx.replicas,
    maxSurge: canary.maxSurge,
    maxUnavailable: canary.maxUnavailable,
    canary: counts(ctx.newRS),
    ...(stable !== undefined ? { stable: counts(stable) } : {}),
    older: older.map((rs) => ({ ...counts(rs), revision: rs.revision })),
  });
  older.forEach((rs, i) => {
    const replicas = next[i] ?? rs.replicas;
    if (replicas !== rs.replicas) scaleReplicaSet(ctx, rs, replicas);
  });
}

/**
 * Stable and canary Services (reference §8.7): stableService selects the stable ReplicaSet,
 * canaryService the new one (the stable one while aborted).
 */
function reconcileServices(ctx: Context, canary: CanaryStrategy): void {
  const stable = stableReplicaSet(ctx);
  if (canary.stableService && stable !== undefined) switchServiceSelector(ctx, canary.stableService, stable);
  if (canary.canaryService) {
    const target = ctx.status.abort === true ? stable : ctx.newRS;
    if (target !== undefined) switchServiceSelector(ctx, canary.canaryService, target);
  }
}

export function decideCanary(ctx: Context): void {
  const canary = ctx.rollout.spec.strategy?.canary as CanaryStrategy;
  const steps = canary.steps ?? [];
  const status = ctx.status;
  status.canary ??= {};

  if (!status.stableRS) {
    // First deployment: no steps, the new ReplicaSet is stable at once (reference §8.5).
    if (steps.length > 0) status.currentStepIndex = steps.length;
    promoteToStable(ctx, 'Initial deploy');
  }

  if (status.abort === true) {
    if (steps.length > 0) status.currentStepIndex = 0;
    terminateRuns(ctx);
  }

  const paused = ctx.rollout.spec.paused === true;
  const aborted = (): boolean => ctx.status.abort === true;
  if (!aborted() && !fullyPromoted(ctx)) {
    if (status.promoteFull) {
      terminateRuns(ctx, (object) => !isRunning(phaseOf(object)));
    } else {
      if (!paused) advanceSteps(ctx, canary);
      if (!aborted()) backgroundAnalysis(ctx, canary);
      terminateOtherStepRuns(ctx);
    }
  }

  if (!aborted() && !fullyPromoted(ctx)) {
    const reason = promotionReason(ctx, canary);
    if (reason !== undefined && !ctx.newRS.created && canaryAvailable(ctx, canary, ctx.replicas)) {
      if (steps.length > 0) status.currentStepIndex = steps.length;
      delete status.canary.currentStepAnalysisRunStatus;
      delete status.canary.currentExperiment;
      promoteToStable(ctx, reason);
      terminateRuns(ctx, (object) => !isRunning(phaseOf(object)));
    }
  }

  const halted = paused || findPause(ctx, 'InconclusiveAnalysisRun') !== undefined || findPause(ctx, 'InconclusiveExperiment') !== undefined;
  if (!halted || isScalingEvent(ctx)) scaleReplicaSets(ctx, canary);

  reconcileServices(ctx, canary);
  cleanUpHistory(ctx, []);
  refreshMirrors(ctx);
  cleanUpAnalysisHistory(ctx);
}

/** Whether the current step is one that waits without a time limit (pause, analysis, experiment). */
export function atIndefiniteStep(ctx: Context): boolean {
  const steps = ctx.rollout.spec.strategy?.canary?.steps ?? [];
  const index = ctx.status.currentStepIndex ?? 0;
  if (fullyPromoted(ctx) || index >= steps.length) return false;
  const step = steps[index] as CanaryStep;
  return step.pause !== undefined || step.analysis !== undefined || step.experiment !== undefined;
}
