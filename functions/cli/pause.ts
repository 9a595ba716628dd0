// `ramp pause NAME` (reference §13).
import type { Rollout } from '../api/index.ts';
import { rolloutName } from './rollout-facts.ts';
import { specPatch, type ActionPlan } from './rollout-write.ts';

/** `{"spec":{"paused":true}}`; already paused: nothing to write. */
export function pause(rollout: Rollout): ActionPlan {
  const name = rolloutName(rollout);
  if (rollout.spec.paused === true) return { writes: [], message: `rollout '${name}' is already paused; nothing to do` };
  return { writes: [specPatch(name, { paused: true })], message: `rollout '${name}' paused` };
}
