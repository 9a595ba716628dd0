// `ramp resume NAME`: Argo CD's `resume` action (reference §15.2). Argo's current plugin has no
// resume command (promote does it and may also skip a step); this one never skips a step.
import type { Rollout } from '../api/index.ts';
import { rolloutName } from './rollout-facts.ts';
import { specPatch, statusPatch, type ActionPlan, type RolloutWrite } from './rollout-write.ts';

/**
 * Clears what holds the rollout: `{"status":{"pauseConditions":null}}` (status-first) when the
 * controller paused it, `{"spec":{"paused":false}}` when a user did. controllerPause and
 * currentStepIndex are left to the controller. Not paused: nothing to write.
 */
export function resume(rollout: Rollout): ActionPlan {
  const name = rolloutName(rollout);
  const writes: RolloutWrite[] = [];
  if ((rollout.status?.pauseConditions?.length ?? 0) > 0) {
    writes.push(statusPatch(name, { pauseConditions: null }, { spec: { paused: false }, status: { pauseConditions: null } }));
  }
  if (rollout.spec.paused === true) writes.push(specPatch(name, { paused: false }));
  if (writes.length === 0) return { writes, message: `rollout '${name}' is not paused; nothing to resume` };
  return { writes, message: `rollout '${name}' resumed` };
}
