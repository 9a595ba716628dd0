// The managed Service/Ingress guard (issue 3 §5, reference §10). The controller marks a Service
// it routes with `argo-rollouts.argoproj.io/managed-by-rollouts: <rollout>` and adds
// `rollouts-pod-template-hash` to its selector; re-applying the user's original manifest (a GitOps
// sync with Replace, kubectl replace, an apply whose last-applied had the key) would drop both and
// send traffic to every version at once. On UPDATE the guard puts back what the update dropped,
// while the owning Rollout exists and still names the object; every other change goes through.
// The Rollout lookup is the caller's (webhooks/); the decision here is pure.
import {
  MANAGED_ALB_ANNOTATIONS_ANNOTATION,
  MANAGED_BY_ROLLOUTS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  type Rollout,
} from '../api/index.ts';
import { isJsonObject, type JsonObject } from '../defaults/json.ts';
import { albIngressNames, nginxStableIngressNames, referencedServiceNames } from '../services/references.ts';
import { encodePatch, jsonPatch } from './mutate.ts';
import type { AdmissionResponse } from './response.ts';
import type { AdmissionRequest } from './review.ts';

export const GUARDED_KINDS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: '', kind: 'Service' },
  { group: 'networking.k8s.io', kind: 'Ingress' },
];

/** What the caller found when it looked the owning Rollout up. */
export type OwnerLookup =
  | { state: 'found'; rollout: Pick<Rollout, 'metadata' | 'spec'> }
  | { state: 'not-found' }
  /** The lookup failed: the guard acts as if the Rollout exists (the safe side for traffic). */
  | { state: 'unknown'; reason: string };

export interface OwnerRef {
  namespace: string;
  name: string;
}

function annotationsOf(object: unknown): Record<string, unknown> {
  const metadata = isJsonObject(object) ? object['metadata'] : undefined;
  const annotations = isJsonObject(metadata) ? metadata['annotations'] : undefined;
  return isJsonObject(annotations) ? annotations : {};
}

/** The Rollout to look up for this request, or undefined when the guard has nothing to decide. */
export function managedOwnerOf(request: AdmissionRequest): OwnerRef | undefined {
  if (request.operation !== 'UPDATE' || request.subResource !== undefined || request.namespace === undefined) return undefined;
  const owner = annotationsOf(request.oldObject)[MANAGED_BY_ROLLOUTS_ANNOTATION];
  return typeof owner === 'string' && owner !== '' ? { namespace: request.namespace, name: owner } : undefined;
}

function rolloutNames(rollout: Pick<Rollout, 'metadata' | 'spec'>, kind: string, name: string): boolean {
  if (kind === 'Service') return referencedServiceNames(rollout).includes(name);
  return [...nginxStableIngressNames(rollout), ...albIngressNames(rollout)].includes(name);
}

/**
 * The guard's answer: allowed always; a patch when the update dropped controller-owned keys the
 * old object had and the owner still manages the object.
 */
export function guardManagedObject(request: AdmissionRequest, owner: OwnerLookup | undefined): AdmissionResponse {
  const allowed: AdmissionResponse = { uid: request.uid, allowed: true };
  const ref = managedOwnerOf(request);
  if (ref === undefined || owner === undefined || owner.state === 'not-found') return allowed;
  const objectName = request.name ?? '';
  if (owner.state === 'found' && !rolloutNames(owner.rollout, request.kind.kind, objectName)) return allowed;

  const restored = structuredClone(request.object ?? {});
  const kept: string[] = [];
  const oldAnnotations = annotationsOf(request.oldObject);
  const keepAnnotation = (key: string): void => {
    const value = oldAnnotations[key];
    if (typeof value !== 'string') return;
    const metadata = ensureObject(restored, 'metadata');
    const annotations = ensureObject(metadata, 'annotations');
    if (annotations[key] === undefined || annotations[key] === null) {
      annotations[key] = value;
      kept.push(`annotation ${key}=${value}`);
    }
  };
  keepAnnotation(MANAGED_BY_ROLLOUTS_ANNOTATION);

  if (request.kind.kind === 'Service') {
    const oldSpec = isJsonObject(request.oldObject?.['spec']) ? request.oldObject['spec'] : {};
    const oldSelector = isJsonObject(oldSpec['selector']) ? oldSpec['selector'] : {};
    const hash = oldSelector[POD_TEMPLATE_HASH_LABEL];
    const spec = restored['spec'];
    if (typeof hash === 'string' && isJsonObject(spec)) {
      const selector = ensureObject(spec, 'selector');
      if (selector[POD_TEMPLATE_HASH_LABEL] === undefined || selector[POD_TEMPLATE_HASH_LABEL] === null) {
        selector[POD_TEMPLATE_HASH_LABEL] = hash;
        kept.push(`selector ${POD_TEMPLATE_HASH_LABEL}=${hash}`);
      }
    }
  } else {
    // ALB: the controller's weighted forward actions and the record of which keys it owns.
    keepAnnotation(MANAGED_ALB_ANNOTATIONS_ANNOTATION);
    for (const key of managedAlbKeys(oldAnnotations[MANAGED_ALB_ANNOTATIONS_ANNOTATION])) keepAnnotation(key);
  }

  if (kept.length === 0) return allowed;
  return {
    ...allowed,
    patchType: 'JSONPatch',
    patch: encodePatch(jsonPatch(request.object ?? {}, restored)),
    warnings: [
      `kept the controller-owned ${kept.join(' and ')} on ${request.kind.kind} "${objectName}": Rollout "${ref.name}" manages it ` +
        '(change the Rollout to stop it managing this object)',
    ],
  };
}

function ensureObject(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (isJsonObject(value)) return value;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

/** Annotation keys listed in `rollouts.argoproj.io/managed-alb-annotations` ({rollout: [keys]}). */
function managedAlbKeys(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (!isJsonObject(parsed)) return [];
    return Object.values(parsed).flatMap((keys) => (Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : []));
  } catch {
    return [];
  }
}
