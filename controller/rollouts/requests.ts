// Each action of a decision as the one API request that carries it out. Pure translation: the
// decision said what to do; this says how it is spelled on the wire.
//
// Preconditions guard writes decided on a view that may be stale:
// - scaling (a ReplicaSet, or the Deployment a workloadRef names) sends a JSON patch whose first
//   op tests `spec.replicas` against the count the decision saw, so a concurrent scale fails
//   (422) instead of being overwritten;
// - adoption carries the resourceVersion read (409 when the ReplicaSet changed meanwhile);
// - deletion carries the uid (an object recreated under the same name is left alone).
import {
  MANAGED_BY_ROLLOUTS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
} from '../../functions/api/index.ts';
import type { Action, AnnotationChanges } from '../../functions/rollout/decide/types.ts';
import type { RawRequest } from '../kube/client.ts';
import { resourcePath } from '../kube/resource.ts';
import { mergePatchDiff } from './merge-patch.ts';
import { AnalysisRuns, Deployments, Experiments, Pods, ReplicaSets, Rollouts, Services } from './resources.ts';
import type { ReplicaSetObject, RolloutObject } from './snapshot.ts';

/** What the translation needs besides the action: where, and the objects the decision saw. */
export interface RequestContext {
  namespace: string;
  rollout: RolloutObject;
  /** The ReplicaSets of the snapshot, by name. */
  replicaSets: ReadonlyMap<string, ReplicaSetObject>;
}

/** Which resource the request writes, so the answer can be remembered in the right view. */
export type WrittenKind = 'rollout' | 'replicaSet' | 'service' | 'analysisRun' | 'experiment' | 'deployment';

export interface ActionRequest {
  request: RawRequest;
  writes: WrittenKind;
  /** 404 means done (the object is already gone). */
  notFoundIsDone: boolean;
  /** 409 means done (a delete's uid precondition failed: the name now belongs to another object). */
  conflictIsDone: boolean;
  /**
   * 422 means "decided on a stale view" (a JSON-patch test that no longer holds), not an invalid
   * request. A 409 (Conflict, AlreadyExists) always means a stale view unless conflictIsDone.
   */
  staleOnInvalid: boolean;
}

/** RFC 6901 escaping of one path segment. */
export function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Annotation changes as a merge-patch fragment: `{k: v, removed: null}`. */
export function annotationPatch(changes: AnnotationChanges): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of changes.remove ?? []) out[key] = null;
  for (const [key, value] of Object.entries(changes.set ?? {})) out[key] = value;
  return out;
}

/** JSON-patch ops scaling to `replicas`, refused (422) unless `spec.replicas` is still `from`. */
export function scaleOps(from: number, replicas: number): Array<Record<string, unknown>> {
  return [
    { op: 'test', path: '/spec/replicas', value: from },
    { op: 'replace', path: '/spec/replicas', value: replicas },
  ];
}

/** JSON-patch ops applying annotation changes to an object whose current annotations are `current`. */
export function annotationOps(current: Readonly<Record<string, string>> | undefined, changes: AnnotationChanges): Array<Record<string, unknown>> {
  const set = changes.set ?? {};
  if (current === undefined) {
    return Object.keys(set).length === 0 ? [] : [{ op: 'add', path: '/metadata/annotations', value: { ...set } }];
  }
  const ops: Array<Record<string, unknown>> = [];
  for (const key of changes.remove ?? []) {
    if (Object.hasOwn(current, key) && !Object.hasOwn(set, key)) ops.push({ op: 'remove', path: `/metadata/annotations/${pointerSegment(key)}` });
  }
  for (const [key, value] of Object.entries(set)) ops.push({ op: 'add', path: `/metadata/annotations/${pointerSegment(key)}`, value });
  return ops;
}

/** A manifest with metadata.namespace set to the Rollout's. */
function withNamespace<T extends { metadata?: object }>(object: T, namespace: string): T {
  return { ...object, metadata: { ...(object.metadata ?? {}), namespace } };
}

