import { trafficWeightToReplicas } from './canary-replica-counts.ts';

/** The parts of a canary step that decide weight and scale; other step kinds can be passed as is. */
export interface CanaryStepLike {
  setWeight?: number;
  setCanaryScale?: { weight?: number; replicas?: number; matchTrafficWeight?: boolean };
}

export interface DesiredWeightInput {
  /** spec.strategy.canary.steps (may be empty). */
  steps: readonly CanaryStepLike[];
  /** status.currentStepIndex; undefined reads as 0. */
  currentStepIndex?: number;
  /** status.stableRS (pod-template hash); undefined or "" before the first promotion. */
  stableRS?: string;
  /** status.currentPodHash. */
  currentPodHash?: string;
  /** status.promoteFull */
  promoteFull?: boolean;
  /** status.abort */
  aborted?: boolean;
  /** trafficRouting.maxTrafficWeight; 100 when unset. */
  maxWeight?: number;
  /** Whether spec.strategy.canary.trafficRouting is set (setCanaryScale needs it). */
  trafficRouted?: boolean;
  /** spec.strategy.canary.abortScaleDownDelaySeconds as written; undefined when not set. */
  abortScaleDownDelaySeconds?: number;
  /**
   * Present when dynamicStableScale is on, for the abort step-down: spec.replicas and the
   * available pods of the new and stable ReplicaSets (undefined when that RS does not exist).
   */
  dynamicStableScale?: { replicas: number; canaryAvailable?: number; stableAvailable?: number };
}

/** Weight, or an explicit canary pod count from setCanaryScale.replicas (weight is then 0). */
export interface DesiredCanaryScale {
  weight: number;
  canaryReplicas?: number;
}

function maxWeightOf(input: DesiredWeightInput): number {
  return input.maxWeight ?? 100;
}

function stepIndexOf(input: DesiredWeightInput): number {
  const index = input.currentStepIndex ?? 0;
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`currentStepIndex must be a non-negative integer, got ${index}`);
  return index;
}

/** Fully promoted, being promoted fully, or first deploy: everything goes to the new RS. */
function takesFullWeight(input: DesiredWeightInput): boolean {
  return input.promoteFull === true || !input.stableRS || input.currentPodHash === input.stableRS;
}

/** Whether spec.strategy.canary.abortScaleDownDelaySeconds was explicitly set to a non-zero value. */
function hasExplicitAbortDelay(input: DesiredWeightInput): boolean {
  return input.trafficRouted === true && input.abortScaleDownDelaySeconds !== undefined && input.abortScaleDownDelaySeconds !== 0;
}

/** The setWeight of the nearest setWeight step at or before the current one (reference §8.2). */
function stepLadderWeight(input: DesiredWeightInput): number {
  if (input.aborted) return 0;
  const index = stepIndexOf(input);
  if (index >= input.steps.length) return maxWeightOf(input); // no steps, or past the last one
  for (let i = index; i >= 0; i--) {
    const weight = input.steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

/**
 * While aborting with dynamicStableScale, step back down the setWeight ladder instead of
 * dropping to 0 at once: the largest setWeight whose pod count is still below what the canary
 * has to carry (what the stable cannot yet serve, or — unless an explicit abort delay keeps
 * the canary up anyway — the canary's available pods).
 */
function abortStepDownWeight(input: DesiredWeightInput, dynamic: NonNullable<DesiredWeightInput['dynamicStableScale']>): number {
  const maxWeight = maxWeightOf(input);
  const stillNeeded = dynamic.replicas - (dynamic.stableAvailable ?? 0);
  const canaryPods = hasExplicitAbortDelay(input) ? stillNeeded : Math.max(stillNeeded, dynamic.canaryAvailable ?? 0);
  for (let i = input.steps.length - 1; i >= 0; i--) {
    const weight = input.steps[i]?.setWeight;
    if (weight !== undefined && trafficWeightToReplicas(dynamic.replicas, weight, maxWeight) < canaryPods) return weight;
  }
  return 0;
}

/**
 * The traffic weight the canary should have now (reference §8.2), ignoring setCanaryScale:
 * max weight when fully promoted / promoting fully / on first deploy; 0 when aborted (or the
 * dynamicStableScale step-down); max weight past the last step; otherwise the nearest setWeight
 * at or before the current step (0 if none).
 */
export function desiredWeight(input: DesiredWeightInput): number {
  if (takesFullWeight(input)) return maxWeightOf(input);
  const dynamic = input.dynamicStableScale;
  if (input.aborted && dynamic !== undefined && dynamic.canaryAvailable !== undefined && dynamic.stableAvailable !== undefined) {
    return abortStepDownWeight(input, dynamic);
  }
  return stepLadderWeight(input);
}

/**
 * The setCanaryScale in effect: with traffic routing only, the most recent setCanaryScale step
 * at or before the current step, unless that step says matchTrafficWeight. While aborted it
 * is ignored, except when abortScaleDownDelaySeconds is explicitly 0 (leave the canary up).
 */
export function applicableSetCanaryScale(input: DesiredWeightInput): CanaryStepLike['setCanaryScale'] | undefined {
  if (!input.trafficRouted) return undefined;
  if (input.aborted && input.abortScaleDownDelaySeconds !== 0) return undefined;
  const index = stepIndexOf(input);
  if (index >= input.steps.length) return undefined;
  for (let i = index; i >= 0; i--) {
    const scale = input.steps[i]?.setCanaryScale;
    if (scale === undefined) continue;
    return scale.matchTrafficWeight ? undefined : scale;
  }
  return undefined;
}

/**
 * What the canary should be scaled to (reference §8.2, Argo's GetCanaryReplicasOrWeight):
 * an explicit pod count from setCanaryScale.replicas, or a weight (setCanaryScale.weight, else
 * `desiredWeight`). Feed the result to `canaryReplicaCounts`.
 */
export function desiredCanaryScale(input: DesiredWeightInput): DesiredCanaryScale {
  if (takesFullWeight(input)) return { weight: maxWeightOf(input) };
  const scale = applicableSetCanaryScale(input);
  if (scale?.replicas !== undefined) return { weight: 0, canaryReplicas: scale.replicas };
  if (scale?.weight !== undefined) return { weight: scale.weight };
  return { weight: desiredWeight(input) };
}
