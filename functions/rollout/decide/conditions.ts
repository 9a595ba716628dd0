// Rollout conditions (reference §3.2): {type, status, reason, message, lastUpdateTime,
// lastTransitionTime}. Setting a condition whose type, status and reason are unchanged keeps
// it as it is (message and both times); a new reason with the same status keeps the
// transition time; a new status moves both times. The Progressing condition can also be
// "refreshed" (lastUpdateTime = now) to record progress — the progress deadline counts from it.
import {
  type ConditionValue as AnyConditionValue,
  type RolloutCondition,
  type RolloutConditionType,
  setCondition as setAnyCondition,
} from '../../api/index.ts';

export { getCondition, removeCondition } from '../../api/index.ts';

export type ConditionValue = AnyConditionValue<RolloutConditionType>;

/** Returns a new list with the condition set; the position of an existing condition is kept. */
export function setCondition(conditions: readonly RolloutCondition[], value: ConditionValue, now: string, refresh = false): RolloutCondition[] {
  return setAnyCondition(conditions, value, now, { refresh });
}

// Reasons and messages Argo writes (reference §3.2), in one place.
export const REASON = {
  invalidSpec: 'InvalidSpec',
  available: 'AvailableReason',
  newReplicaSetCreated: 'NewReplicaSetCreated',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  replicaSetNotAvailable: 'ReplicaSetNotAvailable',
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  rolloutAborted: 'RolloutAborted',
  rolloutPaused: 'RolloutPaused',
  rolloutResumed: 'RolloutResumed',
  rolloutRetry: 'RolloutRetry',
  rolloutHealthy: 'RolloutHealthy',
  rolloutCompleted: 'RolloutCompleted',
} as const;

export const MESSAGE = {
  available: 'Rollout has minimum availability',
  notAvailable: 'Rollout does not have minimum availability',
  paused: 'Rollout is paused',
  resumed: 'Rollout is resumed',
  retry: 'Retrying Rollout after abort',
  healthy: 'Rollout is healthy',
  notHealthy: 'Rollout is not healthy',
  created: (rs: string) => `Created new replica set "${rs}"`,
  progressing: (rs: string) => `ReplicaSet "${rs}" is progressing.`,
  progressed: (rs: string) => `ReplicaSet "${rs}" has successfully progressed.`,
  timedOut: (rs: string) => `ReplicaSet "${rs}" has timed out progressing.`,
  aborted: (revision: number, why?: string) => `Rollout aborted update to revision ${revision}${why ? `: ${why}` : ''}`,
  invalidSpec: (rollout: string, error: string) => `The Rollout "${rollout}" is invalid: ${error}`,
} as const;
