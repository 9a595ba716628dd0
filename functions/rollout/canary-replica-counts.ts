import { resolveSurgeAndUnavailable, type IntOrPercentLike } from './surge-and-unavailable.ts';

/** What the replica math needs to know about one ReplicaSet. */
export interface ReplicaSetCounts {
  /** spec.replicas */
  readonly replicas: number;
  /** status.availableReplicas */
  readonly availableReplicas: number;
}

export interface CanaryReplicaCounts {
  /** Desired spec.replicas of the new (canary) ReplicaSet. */
  canary: number;
  /** Desired spec.replicas of the stable ReplicaSet (0 when there is no distinct stable RS). */
  stable: number;
}

export interface TrafficRoutedOptions {
  /** spec.strategy.canary.minPodsPerReplicaSet: a non-zero count is raised to this (capped at replicas). */
  minPodsPerReplicaSet?: number;
  /** spec.strategy.canary.dynamicStableScale */
  dynamicStableScale?: boolean;
  /** status.canary.weights as last reported by the router (used only with dynamicStableScale). */
  currentWeights?: { canary: number; stable: number };
  /** status.abort (used only with dynamicStableScale). */
  aborted?: boolean;
}

export interface CanaryReplicaCountsInput {
  /** spec.replicas (R). */
  replicas: number;
  /** The weight the canary should carry now (W), e.g. from `desiredCanaryScale`. */
  desiredWeight: number;
  /** trafficRouting.maxTrafficWeight (M); 100 when unset. */
  maxWeight?: number;
  /**
   * An explicit canary pod count from an applicable setCanaryScale.replicas. Only meaningful with
   * traffic routing: `desiredCanaryScale` never yields one for a basic canary, and a basic
   * canary ignores it, as Argo does.
   */
  setCanaryScaleReplicas?: number;
  /** spec.strategy.canary.maxSurge as written (default "25"). Basic canary only. */
  maxSurge?: IntOrPercentLike;
  /** spec.strategy.canary.maxUnavailable as written (default "25"). Basic canary only. */
  maxUnavailable?: IntOrPercentLike;
  /** The new ReplicaSet; undefined before it is created. Basic canary only. */
  canary?: ReplicaSetCounts;
  /**
   * The stable ReplicaSet, only when one exists AND it is not the new ReplicaSet. When the
   * new RS is the stable RS (fully promoted) leave this out: the canary is then driven to
   * `replicas` and `stable` comes back 0. Basic canary only.
   */
  stable?: ReplicaSetCounts;
  /** Every other ReplicaSet of the rollout (neither new nor stable). Basic canary only. */
  older?: readonly ReplicaSetCounts[];
  /** Present when the canary uses a traffic router; switches to the traffic-routed sizing. */
  trafficRouting?: TrafficRoutedOptions;
}

function assertCount(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
}

/**
 * Desired canary and stable ReplicaSet sizes for one reconcile of a canary rollout.
 *
 * Without traffic routing (reference §8.3) the pod ratio is what splits traffic, so the
 * target split approximates the weight (possibly using one surge pod), and the step from the
 * current sizes toward it stays inside maxSurge / maxUnavailable: stable is grown before the
 * canary, nothing is shrunk while older ReplicaSets still have pods, and whichever side is
 * being drained only loses pods the availability budget can spare.
 *
 * With traffic routing (§8.6) the router splits traffic, so the canary is sized straight from
 * the weight (or setCanaryScale) and the stable stays at full size unless dynamicStableScale.
 */
export function canaryReplicaCounts(input: CanaryReplicaCountsInput): CanaryReplicaCounts {
  assertCount('replicas', input.replicas);
  const maxWeight = input.maxWeight ?? 100;
  if (!Number.isInteger(maxWeight) || maxWeight <= 0) throw new RangeError(`maxWeight must be a positive integer, got ${maxWeight}`);
  if (input.trafficRouting !== undefined) {
    return trafficRoutedCounts(input.replicas, input.desiredWeight, maxWeight, input.setCanaryScaleReplicas, input.trafficRouting);
  }
  return basicCounts(input, maxWeight);
}

// ---------------------------------------------------------------------------------------------
// Target split

