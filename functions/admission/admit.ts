// AdmissionReview in, AdmissionReview out: the one entry point the webhook's HTTP layer calls.
// Pure: no I/O, no clock; the caller passes the policies and the namespace's labels.
import { ARGO_GROUP, ARGO_KINDS, ARGO_VERSION, type ArgoKind, isArgoKind, RAMP_GROUP, RAMP_VERSION, type RolloutPolicy } from '../api/index.ts';
import type { Labels } from '../selectors/index.ts';
import { exemption } from './exemptions.ts';
import { GUARDED_KINDS, guardManagedObject, managedOwnerOf, type OwnerLookup, type OwnerRef } from './managed-guard.ts';
import { mutateArgoRequest } from './mutate.ts';
import { type AdmissionAnswer, badRequest, reviewAnswer } from './response.ts';
import { type AdmissionRequest, formatGvk, parseAdmissionReview } from './review.ts';
import { validateArgoRequest, validatePolicyRequest } from './validate.ts';

export type AdmissionMode = 'validate' | 'mutate';

export interface AdmissionContext {
  mode: AdmissionMode;
  policies: readonly RolloutPolicy[];
  /** Labels of the request's namespace; undefined when unknown (policies needing them are skipped, with a warning). */
  namespaceLabels?: Labels;
}

/** Kinds Ramp defaults (the mutating webhook's rules name these only). */
export const DEFAULTED_KINDS: readonly ArgoKind[] = ['Rollout', 'Experiment'];

type Routed = { type: 'argo'; kind: ArgoKind } | { type: 'policy' };

function route(request: AdmissionRequest): Routed | undefined {
  const { group, version, kind } = request.kind;
  if (group === ARGO_GROUP && version === ARGO_VERSION && isArgoKind(kind)) return { type: 'argo', kind };
  if (group === RAMP_GROUP && version === RAMP_VERSION && kind === 'RolloutPolicy') return { type: 'policy' };
  return undefined;
}

const ADMITTED_KINDS = `${ARGO_KINDS.map((k) => `${ARGO_GROUP}/${ARGO_VERSION} ${k}`).join(', ')} and ${RAMP_GROUP}/${RAMP_VERSION} RolloutPolicy`;

export function admit(review: unknown, context: AdmissionContext): AdmissionAnswer {
  const parsed = parseAdmissionReview(review);
  if (!parsed.ok) return badRequest(`malformed AdmissionReview: ${parsed.problems.join('; ')}`);
  const request = parsed.request;
  const routed = route(request);
  if (routed === undefined) {
    return badRequest(`request.kind: Unsupported value: "${formatGvk(request.kind)}": Ramp's ${context.mode} webhook admits ${ADMITTED_KINDS}; check the webhook configuration's rules`);
  }
  try {
    if (exemption(request) !== undefined) return reviewAnswer({ uid: request.uid, allowed: true });
    if (context.mode === 'validate') {
      return reviewAnswer(routed.type === 'argo' ? validateArgoRequest(request, routed.kind, context) : validatePolicyRequest(request, context));
    }
    if (routed.type === 'argo' && DEFAULTED_KINDS.includes(routed.kind)) return reviewAnswer(mutateArgoRequest(request, context));
    return reviewAnswer({ uid: request.uid, allowed: true });
  } catch (error) {
    return internalError(error);
  }
}

function internalError(error: unknown): AdmissionAnswer {
  const message = `internal error in Ramp's admission: ${error instanceof Error ? error.message : String(error)}`;
  return {
    httpStatus: 500,
    body: { apiVersion: 'v1', kind: 'Status', status: 'Failure', code: 500, reason: 'InternalError', message },
    outcome: 'bad-request',
  };
}

/**
 * The managed Service/Ingress guard, in two steps so the lookup stays outside: which Rollout to
 * look up (undefined: none, admit as is), then the answer given what the lookup found.
 */
export function managedGuardLookup(review: unknown): OwnerRef | undefined {
  const parsed = parseAdmissionReview(review);
  return parsed.ok && isGuardedKind(parsed.request) ? managedOwnerOf(parsed.request) : undefined;
}

export function admitManaged(review: unknown, owner: OwnerLookup | undefined): AdmissionAnswer {
  const parsed = parseAdmissionReview(review);
  if (!parsed.ok) return badRequest(`malformed AdmissionReview: ${parsed.problems.join('; ')}`);
  if (!isGuardedKind(parsed.request)) {
    return badRequest(`request.kind: Unsupported value: "${formatGvk(parsed.request.kind)}": the managed-object guard admits v1 Service and networking.k8s.io/v1 Ingress`);
  }
  try {
    return reviewAnswer(guardManagedObject(parsed.request, owner));
  } catch (error) {
    return internalError(error);
  }
}

function isGuardedKind(request: AdmissionRequest): boolean {
  return GUARDED_KINDS.some((k) => k.group === request.kind.group && k.kind === request.kind.kind);
}
