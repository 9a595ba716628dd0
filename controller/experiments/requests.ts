// Each action of an experiment decision as the one API request that carries it out. Pure
// translation: the decision said what to do; this says how it is spelled on the wire.
//
// Preconditions guard writes decided on a view that may be stale:
// - scaling sends a JSON patch whose first op tests `spec.replicas` against the count the
//   decision saw, so a concurrent scale fails (422) instead of being overwritten;
// - deleting a Service carries its uid (a newer Service of the same name is left alone);
// - the status write carries the Experiment's resourceVersion (409 when it changed meanwhile).
import type { ExperimentAction } from '../../functions/experiment/index.ts';
import type { RawRequest } from '../kube/client.ts';
import { resourcePath } from '../kube/resource.ts';
import { annotationOps, scaleOps } from '../rollouts/requests.ts';
import { AnalysisRuns, Experiments, ReplicaSets, Services } from './resources.ts';

/** Which resource a request writes, so the answer can be remembered in the right view. */
export type WrittenKind = 'replicaSet' | 'service' | 'analysisRun';

export interface ActionRequest {
  request: RawRequest;
  writes: WrittenKind;
  /** A create: 409 AlreadyExists means the name is taken (by us, seen late, or by someone else). */
  creates: boolean;
  /** 404 means done (the object is already gone). */
  notFoundIsDone: boolean;
  /** 409 means done (a delete's uid precondition failed: the name now belongs to another object). */
  conflictIsDone: boolean;
  /** 422 means the decision saw a stale object (a JSON-patch test that no longer holds). */
  staleOnInvalid: boolean;
}

export interface ActionContext {
  namespace: string;
  /** Current annotations of the ReplicaSets the decision saw, by name. */
  replicaSetAnnotations: (name: string) => Readonly<Record<string, string>> | undefined;
}

const plain = { creates: false, notFoundIsDone: false, conflictIsDone: false, staleOnInvalid: false };

export function requestFor(action: ExperimentAction, ctx: ActionContext): ActionRequest {
  const ns = ctx.namespace;
  switch (action.kind) {
    case 'createReplicaSet':
      return {
        ...plain,
        creates: true,
        writes: 'replicaSet',
        request: { method: 'POST', path: resourcePath(ReplicaSets, ns), body: { ...action.replicaSet, metadata: { ...action.replicaSet.metadata, namespace: ns } } },
      };
    case 'scaleReplicaSet':
      return {
        ...plain,
        staleOnInvalid: true,
        writes: 'replicaSet',
        request: {
          method: 'PATCH',
          path: resourcePath(ReplicaSets, ns, action.name),
          patchType: 'json',
          body: scaleOps(action.from, action.replicas),
        },
      };
    case 'annotateReplicaSet': {
      const ops = annotationOps(ctx.replicaSetAnnotations(action.name), action.annotations);
      return {
        ...plain,
        staleOnInvalid: true,
        writes: 'replicaSet',
        request: { method: 'PATCH', path: resourcePath(ReplicaSets, ns, action.name), patchType: 'json', body: ops },
      };
    }
    case 'createService':
      return {
        ...plain,
        creates: true,
        writes: 'service',
        request: { method: 'POST', path: resourcePath(Services, ns), body: { ...action.service, metadata: { ...action.service.metadata, namespace: ns } } },
      };
    case 'deleteService':
      return {
        ...plain,
        notFoundIsDone: true,
        conflictIsDone: true,
        writes: 'service',
        request: {
          method: 'DELETE',
          path: resourcePath(Services, ns, action.name),
          body: { apiVersion: 'v1', kind: 'DeleteOptions', ...(action.uid ? { preconditions: { uid: action.uid } } : {}) },
        },
      };
    case 'createAnalysisRun':
      return {
        ...plain,
        creates: true,
        writes: 'analysisRun',
        request: {
          method: 'POST',
          path: resourcePath(AnalysisRuns, ns),
          body: { ...action.analysisRun, metadata: { ...action.analysisRun.metadata, namespace: ns } },
        },
      };
    case 'terminateAnalysisRun':
      return {
        ...plain,
        notFoundIsDone: true,
        writes: 'analysisRun',
        request: { method: 'PATCH', path: resourcePath(AnalysisRuns, ns, action.name), patchType: 'merge', body: { spec: { terminate: true } } },
      };
  }
}

/** The GET that reads the object a create collided with. */
export function readBackRequest(action: ExperimentAction, namespace: string): RawRequest | undefined {
  switch (action.kind) {
    case 'createReplicaSet':
      return { method: 'GET', path: resourcePath(ReplicaSets, namespace, action.replicaSet.metadata.name) };
    case 'createService':
      return { method: 'GET', path: resourcePath(Services, namespace, action.service.metadata.name) };
    case 'createAnalysisRun':
      return { method: 'GET', path: resourcePath(AnalysisRuns, namespace, action.analysisRun.metadata?.name ?? '') };
    default:
      return undefined;
  }
}

/**
 * The status write: a merge patch of the Experiment itself (its CRD has no status
 * subresource), guarded by the resourceVersion the decision was taken on.
 */
export function statusRequest(namespace: string, name: string, resourceVersion: string | undefined, patch: unknown): RawRequest {
  return {
    method: 'PATCH',
    path: resourcePath(Experiments, namespace, name),
    patchType: 'merge',
    body: { metadata: { ...(resourceVersion ? { resourceVersion } : {}) }, status: patch },
  };
}
