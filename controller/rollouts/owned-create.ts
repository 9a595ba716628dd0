// What to do when an AnalysisRun or Experiment the decision asked for cannot be created because
// its name is taken (reference §11.6, §12.4). The decision picked a name no object in its
// snapshot holds, so the holder is one the caches have not shown yet:
//
// - ours (controlled by this Rollout) and the very object asked for (a run: not completed, same
//   metrics, args, dryRun and measurementRetention; an experiment: not completed) → it is that
//   object: nothing to create;
// - ours but not reusable → the decision must see it first: the caller treats it as a stale view
//   (the object is remembered, so the next decision picks another name);
// - someone else's → the next name is tried (`<name>.1`, `<name>.2`, … for runs, `<name>-1`, … for
//   experiments), as Argo does, since the decision never sees objects it does not own.
import type { KubernetesObject } from '@kubernetes/client-node';
import { isCompletedPhase, isReusableAnalysisRun } from '../../functions/analysis/index.ts';
import type { AnalysisPhase, AnalysisRun, Experiment } from '../../functions/api/index.ts';
import type { Action } from '../../functions/rollout/decide/types.ts';
import type { RawRequest } from '../kube/client.ts';
import { isAlreadyExists } from '../kube/errors.ts';
import { resourcePath } from '../kube/resource.ts';
import { AnalysisRuns, Experiments } from './resources.ts';

/** How many other names are tried before giving up. */
export const MAX_NAME_ATTEMPTS = 10;

export type CreateAction = Extract<Action, { kind: 'createAnalysisRun' | 'createExperiment' }>;

export type CollisionOutcome =
  /** The object now exists under this name (created, or found to be the one asked for). */
  | { outcome: 'exists'; object: KubernetesObject; created: boolean }
  /** Ours, but not the one asked for: decide again with it in view. */
  | { outcome: 'stale'; object: KubernetesObject };

interface Client {
  request<R>(req: RawRequest): Promise<R>;
}

function controllerUid(object: KubernetesObject): string | undefined {
  return object.metadata?.ownerReferences?.find((r) => r.controller === true)?.uid;
}

function nameFor(action: CreateAction, base: string, attempt: number): string {
  if (attempt === 0) return base;
  return action.kind === 'createAnalysisRun' ? `${base}.${attempt}` : `${base}-${attempt}`;
}

function desiredOf(action: CreateAction): AnalysisRun | Experiment {
  return action.kind === 'createAnalysisRun' ? action.analysisRun : action.experiment;
}

function isTheOneAskedFor(action: CreateAction, existing: KubernetesObject, rolloutUid: string): boolean {
  if (action.kind === 'createAnalysisRun') return isReusableAnalysisRun(existing as unknown as AnalysisRun, action.analysisRun, rolloutUid);
  const phase = (existing as { status?: { phase?: AnalysisPhase } }).status?.phase;
  return controllerUid(existing) === rolloutUid && !isCompletedPhase(phase) && (existing as { spec?: { terminate?: boolean } }).spec?.terminate !== true;
}

/** Called after the create of `action` failed with AlreadyExists. */
export async function resolveNameCollision(client: Client, action: CreateAction, namespace: string, rolloutUid: string): Promise<CollisionOutcome> {
  const desired = desiredOf(action);
  const resource = action.kind === 'createAnalysisRun' ? AnalysisRuns : Experiments;
  const base = desired.metadata?.name ?? '';
  for (let attempt = 0; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const name = nameFor(action, base, attempt);
    if (attempt > 0) {
      try {
        const created = await client.request<KubernetesObject>({
          method: 'POST',
          path: resourcePath(resource, namespace),
          body: { ...desired, metadata: { ...desired.metadata, name, namespace } },
        });
        return { outcome: 'exists', object: created, created: true };
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
      }
    }
    const existing = await client.request<KubernetesObject>({ method: 'GET', path: resourcePath(resource, namespace, name) });
    if (isTheOneAskedFor(action, existing, rolloutUid)) return { outcome: 'exists', object: existing, created: false };
    if (controllerUid(existing) === rolloutUid) return { outcome: 'stale', object: existing };
  }
  throw new Error(`${desired.kind} ${base}: the name and ${MAX_NAME_ATTEMPTS} alternatives are taken by objects of other owners`);
}
