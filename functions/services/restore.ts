// Which Services and Ingresses to give back, and why (reference §10.2, issue 4 §3). Pure.
//
// The controller points a Service at one ReplicaSet by adding `rollouts-pod-template-hash` to its
// selector, and marks it `argo-rollouts.argoproj.io/managed-by-rollouts: <rollout>`. For NGINX it
// creates a canary Ingress owned by the Rollout. When the Rollout is deleted or stops naming the
// object, the object must go back to what the user wrote: hash selector and annotation removed,
// the canary Ingress deleted.
//
// The rules, per Service (in the same namespace as the Rollouts considered):
//
// | managed-by annotation | hash selector | Rollouts                                   | outcome  |
// |-----------------------|---------------|--------------------------------------------|----------|
// | R                     | any           | R exists and names the Service             | keep     |
// | R                     | any           | R does not exist                           | restore (rollout-deleted) |
// | R                     | any           | R exists but no longer names the Service   | restore (no-longer-referenced) |
// | none                  | yes           | some Rollout names the Service             | keep: that Rollout's next reconcile marks it |
// | none                  | yes           | no Rollout names the Service               | restore (unmanaged-hash-selector) |
// | none                  | no            | —                                          | not a candidate |
//
// Argo leaves the hash selector in place in the next-to-last row, so the Service keeps pointing
// at pods that are gone; Ramp removes it. A Service with a controller ownerReference (an
// Experiment's Service, say) belongs to its owner and is never touched.
//
// Per Ingress: one that is controlled by a Rollout and marked as an NGINX canary
// (`<prefix>/canary: "true"`) is deleted when that Rollout (same name and uid) no longer exists,
// or exists but no longer routes through a stable Ingress whose canary twin has this name.
// Kubernetes' garbage collector also deletes it with its owner; doing it here covers the
// Rollout that stopped using NGINX and an owner reference to a Rollout recreated under the same name.
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL, type OwnerReference, type Rollout } from '../api/index.ts';
import { canaryIngressNames, referencedServiceNames } from './references.ts';

/** What the decision needs to know about a Service. */
export interface ServiceState {
  namespace: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
  /** spec.selector */
  selector?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  ownerReferences?: readonly OwnerReference[];
}

/** What the decision needs to know about an Ingress (networking.k8s.io/v1). */
export interface IngressState {
  namespace: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
  annotations?: Readonly<Record<string, string>>;
  ownerReferences?: readonly OwnerReference[];
}

/** A Rollout as far as references go. */
export type RolloutRefs = Pick<Rollout, 'metadata' | 'spec'>;

export interface RestoreInput {
  services: readonly ServiceState[];
  ingresses: readonly IngressState[];
  /** Every Rollout that exists in the namespaces of the objects above (not only this shard's). */
  rollouts: readonly RolloutRefs[];
}

export type ServiceRestoreReason = 'rollout-deleted' | 'no-longer-referenced' | 'unmanaged-hash-selector';
export type IngressDeleteReason = 'rollout-deleted' | 'no-longer-referenced';

export type RestoreAction =
  /**
   * Remove `spec.selector[rollouts-pod-template-hash]` and the managed-by annotation (either may
   * already be absent). `resourceVersion` is the version decided on: write only if unchanged.
   */
  | {
      kind: 'restoreService';
      namespace: string;
      name: string;
      uid?: string;
      resourceVersion?: string;
      reason: ServiceRestoreReason;
      /** The Rollout named by the annotation, if any. */
      managedBy?: string;
      /** The hash selector value removed, if any. */
      hash?: string;
      message: string;
    }
  /** Delete the canary Ingress (only if it is still the object with this uid). */
  | { kind: 'deleteCanaryIngress'; namespace: string; name: string; uid?: string; reason: IngressDeleteReason; rollout: string; message: string };

/** Whether a Service is one the restore looks at: it carries the managed-by annotation or a hash selector. */
export function isRestoreCandidate(service: Pick<ServiceState, 'annotations' | 'selector'>): boolean {
  return hasOwn(service.annotations, MANAGED_BY_ROLLOUTS_ANNOTATION) || hasOwn(service.selector, POD_TEMPLATE_HASH_LABEL);
}

/** Whether an Ingress is one the restore looks at: controlled by a Rollout and marked as a canary. */
export function isCanaryIngressCandidate(ingress: Pick<IngressState, 'annotations' | 'ownerReferences'>): boolean {
  return rolloutController(ingress.ownerReferences) !== undefined && isCanaryMarked(ingress.annotations);
}

