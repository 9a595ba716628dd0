// `ramp promote NAME` and `ramp promote NAME --full` (reference §13, Argo's kubectl plugin).
import type { Rollout } from '../api/index.ts';
import { canarySteps, currentCanaryStep, rolloutName } from './rollout-facts.ts';
import { ActionRefused, specPatch, statusPatch, type ActionPlan, type JsonObject, type RolloutWrite } from './rollout-write.ts';

/** A canary paused by an Inconclusive step analysis: promote must also lift controllerPause. */
function pausedOnInconclusiveStepAnalysis(rollout: Rollout): boolean {
  const status = rollout.status;
  return (
    rollout.spec.strategy?.canary !== undefined &&
    status?.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive' &&
    (status.pauseConditions?.length ?? 0) > 0 &&
    status.controllerPause === true
  );
}

/**
 * Promote: let a paused rollout go on, or skip the canary step it is at.
 *
 * - `spec.paused: true` → spec patch `{"spec":{"paused":false}}`.
 * - pause conditions present → status patch `{"status":{"pauseConditions":null}}` (the
 *   controller then completes the pause); when the pause comes from an Inconclusive step
 *   analysis, also `controllerPause: false` and `currentStepIndex: i+1`.
 * - a canary with steps and no pause condition → `{"status":{"pauseConditions":null,
 *   "currentStepIndex":min(i+1, len)}}`: the current step (setWeight, analysis, experiment…)
 *   is skipped — also when the rollout was only paused through spec.paused, as Argo does.
 * - blue-green without a pause condition → only the spec patch, if any.
 *
 * Status patches go to the status subresource first (see statusPatch). Refused when nothing
 * would change: not paused and no step left to skip, or aborted (retry first).
 */
export function promote(rollout: Rollout): ActionPlan {
  const name = rolloutName(rollout);
  const status = rollout.status ?? {};
  const paused = rollout.spec.paused === true;
  const pauseConditions = status.pauseConditions ?? [];
  if (status.abort === true) {
    throw new ActionRefused(`rollout '${name}' is aborted: run 'ramp retry ${name}' to start the update again, or 'ramp promote ${name} --full' to skip to the end`);
  }

  let status_: JsonObject | undefined;
  if (pausedOnInconclusiveStepAnalysis(rollout)) {
    const current = currentCanaryStep(rollout);
    if (current !== undefined) {
      status_ = { pauseConditions: null, controllerPause: false, currentStepIndex: Math.min(current.index + 1, canarySteps(rollout).length) };
    } else {
      status_ = { pauseConditions: null };
    }
  } else if (pauseConditions.length > 0) {
    status_ = { pauseConditions: null };
  } else if (rollout.spec.strategy?.canary !== undefined) {
    const current = currentCanaryStep(rollout);
    const steps = canarySteps(rollout).length;
    if (current !== undefined && (current.index < steps || paused)) {
      status_ = { pauseConditions: null, currentStepIndex: Math.min(current.index + 1, steps) };
    }
  }

  if (status_ === undefined && !paused) {
    const strategy = rollout.spec.strategy?.blueGreen !== undefined ? 'blue-green rollout' : 'rollout';
    const why =
      rollout.spec.strategy?.canary !== undefined && canarySteps(rollout).length > 0
        ? `has completed all ${canarySteps(rollout).length} steps and is not paused`
        : 'is not paused';
    throw new ActionRefused(`nothing to promote: ${strategy} '${name}' ${why} (to skip analysis and pauses to the end, use --full)`);
  }

  const writes: RolloutWrite[] = [];
  if (status_ !== undefined) writes.push(statusPatch(name, status_, { spec: { paused: false }, status: status_ }));
  if (paused) writes.push(specPatch(name, { paused: false }));
  return { writes, message: `rollout '${name}' promoted` };
}

/**
 * Full promotion: skip the remaining steps, pauses and analysis. `{"status":{"promoteFull":true}}`
 * while the current pod template is not yet the stable one, and `{"spec":{"paused":false}}` when
 * paused. Nothing to write when the rollout is fully promoted and not paused.
 */
export function promoteFull(rollout: Rollout): ActionPlan {
  const name = rolloutName(rollout);
  const status = rollout.status ?? {};
  const paused = rollout.spec.paused === true;
  const writes: RolloutWrite[] = [];
  if (status.currentPodHash !== status.stableRS) {
    writes.push(statusPatch(name, { promoteFull: true }, { spec: { paused: false }, status: { promoteFull: true } }));
  }
  if (paused) writes.push(specPatch(name, { paused: false }));
  if (writes.length === 0) return { writes, message: `rollout '${name}' is already fully promoted; nothing to do` };
  return { writes, message: `rollout '${name}' fully promoted` };
}
