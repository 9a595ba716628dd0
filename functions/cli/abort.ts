// `ramp abort NAME`: stop the update and go back to the stable version (reference §13, §8.10).
import type { Rollout } from '../api/index.ts';
import { isFullyPromoted, isGenerationObserved, rolloutName } from './rollout-facts.ts';
import { ActionRefused, statusPatch, type ActionPlan } from './rollout-write.ts';

/**
 * `{"status":{"abort":true}}`, status-first. Refused when the controller has seen the current
 * spec and reports it fully promoted (stable is current): there is no update to abort, and the
 * controller would drop the flag. Already aborted: nothing to write.
 */
export function abort(rollout: Rollout): ActionPlan {
  const name = rolloutName(rollout);
  if (rollout.status?.abort === true) return { writes: [], message: `rollout '${name}' is already aborted; nothing to do` };
  if (isGenerationObserved(rollout) && isFullyPromoted(rollout)) {
    throw new ActionRefused(`nothing to abort: rollout '${name}' is fully promoted (its stable ReplicaSet ${rollout.status?.stableRS} is the current one)`);
  }
  return { writes: [statusPatch(name, { abort: true })], message: `rollout '${name}' aborted` };
}