export function decideRestores(input: RestoreInput): RestoreAction[] {
  const byNamespace = new Map<string, RolloutRefs[]>();
  for (const r of input.rollouts) {
    const ns = r.metadata?.namespace ?? '';
    let list = byNamespace.get(ns);
    if (!list) byNamespace.set(ns, (list = []));
    list.push(r);
  }
  const actions: RestoreAction[] = [];
  for (const service of input.services) {
    const action = decideService(service, byNamespace.get(service.namespace) ?? []);
    if (action) actions.push(action);
  }
  for (const ingress of input.ingresses) {
    const action = decideIngress(ingress, byNamespace.get(ingress.namespace) ?? []);
    if (action) actions.push(action);
  }
  return actions;
}

function decideService(service: ServiceState, rollouts: readonly RolloutRefs[]): RestoreAction | undefined {
  if (!isRestoreCandidate(service)) return undefined;
  if (service.ownerReferences?.some((ref) => ref.controller === true)) return undefined;
  const managedBy = hasOwn(service.annotations, MANAGED_BY_ROLLOUTS_ANNOTATION) ? service.annotations![MANAGED_BY_ROLLOUTS_ANNOTATION]! : undefined;
  const hash = hasOwn(service.selector, POD_TEMPLATE_HASH_LABEL) ? service.selector![POD_TEMPLATE_HASH_LABEL]! : undefined;
  const names = (r: RolloutRefs): boolean => referencedServiceNames(r).includes(service.name);
  const base = {
    kind: 'restoreService' as const,
    namespace: service.namespace,
    name: service.name,
    ...(service.uid !== undefined ? { uid: service.uid } : {}),
    ...(service.resourceVersion !== undefined ? { resourceVersion: service.resourceVersion } : {}),
    ...(managedBy !== undefined ? { managedBy } : {}),
    ...(hash !== undefined ? { hash } : {}),
  };
  const what = `Service ${service.namespace}/${service.name}`;
  const removed = hash !== undefined ? `selector ${POD_TEMPLATE_HASH_LABEL}=${hash} and annotation removed` : 'annotation removed';

  if (managedBy !== undefined) {
    const manager = rollouts.find((r) => r.metadata?.name === managedBy);
    if (manager && names(manager)) return undefined;
    if (!manager) return { ...base, reason: 'rollout-deleted', message: `${what} was managed by Rollout "${managedBy}", which no longer exists: ${removed}` };
    return { ...base, reason: 'no-longer-referenced', message: `${what} was managed by Rollout "${managedBy}", which no longer refers to it: ${removed}` };
  }
  if (rollouts.some(names)) return undefined;
  return {
    ...base,
    reason: 'unmanaged-hash-selector',
    message: `${what} selects ${POD_TEMPLATE_HASH_LABEL}=${hash} without a managed-by annotation and no Rollout refers to it: selector removed`,
  };
}

function decideIngress(ingress: IngressState, rollouts: readonly RolloutRefs[]): RestoreAction | undefined {
  const owner = rolloutController(ingress.ownerReferences);
  if (!owner || !isCanaryMarked(ingress.annotations)) return undefined;
  const base = {
    kind: 'deleteCanaryIngress' as const,
    namespace: ingress.namespace,
    name: ingress.name,
    ...(ingress.uid !== undefined ? { uid: ingress.uid } : {}),
    rollout: owner.name,
  };
  const what = `canary Ingress ${ingress.namespace}/${ingress.name}`;
  const rollout = rollouts.find((r) => r.metadata?.name === owner.name && (owner.uid === '' || r.metadata?.uid === undefined || r.metadata.uid === owner.uid));
  if (!rollout) return { ...base, reason: 'rollout-deleted', message: `${what} belonged to Rollout "${owner.name}", which no longer exists: deleted` };
  if (canaryIngressNames(rollout).includes(ingress.name)) return undefined;
  return { ...base, reason: 'no-longer-referenced', message: `${what} belongs to Rollout "${owner.name}", which no longer routes through it: deleted` };
}

function rolloutController(refs: readonly OwnerReference[] | undefined): OwnerReference | undefined {
  return refs?.find((ref) => ref.controller === true && ref.kind === 'Rollout' && ref.apiVersion.split('/')[0] === 'argoproj.io');
}

/** `<any prefix>/canary: "true"`, as the NGINX router writes it (the prefix is configurable). */
function isCanaryMarked(annotations: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(annotations ?? {}).some(([key, value]) => key.endsWith('/canary') && value === 'true');
}

function hasOwn(map: Readonly<Record<string, string>> | undefined, key: string): boolean {
  return map !== undefined && Object.hasOwn(map, key);
}
