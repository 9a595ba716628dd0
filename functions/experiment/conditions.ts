// Experiment conditions (reference §12.2). Only two types are written:
//
//   InvalidSpec  True, reason InvalidSpec, while the spec fails the checks of spec-problems.ts
//   Progressing  False ExperimentCompleted "Experiment "x" has successfully ran and completed."
//                  once the phase is final (whatever the phase: Argo's wording);
//                True ReplicaSetUpdated "Experiment "x" is progressing." when a template's
//                  replica counts moved (lastUpdateTime follows every move);
//                True NewReplicaSetAvailable "Experiment "x" is running." while every template
//                  is available and the duration has not passed.
//
// Setting a condition with the same status and reason keeps it (and its times) unless it is
// refreshed; a new status moves lastTransitionTime.
import type { ExperimentCondition } from '../api/index.ts';

type ConditionType = ExperimentCondition['type'];

export const CONDITION_REASON = {
  invalidSpec: 'InvalidSpec',
  completed: 'ExperimentCompleted',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
} as const;

export const CONDITION_MESSAGE = {
  completed: (name: string) => `Experiment "${name}" has successfully ran and completed.`,
  progressing: (name: string) => `Experiment "${name}" is progressing.`,
  running: (name: string) => `Experiment "${name}" is running.`,
};

export interface ConditionValue {
  type: ConditionType;
  status: ExperimentCondition['status'];
  reason: string;
  message: string;
}

export function getCondition(conditions: readonly ExperimentCondition[] | undefined, type: ConditionType): ExperimentCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** A new list with the condition set, in place of an existing one of its type. */
export function setCondition(conditions: readonly ExperimentCondition[], value: ConditionValue, now: string, refresh = false): ExperimentCondition[] {
  const existing = getCondition(conditions, value.type);
  let next: ExperimentCondition;
  if (existing !== undefined && existing.status === value.status && existing.reason === value.reason && (refresh || existing.message === value.message)) {
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

export function removeCondition(conditions: readonly ExperimentCondition[], type: ConditionType): ExperimentCondition[] {
  return conditions.filter((c) => c.type !== type);
}