export function requestFor(action: Action, ctx: RequestContext): ActionRequest {
  const ns = ctx.namespace;
  switch (action.kind) {
    case 'createReplicaSet': {
      const rs = action.replicaSet;
      return {
        request: { method: 'POST', path: resourcePath(ReplicaSets, ns), body: { ...rs, metadata: { ...rs.metadata, namespace: ns } } },
        writes: 'replicaSet',
        notFoundIsDone: false,
        conflictIsDone: false,
        staleOnInvalid: false,
      };
    }
    case 'adoptReplicaSet': {
      const rs = ctx.replicaSets.get(action.name);
      const others = (rs?.metadata?.ownerReferences ?? []).filter((r) => r.controller !== true && r.uid !== action.ownerReference.uid);
      return {
        request: {
          method: 'PATCH',
          path: resourcePath(ReplicaSets, ns, action.name),
          patchType: 'merge',
          body: {
            metadata: {
              ...(rs?.metadata?.resourceVersion ? { resourceVersion: rs.metadata.resourceVersion } : {}),
              ...(action.uid ? { uid: action.uid } : {}),
              ownerReferences: [...others, action.ownerReference],
            },
          },
        },
        writes: 'replicaSet',
        notFoundIsDone: false,
        conflictIsDone: false,
        staleOnInvalid: false,
      };
    }
    case 'annotateReplicaSet':
      return {
        request: {
          method: 'PATCH',
          path: resourcePath(ReplicaSets, ns, action.name),
          patchType: 'merge',
          body: { metadata: { annotations: annotationPatch(action.annotations) } },
        },
        writes: 'replicaSet',
        notFoundIsDone: false,
        conflictIsDone: false,
        staleOnInvalid: false,
      };
    case 'scaleReplicaSet': {
      const rs = ctx.replicaSets.get(action.name);
      return {
        request: {
          method: 'PATCH',
          path: resourcePath(ReplicaSets, ns, action.name),
          patchType: 'json',
          body: [
            { op: 'test', path: '/spec/replicas', value: action.from },
            { op: 'add', path: '/spec/replicas', value: action.replicas },
            ...annotationOps(rs?.metadata?.annotations, action.annotations),
          ],
        },
        writes: 'replicaSet',
        notFoundIsDone: false,
        conflictIsDone: false,
        staleOnInvalid: true,
      };
    }
    case 'patchServiceSelector':
      return {
        request: {
          method: 'PATCH',
          path: resourcePath(Services, ns, action.service),
          patchType: 'merge',
          body: {
            metadata: { annotations: { [MANAGED_BY_ROLLOUTS_ANNOTATION]: action.managedBy } },
            spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: action.hash } },
          },
        },
        writes: 'service',
        notFoundIsDone: false,
        conflictIsDone: false,
        staleOnInvalid: false,
      };
    case 'deleteReplicaSet':
      return {
        request: {
          method: 'DELETE',
          path: resourcePath(ReplicaSets, ns, action.name),
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            propagationPolicy: 'Background',
            ...(action.uid ? { preconditions: { uid: action.uid } } : {}),
          },
        },
        writes: 'replicaSet',
        notFoundIsDone: true,
        conflictIsDone: true,
        staleOnInvalid: false,
      };
    case 'createAnalysisRun':
      return {
        request: { method: 'POST', path: resourcePath(AnalysisRuns, ns), body: withNamespace(action.analysisRun, ns) },
        writes: 'analysisRun',
        notFoundIsDone: false,
        conflictIsDone: false,
        staleOnInvalid: false,
      };
    case 'createExperiment':
      return {
        request: { method: 'POST', path: resourcePath(Experiments, ns), body: withNamespace(action.experiment, ns) },
        writes: 'experiment',
        notFoundIsDone: false,
        conflictIsDone: false,
        staleOnInvalid: false,
      };
    case 'deleteAnalysisRun':
    case 'deleteExperiment':
      return {
        request: {
          method: 'DELETE',
          path: resourcePath(action.kind === 'deleteAnalysisRun' ? AnalysisRuns : Experiments, ns, action.name),
          body: {
            apiVersion: 'v1',
            kind: 'DeleteOptions',
            propagationPolicy: 'Background',
            ...(action.uid ? { preconditions: { uid: action.uid } } : {}),
          },
        },
        writes: action.kind === 'deleteAnalysisRun' ? 'analysisRun' : 'experiment',
        notFoundIsDone: true,
        conflictIsDone: true,
        staleOnInvalid: false,
      };
    case 'terminateAnalysisRun':
      return {
        request: { method: 'PATCH', path: resourcePath(AnalysisRuns, ns, action.name), patchType: 'merge', body: { spec: { terminate: true } } },
        writes: 'analysisRun',
        notFoundIsDone: true,
        conflictIsDone: false,
        staleOnInvalid: false,
      };
    case 'terminateExperiment':
      return {
        request: { method: 'PATCH', path: resourcePath(Experiments, ns, action.name), patchType: 'merge', body: { spec: { terminate: true } } },
        writes: 'experiment',
        notFoundIsDone: true,
        conflictIsDone: false,
        staleOnInvalid: false,
      };
    case 'annotateRollout':
      return {
        request: {
          method: 'PATCH',
          path: resourcePath(Rollouts, ns, ctx.rollout.metadata?.name),
          patchType: 'merge',
          body: { metadata: { annotations: annotationPatch(action.annotations) } },
        },
        writes: 'rollout',
        notFoundIsDone: false,
        conflictIsDone: false,
        staleOnInvalid: false,
      };
    case 'scaleDeployment':
      return {
        request: {
          method: 'PATCH',
          path: resourcePath(Deployments, ns, action.name),
          patchType: 'json',
          body: scaleOps(action.from, action.replicas),
        },
        writes: 'deployment',
        notFoundIsDone: false,
        conflictIsDone: false,
        staleOnInvalid: true,
      };
  }
}

/**
 * The status write: a merge patch of the /status subresource from the status the decision saw
 * to the one it wants, or undefined when they are equal (nothing is written).
 */
export function statusRequest(rollout: RolloutObject, desired: unknown): RawRequest | undefined {
  const diff = mergePatchDiff(rollout.status ?? {}, desired ?? {});
  if (diff === undefined) return undefined;
  return {
    method: 'PATCH',
    path: resourcePath(Rollouts, rollout.metadata?.namespace, rollout.metadata?.name, 'status'),
    patchType: 'merge',
    body: { status: diff },
  };
}

/**
 * An eviction through the Eviction API (policy/v1), so PodDisruptionBudgets are honoured:
 * spec.restartAt restarts pods this way.
 */
export function evictionRequest(namespace: string, pod: string): RawRequest {
  return {
    method: 'POST',
    path: `${resourcePath(Pods, namespace, pod)}/eviction`,
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } },
  };
}
