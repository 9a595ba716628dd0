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
// Setting a condition with the same status, reason and message keeps it (and its times) unless
// it is refreshed; a new status moves lastTransitionTime.
import { type ConditionValue as AnyConditionValue, type ExperimentCondition, setCondition as setAnyCondition } from '../api/index.ts';

export { getCondition, removeCondition } from '../api/index.ts';

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

export type ConditionValue = AnyConditionValue<ExperimentCondition['type']>;

/** A new list with the condition set, in place of an existing one of its type; a new message alone is a change. */
export function setCondition(conditions: readonly ExperimentCondition[], value: ConditionValue, now: string, refresh = false): ExperimentCondition[] {
  return setAnyCondition(conditions, value, now, { refresh, messageIsChange: true });
}
