import { IntOrPercent, type IntOrPercentInput } from '../values/int-or-percent.ts';

/** maxSurge / maxUnavailable as written in the spec (raw or parsed); undefined means "not set". */
export type IntOrPercentLike = IntOrPercent | IntOrPercentInput | undefined;

/** Argo's default for both canary maxSurge and maxUnavailable: the string "25", i.e. 25 %. */
export const DEFAULT_MAX_SURGE: IntOrPercentInput = '25';
export const DEFAULT_MAX_UNAVAILABLE: IntOrPercentInput = '25';

export interface SurgeAndUnavailable {
  /** Pods allowed above `replicas`. */
  maxSurge: number;
  /** Pods allowed below `replicas` being available. */
  maxUnavailable: number;
}

export interface RollingUpdateBounds extends SurgeAndUnavailable {
  /** Most pods (spec.replicas summed over all ReplicaSets) allowed at once: replicas + maxSurge. */
  maxTotalReplicas: number;
  /** Fewest available pods allowed at once: replicas − maxUnavailable. */
  minAvailableReplicas: number;
}

function assertReplicas(replicas: number): void {
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new RangeError(`replicas must be a non-negative integer, got ${replicas}`);
  }
}

/**
 * Resolves a canary's maxSurge (rounded up) and maxUnavailable (rounded down) against
 * `replicas`, with Argo's rules: unset means "25" (25 %); when both come out 0,
 * maxUnavailable becomes 1 so the update can still move; maxUnavailable never exceeds
 * `replicas` (and is 0 when replicas is 0). maxSurge is not capped.
 */
export function resolveSurgeAndUnavailable(
  replicas: number,
  maxSurge: IntOrPercentLike,
  maxUnavailable: IntOrPercentLike,
): SurgeAndUnavailable {
  assertReplicas(replicas);
  const surge = IntOrPercent.from(maxSurge ?? DEFAULT_MAX_SURGE).resolve(replicas, 'up');
  let unavailable = IntOrPercent.from(maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE).resolve(replicas, 'down');
  if (surge === 0 && unavailable === 0) unavailable = 1;
  if (replicas === 0) unavailable = 0;
  return { maxSurge: surge, maxUnavailable: Math.min(unavailable, replicas) };
}

/** The window a rolling update (or a basic canary) must stay inside while pods are replaced. */
export function rollingUpdateBounds(
  replicas: number,
  maxSurge: IntOrPercentLike,
  maxUnavailable: IntOrPercentLike,
): RollingUpdateBounds {
  const resolved = resolveSurgeAndUnavailable(replicas, maxSurge, maxUnavailable);
  return {
    ...resolved,
    maxTotalReplicas: replicas + resolved.maxSurge,
    minAvailableReplicas: replicas - resolved.maxUnavailable,
  };
}
