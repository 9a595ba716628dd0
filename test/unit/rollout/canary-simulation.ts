// Test helper: drives the pure replica math the way the controller applies it (reference
// §8.3 e): each reconcile scales the stable RS if it differs, else the canary RS, one change
// per reconcile; between reconciles, pods that were scaled up become available.
import assert from 'node:assert/strict';
import { canaryReplicaCounts, type ReplicaSetCounts } from '../../../functions/rollout/canary-replica-counts.ts';
import { rollingUpdateBounds, type IntOrPercentLike } from '../../../functions/rollout/surge-and-unavailable.ts';

export interface World {
  replicas: number;
  maxSurge?: IntOrPercentLike;
  maxUnavailable?: IntOrPercentLike;
  stable: ReplicaSetCounts;
  canary: ReplicaSetCounts;
}

export interface Run {
  changes: string[];
  world: World;
}

/** Reconciles at a fixed weight until nothing changes; checks surge and availability bounds at every change. */
export function reconcileUntilSteady(start: World, weight: number, maxReconciles = 100): Run {
  let world = start;
  const changes: string[] = [];
  const { maxTotalReplicas, minAvailableReplicas } = rollingUpdateBounds(world.replicas, world.maxSurge, world.maxUnavailable);
  for (let i = 0; i < maxReconciles; i++) {
    const desired = canaryReplicaCounts({ ...world, desiredWeight: weight });
    let side: 'stable' | 'canary';
    if (desired.stable !== world.stable.replicas) side = 'stable';
    else if (desired.canary !== world.canary.replicas) side = 'canary';
    else return { changes, world };

    const totalBefore = world.stable.replicas + world.canary.replicas;
    const availableBefore = world.stable.availableReplicas + world.canary.availableReplicas;
    const before = world[side];
    const after = { replicas: desired[side], availableReplicas: Math.min(before.availableReplicas, desired[side]) };
    changes.push(`${side} ${before.replicas}→${after.replicas}`);
    world = { ...world, [side]: after };

    const total = world.stable.replicas + world.canary.replicas;
    const available = world.stable.availableReplicas + world.canary.availableReplicas;
    // A change never takes the rollout outside its bounds, nor further outside when it was
    // already outside (after spec.replicas itself changed).
    const ceiling = Math.max(maxTotalReplicas, totalBefore);
    const floor = Math.min(minAvailableReplicas, availableBefore);
    assert.ok(total <= ceiling, `after ${changes.join(', ')}: ${total} pods exceed ${ceiling}`);
    assert.ok(available >= floor, `after ${changes.join(', ')}: ${available} available is below ${floor}`);

    // New pods become ready before the next reconcile.
    world = {
      ...world,
      stable: { ...world.stable, availableReplicas: world.stable.replicas },
      canary: { ...world.canary, availableReplicas: world.canary.replicas },
    };
  }
  throw new Error(`no steady state after ${maxReconciles} reconciles: ${changes.join(', ')}`);
}

export const rs = (replicas: number, availableReplicas = replicas): ReplicaSetCounts => ({ replicas, availableReplicas });
