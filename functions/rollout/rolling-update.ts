import { canaryReplicaCounts, type CanaryReplicaCounts, type ReplicaSetCounts } from './canary-replica-counts.ts';
import { resolveSurgeAndUnavailable, type IntOrPercentLike } from './surge-and-unavailable.ts';

export interface RollingUpdateInput {
  /** spec.replicas */
  replicas: number;
  /** spec.strategy.canary.maxSurge as written (default "25"). */
  maxSurge?: IntOrPercentLike;
  /** spec.strategy.canary.maxUnavailable as written (default "25"). */
  maxUnavailable?: IntOrPercentLike;
  /** The new ReplicaSet; undefined before it is created. */
  canary?: ReplicaSetCounts;
  /** The stable ReplicaSet when it exists and is not the new one. */
  stable?: ReplicaSetCounts;
  /** Every other ReplicaSet (their pods must be gone before canary/stable shrink). */
  older?: readonly ReplicaSetCounts[];
}

/**
 * One reconcile of a basic canary with no steps (or past its last step, or promoting fully):
 * Argo runs the canary math at full weight, which is a rolling update — the new RS grows
 * toward `replicas` and the stable RS shrinks toward 0 while the total stays at most
 * replicas + maxSurge and the available pods at least replicas − maxUnavailable.
 * The controller applies the stable size first and the canary size on a later reconcile.
 */
export function rollingUpdateReplicaCounts(input: RollingUpdateInput): CanaryReplicaCounts {
  return canaryReplicaCounts({ ...input, desiredWeight: 100, maxWeight: 100 });
}

/** An older ReplicaSet (neither new nor stable) as the basic-canary scale-down sees it. */
export interface OlderReplicaSet extends ReplicaSetCounts {
  /** The rollout.argoproj.io/revision annotation of the RS. */
  revision: number;
}

export interface OlderReplicaSetsScaleDownInput {
  /** spec.replicas */
  replicas: number;
  maxSurge?: IntOrPercentLike;
  maxUnavailable?: IntOrPercentLike;
  /** The new and stable ReplicaSets, for the rollout's total available pods. */
  canary?: ReplicaSetCounts;
  stable?: ReplicaSetCounts;
  /** The older ReplicaSets, in creation order (oldest first). */
  older: readonly OlderReplicaSet[];
}

/**
 * Desired spec.replicas of each older ReplicaSet of a basic canary (reference §8.3, last
 * paragraph), in the order given. First every older RS with pods that are not available is
 * cut down to its available pods (they serve nothing, and would otherwise block the update).
 * Then, with a budget of (available pods of all ReplicaSets) − (replicas − maxUnavailable),
 * older ReplicaSets are scaled toward 0, newest revision first.
 *
 * As in Argo, if an older RS reports more available pods than its spec (a scale-down still in
 * progress), the pass stops there: RSs before it (oldest first) keep their unhealthy-pod cut,
 * and nothing else is scaled down until the next reconcile.
 */
export function olderReplicaSetsScaleDown(input: OlderReplicaSetsScaleDownInput): number[] {
  const desired = input.older.map((rs) => rs.replicas);

  for (const [i, rs] of input.older.entries()) {
    if (rs.replicas === 0 || rs.replicas === rs.availableReplicas) continue;
    if (rs.availableReplicas > rs.replicas) return desired;
    desired[i] = rs.availableReplicas;
  }

  const everyReplicaSet = [input.canary, input.stable, ...input.older];
  const available = everyReplicaSet.reduce((sum, rs) => sum + (rs?.availableReplicas ?? 0), 0);
  const { maxUnavailable } = resolveSurgeAndUnavailable(input.replicas, input.maxSurge, input.maxUnavailable);
  let budget = available - (input.replicas - maxUnavailable);
  if (budget <= 0) return desired;

  const newestFirst = input.older
    .map((rs, index) => ({ revision: rs.revision, index }))
    .sort((a, b) => b.revision - a.revision || b.index - a.index);
  for (const { index } of newestFirst) {
    if (budget <= 0) break;
    const current = desired[index] ?? 0;
    if (current === 0) continue;
    const next = current > budget ? current - budget : 0;
    budget -= current - next;
    desired[index] = next;
  }
  return desired;
}
