// Small readings of a Rollout shared by the CLI actions and views.
import type { CanaryStep, Rollout } from '../api/index.ts';

/** metadata.name; a Rollout read from the API server always has one. */
export function rolloutName(rollout: Rollout): string {
  const name = rollout.metadata?.name;
  if (!name) throw new TypeError('the Rollout has no metadata.name');
  return name;
}

export function canarySteps(rollout: Rollout): readonly CanaryStep[] {
  return rollout.spec.strategy?.canary?.steps ?? [];
}

/**
 * Argo's GetCurrentCanaryStep: for a canary with steps, the current step index
 * (status.currentStepIndex, 0 when unset) and the step there (undefined once all are done);
 * undefined for blue-green and for a canary without steps.
 */
export function currentCanaryStep(rollout: Rollout): { index: number; step: CanaryStep | undefined } | undefined {
  const steps = canarySteps(rollout);
  if (rollout.spec.strategy?.canary === undefined || steps.length === 0) return undefined;
  const index = rollout.status?.currentStepIndex ?? 0;
  return { index, step: index < steps.length ? steps[index] : undefined };
}

/** status.stableRS is set and the current pod template hash is it: nothing left to roll out. */
export function isFullyPromoted(rollout: Rollout): boolean {
  const status = rollout.status;
  return !!status?.stableRS && status.stableRS === status.currentPodHash;
}

/**
 * The controller has seen the current spec: status.observedGeneration equals
 * metadata.generation. A non-numeric observedGeneration (Argo before v0.10 wrote a hash) or no
 * generation to compare with counts as observed, as Argo's clients treat it.
 */
export function isGenerationObserved(rollout: Rollout): boolean {
  const observed = rollout.status?.observedGeneration;
  const generation = rollout.metadata?.generation;
  if (observed === undefined || generation === undefined || !/^\d+$/.test(observed)) return true;
  const n = Number(observed);
  return n > generation || n === generation;
}

/** The total traffic weight: trafficRouting.maxTrafficWeight, 100 when unset. */
export function maxTrafficWeight(rollout: Rollout): number {
  return rollout.spec.strategy?.canary?.trafficRouting?.maxTrafficWeight ?? 100;
}
