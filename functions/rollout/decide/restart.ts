// spec.restartAt (reference §9.8): pods created before the requested time are evicted a few at
// a time — never more than leaves `replicas − maxUnavailable` pods available (at least one may
// go) — until none is left; then status.restartedAt records the request as done. Pods that are
// not available cost no availability and go at once. The Eviction API honours
// PodDisruptionBudgets, so an eviction may be refused: the decision looks again in 30 s.
// Without pods in the snapshot nothing can be evicted and a due restart is only acknowledged.
import { IntOrPercent } from '../../values/int-or-percent.ts';
import { resolveSurgeAndUnavailable } from '../surge-and-unavailable.ts';
import { requeueIn, type Context } from './context.ts';

/** Argo checks an unfinished restart again after this long. */
export const RESTART_RECHECK_MS = 30_000;

function maxUnavailable(ctx: Context): number {
  const { canary, blueGreen } = ctx.rollout.spec.strategy ?? {};
  if (canary !== undefined) return resolveSurgeAndUnavailable(ctx.replicas, canary.maxSurge, canary.maxUnavailable).maxUnavailable;
  return IntOrPercent.from(blueGreen?.maxUnavailable ?? '25%').resolve(ctx.replicas, 'down');
}

/** Plans the evictions of this pass; returns whether any pod is evicted (counts are then stale). */
export function restartPods(ctx: Context): boolean {
  const restartAt = ctx.rollout.spec.restartAt;
  if (restartAt === undefined || ctx.status.restartedAt === restartAt) return false;
  const due = Date.parse(restartAt);
  if (!Number.isFinite(due)) return false;
  if (due > ctx.now.getTime()) {
    requeueIn(ctx, due - ctx.now.getTime());
    return false;
  }
  const pods = ctx.snapshot.pods;
  if (pods === undefined) {
    ctx.status.restartedAt = restartAt;
    return false;
  }
  const owned = new Set(ctx.replicaSets.map((rs) => rs.name));
  const live = pods.filter((pod) => owned.has(pod.replicaSet) && pod.deletionTimestamp === undefined);
  const old = live.filter((pod) => Date.parse(pod.creationTimestamp) < due);
  if (old.length === 0) {
    ctx.status.restartedAt = restartAt;
    return false;
  }
  const available = live.filter((pod) => pod.available).length;
  const wanted = Math.max(ctx.replicas, ctx.replicaSets.reduce((sum, rs) => sum + rs.replicas, 0));
  let budget = available - (wanted - Math.max(maxUnavailable(ctx), 1));
  const ordered = [...old].sort(
    (a, b) => Number(a.available) - Number(b.available) || Date.parse(a.creationTimestamp) - Date.parse(b.creationTimestamp) || (a.name < b.name ? -1 : 1),
  );
  let evicted = 0;
  for (const pod of ordered) {
    if (pod.available) {
      if (budget <= 0) break;
      budget -= 1;
    }
    ctx.evictPods.push(pod.name);
    evicted += 1;
  }
  requeueIn(ctx, RESTART_RECHECK_MS);
  return evicted > 0;
}
