// decideRollout: a snapshot of a Rollout and what it owns in, the actions to take, the status
// to write, the events to record and when to look again out. Pure: no I/O, no clock.
//
// One pass (reference §6):
//  1. a Rollout being deleted is left alone;
//  2. spec.workloadRef is resolved (the referenced Deployment's or PodTemplate's pod template
//     becomes the Rollout's); an unusable spec (or a missing workload, a missing/foreign
//     Service, an analysis whose templates are missing or cannot be merged) gives InvalidSpec,
//     Degraded, no actions;
//  3. ReplicaSets are claimed (orphans adopted) and the one running the template found or
//     created; revisions are kept in order;
//  4. a changed template or step list resets the update's status (reference §8.9);
//  5. abort / retry / promote-full as the user left them are read; pods are restarted for
//     spec.restartAt (when the snapshot has pods; nothing else is decided while evicting);
//  6. the strategy decides scaling, steps, pauses, Services, and the AnalysisRuns and
//     Experiments to create, terminate and delete;
//  7. the status is completed: counts, progress deadline, conditions, phase; a referenced
//     Deployment is scaled down as workloadRef.scaleDown asks.
import { formatFieldError, type FieldError, type Rollout, type RolloutStatus } from '../../api/index.ts';
import { metaTime } from '../../values/meta-time.ts';
import { analysisReferenceProblems } from './analysis-references.ts';
import { decideBlueGreen } from './blue-green.ts';
import { decideCanary } from './canary.ts';
import { getCondition, MESSAGE, REASON, setCondition } from './conditions.ts';
import { recordEvent, type Context, type WorkingReplicaSet } from './context.ts';
import { readUserSwitches, withinRollbackWindow } from './controls.ts';
import { canaryStepHash } from './hashing.ts';
import { rolloutPhase } from './phase.ts';
import { chooseNewReplicaSet, claimReplicaSets, replicaSetManifest, rolloutOwnerReference, syncRevisions, workingReplicaSet } from './replica-sets.ts';
import { restartPods } from './restart.ts';
import { referenceProblems, specProblems } from './spec-problems.ts';
import { finalizeStatus } from './status.ts';
import type { DecideOptions, Decision, RolloutSnapshot } from './types.ts';
import { resolveWorkloadRef, scaleDownWorkload, syncWorkloadGeneration } from './workload.ts';

/** Argo re-checks an invalid Rollout every 20 s (referenced objects may appear). */
export const INVALID_SPEC_REQUEUE_MS = 20_000;

function invalidSpecDecision(rollout: Rollout, now: Date, firstError: string): Decision {
  const prev = rollout.status ?? {};
  const name = rollout.metadata?.name ?? '';
  const message = MESSAGE.invalidSpec(name, firstError);
  const status: RolloutStatus = structuredClone(prev);
  if (rollout.metadata?.generation !== undefined) status.observedGeneration = String(rollout.metadata.generation);
  status.canary ??= {};
  status.blueGreen ??= {};
  status.conditions = setCondition(status.conditions ?? [], { type: 'InvalidSpec', status: 'True', reason: REASON.invalidSpec, message }, metaTime(now));
  const { phase, message: phaseMessage } = rolloutPhase(rollout.spec, status);
  status.phase = phase;
  status.message = phaseMessage;
  const known = getCondition(prev.conditions, 'InvalidSpec');
  const events = known?.message === message ? [] : [{ type: 'Warning' as const, reason: 'InvalidSpec', message }];
  return { actions: [], status, requeueAfterMs: INVALID_SPEC_REQUEUE_MS, events };
}

/** Template or steps changed (or first pass): reset the update's bookkeeping (reference §8.9). */
function resetUpdate(ctx: Context, stepHash: string | undefined): void {
  const status = ctx.status;
  const prev = ctx.prev;
  const templateChanged = prev.currentPodHash !== ctx.newRS.hash;
  const stepsChanged = stepHash !== undefined && prev.currentStepHash !== undefined && prev.currentStepHash !== stepHash;
  if (stepHash !== undefined) {
    status.currentStepHash = stepHash;
  } else {
    delete status.currentStepHash;
    delete status.currentStepIndex;
  }
  if (!templateChanged && !stepsChanged) return;

  ctx.reset = true;
  delete status.pauseConditions;
  delete status.controllerPause;
  delete status.abort;
  delete status.abortedAt;
  delete status.promoteFull;
  status.canary = {};
  const previewHash = status.blueGreen?.previewSelector;
  const activeHash = status.blueGreen?.activeSelector;
  status.blueGreen = {
    ...(activeHash !== undefined ? { activeSelector: activeHash } : {}),
    ...(previewHash !== undefined ? { previewSelector: previewHash } : {}),
  };
  if (ctx.rollout.spec.restartAt !== undefined) status.restartedAt = ctx.rollout.spec.restartAt;
  const steps = ctx.rollout.spec.strategy?.canary?.steps;
  if (ctx.rollout.spec.strategy?.canary !== undefined) {
    if ((steps ?? []).length > 0) status.currentStepIndex = 0;
    else delete status.currentStepIndex;
  }
  if (templateChanged) {
    recordEvent(ctx, 'RolloutNotCompleted', `Rollout not completed, started update to revision ${ctx.newRS.revision} (${ctx.newRS.hash})`);
  }
  if (steps !== undefined && steps.length > 0 && status.stableRS) {
    if (status.stableRS === ctx.newRS.hash) {
      status.currentStepIndex = steps.length;
      recordEvent(ctx, 'SkipSteps', 'Rollback to stable ReplicaSets');
    } else if (withinRollbackWindow(ctx) && ctx.newRS.replicas > 0) {
      status.currentStepIndex = steps.length;
      recordEvent(ctx, 'SkipSteps', 'Rollback to active ReplicaSets within RollbackWindow');
    }
  }
}