/**
 * The (canary, stable) pod split whose canary share is closest to `weight`/`maxWeight`, using
 * `replicas` pods or — when a surge is allowed — `replicas + 1`. Rules (reference §8.3 a):
 * a weight strictly between 0 and max never gives either side 0 pods unless a single replica
 * with no surge leaves no choice; an exact .5 tie rounds the canary up; the first of equally
 * close candidates wins.
 */
export function approximateCanaryStableSplit(
  replicas: number,
  weight: number,
  maxWeight: number,
  maxSurge: number,
): CanaryReplicaCounts {
  if (replicas === 0) return { canary: 0, stable: 0 };
  const exact = (replicas * weight) / maxWeight;
  const up = Math.ceil(exact);
  const down = Math.floor(exact);
  const zeroAllowed = weight === maxWeight || weight === 0 || (replicas === 1 && maxSurge === 0);
  const isHalfway = (total: number): boolean => {
    const share = total * (weight / maxWeight);
    return share - Math.trunc(share) === 0.5;
  };

  const candidates: Array<{ canary: number; total: number }> = [];
  if (up < replicas || zeroAllowed) candidates.push({ canary: up, total: replicas });
  if (!isHalfway(replicas) && (down !== 0 || zeroAllowed)) candidates.push({ canary: down, total: replicas });
  if (maxSurge > 0) {
    candidates.push({ canary: up, total: replicas + 1 });
    if (!isHalfway(replicas + 1) && (down !== 0 || zeroAllowed)) candidates.push({ canary: down, total: replicas + 1 });
  }

  const distance = (c: { canary: number; total: number }): number => Math.abs((c.canary * maxWeight) / c.total - weight);
  let best = candidates[0];
  if (best === undefined) return { canary: 0, stable: replicas };
  for (const candidate of candidates.slice(1)) {
    if (distance(candidate) < distance(best)) best = candidate;
  }
  return { canary: best.canary, stable: best.total - best.canary };
}

// ---------------------------------------------------------------------------------------------
// Basic canary

/**
 * How many of an RS's pods count toward availability when deciding how much may be drained:
 * its available pods, or its spec when availability is to be ignored — but never more than
 * its spec, since pods above spec are about to go away anyway.
 */
function podsCountedAsAvailable(rs: ReplicaSetCounts | undefined, ignoreAvailability: boolean): number {
  if (rs === undefined) return 0;
  if (rs.replicas < rs.availableReplicas) return rs.replicas;
  return ignoreAvailability ? rs.replicas : rs.availableReplicas;
}

/** Takes up to `excess` pods off the draining RS, but not below its target. */
function drainToward(rs: ReplicaSetCounts, target: number, excess: number, current: number): number {
  return rs.replicas > target ? Math.max(target, rs.replicas - excess) : current;
}

/**
 * After draining, pulls the other RS back under the surge ceiling, gives it back pods it would
 * lose if availability would otherwise fall below the minimum, and takes any remaining
 * overshoot from the draining RS. Returns [drained, other].
 */
function keepWithinBounds(
  drained: ReplicaSetCounts,
  other: ReplicaSetCounts | undefined,
  drainedCount: number,
  otherCount: number,
  maxTotal: number,
  minAvailable: number,
): [number, number] {
  if (other === undefined) return [drainedCount, otherCount];
  let adjusted = otherCount - Math.max(0, otherCount + drainedCount - maxTotal);
  const availableAfter = Math.min(drained.availableReplicas, drainedCount) + Math.min(other.availableReplicas, adjusted);
  const availabilityGivenUp = Math.max(0, other.availableReplicas - adjusted);
  const shortfall = Math.max(0, minAvailable - availableAfter);
  adjusted += Math.min(availabilityGivenUp, shortfall);
  const overshoot = Math.max(0, adjusted + drainedCount - maxTotal);
  return [Math.max(0, drainedCount - overshoot), adjusted];
}

