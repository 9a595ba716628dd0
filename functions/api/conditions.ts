// Status conditions of the Argo kinds ({type, status, reason, message, lastUpdateTime,
// lastTransitionTime}, see schema/condition.ts): read, set, remove. Setting keeps the list's
// order; lastTransitionTime moves only when the status flips.
import type { ConditionStatus } from './schema/meta.ts';

interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

/** What a caller sets; the times are the update's business. */
export interface ConditionValue<Type extends string = string> {
  type: Type;
  status: ConditionStatus;
  reason: string;
  message: string;
}

export interface SetConditionOptions {
  /** Record progress: an unchanged condition gets lastUpdateTime = now and the new message. */
  refresh?: boolean;
  /**
   * A new message alone is a change (the condition is rewritten, lastUpdateTime = now), as
   * Argo's SetExperimentCondition has it. Without this, as in Argo's SetRolloutCondition, the
   * same status and reason keep the condition as it is, message and times included.
   */
  messageIsChange?: boolean;
}

export function getCondition<C extends { type: string }>(conditions: readonly C[] | undefined, type: C['type']): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/** A new list with the condition set, in place of an existing one of its type (else appended). */
export function setCondition<C extends Condition>(conditions: readonly C[], value: ConditionValue<C['type']>, now: string, options: SetConditionOptions = {}): C[] {
  const existing = getCondition(conditions, value.type);
  const refresh = options.refresh ?? false;
  let next: C;
  if (
    existing !== undefined &&
    existing.status === value.status &&
    existing.reason === value.reason &&
    (!options.messageIsChange || refresh || existing.message === value.message)
  ) {
    next = refresh ? { ...existing, message: value.message, lastUpdateTime: now } : existing;
  } else {
    next = {
      type: value.type,
      status: value.status,
      reason: value.reason,
      message: value.message,
      lastUpdateTime: now,
      lastTransitionTime: existing !== undefined && existing.status === value.status ? existing.lastTransitionTime : now,
    } as C;
  }
  if (existing === undefined) return [...conditions, next];
  return conditions.map((c) => (c.type === value.type ? next : c));
}

export function removeCondition<C extends { type: string }>(conditions: readonly C[], type: C['type']): C[] {
  return conditions.filter((c) => c.type !== type);
}