export function decideRollout(input: RolloutSnapshot, options: DecideOptions = {}): Decision {
  const { now } = input;
  const prev: RolloutStatus = structuredClone(input.rollout.status ?? {});
  if (input.rollout.metadata?.deletionTimestamp !== undefined) return { actions: [], status: prev, events: [] };

  // The validator sees the Rollout as written; everything after it the resolved one.
  const resolution = resolveWorkloadRef(input.rollout, input.workload);
  const problems = [...(options.validate?.(input.rollout) ?? [])];
  if ('problem' in resolution) problems.push(resolution.problem);
  if (problems.length > 0 || 'problem' in resolution) return invalidSpecDecision(input.rollout, now, formatFieldError(problems[0] as FieldError));
  const { rollout, workload } = resolution;
  const snapshot: RolloutSnapshot = { ...input, rollout };

  problems.push(...specProblems(rollout));
  if (problems.length === 0) problems.push(...referenceProblems(rollout, snapshot.services));
  if (problems.length === 0) problems.push(...analysisReferenceProblems(snapshot));
  const firstProblem = problems[0];
  if (firstProblem !== undefined) return invalidSpecDecision(rollout, now, formatFieldError(firstProblem));

  const name = rollout.metadata?.name ?? '';
  const claimed = claimReplicaSets(snapshot);
  const choice = chooseNewReplicaSet(snapshot, [...claimed.owned, ...claimed.adopted]);
  const replicaSets = [...claimed.owned, ...claimed.adopted].map((rs) => workingReplicaSet(rs, name));
  const status: RolloutStatus = structuredClone(prev);
  if (choice.collisionCount !== undefined) status.collisionCount = choice.collisionCount;

  let newRS = choice.existing === undefined ? undefined : replicaSets.find((rs) => rs.name === choice.existing?.name);
  const actions: Decision['actions'] = claimed.adopted.map((rs) => ({
    kind: 'adoptReplicaSet' as const,
    name: rs.name,
    ...(rs.uid !== undefined ? { uid: rs.uid } : {}),
    ownerReference: rolloutOwnerReference(rollout),
  }));
  const ctx: Context = {
    snapshot,
    rollout,
    name,
    now,
    nowText: metaTime(now),
    replicas: rollout.spec.replicas ?? 1,
    prev,
    status,
    actions,
    events: [],
    requeueAfterMs: [],
    evictPods: [],
    replicaSets,
    newRS: newRS as WorkingReplicaSet,
    createdNewRS: newRS === undefined,
    resumed: prev.controllerPause === true && (prev.pauseConditions ?? []).length === 0,
    userResumed: prev.controllerPause === true && (prev.pauseConditions ?? []).length === 0,
    retried: false,
    reset: false,
  };
  if (newRS === undefined) {
    const revision = Math.max(0, ...replicaSets.map((rs) => rs.revision)) + 1;
    const manifest = replicaSetManifest(rollout, choice.hash, revision, 0);
    newRS = {
      name: manifest.metadata.name,
      hash: choice.hash,
      revision,
      replicas: 0,
      observedReplicas: 0,
      annotations: { ...manifest.metadata.annotations },
      statusReplicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      creationTimestamp: ctx.nowText,
      created: true,
    };
    replicaSets.push(newRS);
    ctx.newRS = newRS;
    actions.push({ kind: 'createReplicaSet', replicaSet: manifest });
    recordEvent(ctx, 'NewReplicaSetCreated', `Created ReplicaSet ${manifest.metadata.name} (revision ${revision})`);
  }
  syncRevisions(ctx);
  syncWorkloadGeneration(ctx, workload);

  const canary = rollout.spec.strategy?.canary;
  resetUpdate(ctx, canary !== undefined ? canaryStepHash(canary.steps) : undefined);
  readUserSwitches(ctx);
  // While pods are being evicted the counts are stale: no scaling or step decisions this pass.
  const restarting = restartPods(ctx);
  if (!restarting && canary !== undefined) decideCanary(ctx);
  else if (!restarting) decideBlueGreen(ctx);

  finalizeStatus(ctx);
  scaleDownWorkload(ctx, workload);
  const requeue = ctx.requeueAfterMs.length > 0 ? Math.min(...ctx.requeueAfterMs) : undefined;
  return {
    actions: ctx.actions,
    status: ctx.status,
    ...(requeue !== undefined ? { requeueAfterMs: requeue } : {}),
    events: ctx.events,
    ...(ctx.evictPods.length > 0 ? { evictPods: ctx.evictPods } : {}),
  };
}