function basicCounts(input: CanaryReplicaCountsInput, maxWeight: number): CanaryReplicaCounts {
  const replicas = input.replicas;
  const { canary: canaryRS, stable: stableRS } = input;
  const older = input.older ?? [];
  for (const [name, rs] of [['canary', canaryRS], ['stable', stableRS]] as const) {
    if (rs !== undefined) {
      assertCount(`${name}.replicas`, rs.replicas);
      assertCount(`${name}.availableReplicas`, rs.availableReplicas);
    }
  }
  older.forEach((rs, i) => assertCount(`older[${i}].replicas`, rs.replicas));

  const { maxSurge, maxUnavailable } = resolveSurgeAndUnavailable(replicas, input.maxSurge, input.maxUnavailable);
  const target =
    stableRS === undefined
      ? { canary: replicas, stable: 0 } // nothing to split with: the new RS takes everything
      : approximateCanaryStableSplit(replicas, input.desiredWeight, maxWeight, maxSurge);

  let canary = canaryRS?.replicas ?? 0;
  let stable = stableRS?.replicas ?? 0;
  const olderPods = older.reduce((sum, rs) => sum + rs.replicas, 0);
  const maxTotal = replicas + maxSurge;

  // Scale up inside the surge budget, stable first.
  let budget = maxTotal - (olderPods + canary + stable);
  if (stableRS !== undefined && stable < target.stable && budget > 0) {
    const grow = Math.min(target.stable - stable, budget);
    stable += grow;
    budget -= grow;
  }
  if (canaryRS !== undefined && canary < target.canary && budget > 0) {
    canary += Math.min(target.canary - canary, budget);
  }

  // Older ReplicaSets are drained before the canary or stable gives up any pod.
  if (olderPods > 0) return { canary, stable };

  // Scale down inside the availability budget. When the canary is growing, the stable is the
  // side being drained and its availability is ignored (so crash-looping stable pods cannot
  // block progress); when the canary is shrinking (lower weight, abort) it is the other way round.
  const minAvailable = replicas - maxUnavailable;
  const canaryGrowing = canaryRS === undefined || target.canary >= canaryRS.replicas;
  const counted = podsCountedAsAvailable(canaryRS, !canaryGrowing) + podsCountedAsAvailable(stableRS, canaryGrowing);
  if (counted <= minAvailable) return { canary, stable };
  const excess = counted - minAvailable;

  if (!canaryGrowing && canaryRS !== undefined) {
    canary = drainToward(canaryRS, target.canary, excess, canary);
    [canary, stable] = keepWithinBounds(canaryRS, stableRS, canary, stable, maxTotal, minAvailable);
  } else if (canaryGrowing && stableRS !== undefined) {
    stable = drainToward(stableRS, target.stable, excess, stable);
    [stable, canary] = keepWithinBounds(stableRS, canaryRS, stable, canary, maxTotal, minAvailable);
  }
  return { canary, stable };
}

// ---------------------------------------------------------------------------------------------
// Traffic-routed canary

/** Pods needed to serve `weight` of `maxWeight` with `replicas` in total, rounded up. */
export function trafficWeightToReplicas(replicas: number, weight: number, maxWeight: number): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

function trafficRoutedCounts(
  replicas: number,
  weight: number,
  maxWeight: number,
  explicitCanary: number | undefined,
  options: TrafficRoutedOptions,
): CanaryReplicaCounts {
  const floorAt = Math.min(options.minPodsPerReplicaSet ?? 0, replicas);
  const withMinimum = (count: number): number => (count === 0 ? 0 : Math.max(count, floorAt));

  let canary = explicitCanary ?? withMinimum(trafficWeightToReplicas(replicas, weight, maxWeight));
  if (!options.dynamicStableScale) return { canary, stable: replicas };

  // Dynamic stable scale: the stable keeps enough pods for whichever is larger, the traffic it
  // should get or the traffic it still gets; while aborting, the canary likewise keeps enough
  // pods for the traffic it still gets.
  let stable = trafficWeightToReplicas(replicas, maxWeight - weight, maxWeight);
  if (options.currentWeights !== undefined) {
    stable = Math.max(stable, trafficWeightToReplicas(replicas, options.currentWeights.stable, maxWeight));
    if (options.aborted) {
      canary = Math.max(canary, trafficWeightToReplicas(replicas, options.currentWeights.canary, maxWeight));
    }
  }
  return { canary: withMinimum(canary), stable: withMinimum(stable) };
}
