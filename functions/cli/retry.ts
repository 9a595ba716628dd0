// `ramp retry NAME`: run an aborted update again from its first step (reference §13, §8.10).
import type { Rollout } from '../api/index.ts';
import { rolloutName } from './rollout-facts.ts';
import { statusPatch, type ActionPlan, type JsonObject } from './rollout-write.ts';

/** `{"status":{"abort":false}}`, status-first, as Argo's plugin sends it. Not aborted: nothing to write. */
export function retry(rollout: Rollout): ActionPlan {
  const name = rolloutName(rollout);
  if (rollout.status?.abort !== true) return { writes: [], message: `rollout '${name}' is not aborted; nothing to retry` };
  return { writes: [statusPatch(name, { abort: false })], message: `rollout '${name}' retried` };
}

/**
 * `ramp retry experiment NAME`: Experiments have no status subresource; Argo's plugin wipes the
 * whole status with a merge patch of the main resource, and the controller starts the
 * experiment again.
 */
export function retryExperimentPatch(): JsonObject {
  return { status: null };
}
