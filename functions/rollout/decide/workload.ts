// spec.workloadRef (reference §2.1, §3, §6 step 2, §15.1): the Rollout takes its pod template
// (and, when it has none, its selector) from a Deployment or a PodTemplate. The decision resolves
// the reference first and then decides on the resolved Rollout as if the template were inline;
// it also keeps the `rollout.argoproj.io/workload-generation` annotation and
// `status.workloadObservedGeneration` in step with the workload, and scales a Deployment down
// as `workloadRef.scaleDown` asks.
import {
  WORKLOAD_GENERATION_ANNOTATION,
  forbiddenError,
  invalidError,
  requiredError,
  type FieldError,
  type Rollout,
} from '../../api/index.ts';
import { recordEvent, type Context } from './context.ts';
import type { Action, WorkloadView } from './types.ts';

/** The kinds Ramp resolves: API group ('' = core) and kind, with the resource name for messages. */
const RESOLVABLE: ReadonlyArray<{ group: string; kind: string; resource: string }> = [
  { group: 'apps', kind: 'Deployment', resource: 'deployments.apps' },
  { group: '', kind: 'PodTemplate', resource: 'podtemplates' },
];

function groupOf(apiVersion: string | undefined): string {
  if (apiVersion === undefined) return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Argo's test for an "empty" template next to a workloadRef: no labels and no annotations. */
function templateIsEmpty(rollout: Rollout): boolean {
  const meta = rollout.spec.template?.metadata;
  return Object.keys(meta?.labels ?? {}).length === 0 && Object.keys(meta?.annotations ?? {}).length === 0;
}

export type WorkloadResolution = { rollout: Rollout; workload?: WorkloadView } | { problem: FieldError };

/**
 * The Rollout with the referenced workload's pod template in `spec.template` (and its selector
 * in `spec.selector` when the Rollout has none), or the problem that keeps it from being
 * resolved. A Rollout without workloadRef is returned as it is.
 */
export function resolveWorkloadRef(rollout: Rollout, workload: WorkloadView | undefined): WorkloadResolution {
  const ref = rollout.spec.workloadRef;
  if (ref === undefined) return { rollout };
  if (!templateIsEmpty(rollout)) {
    return { problem: forbiddenError('spec.template', 'template must be empty for workload reference rollout') };
  }
  const group = groupOf(ref.apiVersion);
  const kind = ref.kind ?? '';
  if (group === 'apps' && kind === 'ReplicaSet') {
    return {
      problem: invalidError('spec.workloadRef.kind', kind, 'a ReplicaSet as workloadRef is not supported by Ramp yet; reference a Deployment or a PodTemplate'),
    };
  }
  const resolvable = RESOLVABLE.find((r) => r.group === group && r.kind === kind);
  if (resolvable === undefined) {
    return { problem: invalidError('spec.workloadRef.kind', kind, `workload of type ${group}/${kind} is not supported`) };
  }
  const name = ref.name ?? '';
  if (name === '') return { problem: requiredError('spec.workloadRef.name', `the name of the ${kind} to take the pod template from`) };
  if (workload === undefined || workload.kind !== kind || groupOf(workload.apiVersion) !== group || workload.name !== name) {
    return { problem: invalidError('spec.workloadRef.name', name, `${resolvable.resource} "${name}" not found`) };
  }
  const resolved = structuredClone(rollout);
  resolved.spec.template = structuredClone(workload.template);
  if (resolved.spec.selector === undefined && workload.selector !== undefined) resolved.spec.selector = structuredClone(workload.selector);
  return { rollout: resolved, workload };
}

/** Adds annotation changes to the pass's annotateRollout action (one patch of the Rollout). */
function annotateRollout(ctx: Context, changes: { set?: Record<string, string>; remove?: string[] }): void {
  const existing = ctx.actions.find((a): a is Extract<Action, { kind: 'annotateRollout' }> => a.kind === 'annotateRollout');
  if (existing === undefined) {
    ctx.actions.push({ kind: 'annotateRollout', annotations: changes });
    return;
  }
  existing.annotations = {
    ...(existing.annotations.set !== undefined || changes.set !== undefined ? { set: { ...existing.annotations.set, ...changes.set } } : {}),
    ...(existing.annotations.remove !== undefined || changes.remove !== undefined
      ? { remove: [...(existing.annotations.remove ?? []), ...(changes.remove ?? [])] }
      : {}),
  };
}

/**
 * `rollout.argoproj.io/workload-generation` on the Rollout = the workload's generation, and
 * `status.workloadObservedGeneration` = the same once this pass has acted on it — Argo CD
 * waits for the two to agree (reference §15.1). Without workloadRef both go away.
 */
export function syncWorkloadGeneration(ctx: Context, workload: WorkloadView | undefined): void {
  const annotations = ctx.rollout.metadata?.annotations ?? {};
  if (ctx.rollout.spec.workloadRef === undefined || workload === undefined) {
    delete ctx.status.workloadObservedGeneration;
    if (WORKLOAD_GENERATION_ANNOTATION in annotations) annotateRollout(ctx, { remove: [WORKLOAD_GENERATION_ANNOTATION] });
    return;
  }
  const generation = String(workload.generation ?? 0);
  if (annotations[WORKLOAD_GENERATION_ANNOTATION] !== generation) annotateRollout(ctx, { set: { [WORKLOAD_GENERATION_ANNOTATION]: generation } });
  ctx.status.workloadObservedGeneration = generation;
}

/**
 * `workloadRef.scaleDown` (reference §2.1), for a referenced Deployment, once the status of
 * this pass is known:
 * - `never` (or unset): the Deployment is left alone;
 * - `onsuccess`: scaled to 0 once the Rollout is Healthy;
 * - `progressively`: while revision 1 rolls out, scaled to `replicas − readyReplicas` of the
 *   Rollout; to 0 once the Rollout is Healthy.
 * Ramp only ever scales the Deployment down; a Deployment at 0 that someone scaled up again is
 * scaled down again the next time the Rollout is Healthy.
 */
export function scaleDownWorkload(ctx: Context, workload: WorkloadView | undefined): void {
  const ref = ctx.rollout.spec.workloadRef;
  const mode = ref?.scaleDown ?? 'never';
  if (workload === undefined || workload.kind !== 'Deployment' || (mode !== 'onsuccess' && mode !== 'progressively')) return;
  const current = workload.replicas ?? 1;
  let target: number | undefined;
  if (ctx.status.phase === 'Healthy') target = 0;
  else if (mode === 'progressively' && ctx.newRS.revision === 1) target = Math.max(0, ctx.replicas - (ctx.status.readyReplicas ?? 0));
  if (target === undefined || target >= current) return;
  ctx.actions.push({ kind: 'scaleDeployment', name: workload.name, from: current, replicas: target });
  recordEvent(ctx, 'ScalingDeployment', `Scaled down Deployment ${workload.name} from ${current} to ${target} (workloadRef scaleDown: ${mode})`);
}
