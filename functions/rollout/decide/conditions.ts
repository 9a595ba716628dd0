// Rollout conditions (reference §3.2): {type, status, reason, message, lastUpdateTime,
// lastTransitionTime}. Setting a condition whose type, status and reason are unchanged keeps
// it as it is (message and both times); a new reason with the same status keeps the
// transition time; a new status moves both times. The Progressing condition can also be
// "refreshed" (lastUpdateTime = now) to record progress — the progress deadline counts from it.
import type { RolloutCondition, RolloutConditionType } from '../../api/index.ts';

export interface ConditionValue {
  type: RolloutConditionType;
  status: RolloutCondition['status'];
  reason: string;
  message: string;
}

export function getCondition(
  conditions: readonly RolloutCondition[] | undefined,
  type: RolloutConditionType,
): RolloutCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Returns a new list with the condition set; the position of an existing condition is kept. */
export function setCondition(
  conditions: readonly RolloutCondition[],
  value: ConditionValue,
  now: string,
  refresh = false,
): RolloutCondition[] {
  const existing = getCondition(conditions, value.type);
  let next: RolloutCondition;
  if (existing !== undefined && existing.status === value.status && existing.reason === value.reason) {
    next = refresh ? { ...existing, message: value.message, lastUpdateTime: now } : existing;
  } else {
    next = {
      type: value.type,
      status: value.status,
      reason: value.reason,
      message: value.message,
      lastUpdateTime: now,
      lastTransitionTime: existing !== undefined && existing.status === value.status ? existing.lastTransitionTime : now,
    };
  }
  if (existing === undefined) return [...conditions, next];
  return conditions.map((c) => (c.type === value.type ? next : c));
}

export function removeCondition(conditions: readonly RolloutCondition[], type: RolloutConditionType): RolloutCondition[] {
  return conditions.filter((c) => c.type !== type);
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
