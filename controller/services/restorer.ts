// The I/O shell around functions/services/restore.ts: per Service or Ingress key, decide from
// the caches whether the object must be given back; if so, confirm with fresh reads (the object,
// and every Rollout of its namespace, unfiltered by --instance-id) and decide again; apply what
// the confirmed decision says.
//
// Why confirm: the Rollout cache may lag (a Rollout created a moment ago), and with
// --instance-id it only holds this shard's Rollouts, so a Rollout missing from it is not
// necessarily gone. The fresh reads cost requests only when the cached view says "restore",
// which in steady state is never.
import type { KubernetesObject } from '@kubernetes/client-node';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL, type Rollout } from '../../functions/api/index.ts';
import { referencedServiceNames } from '../../functions/services/references.ts';
import { decideRestores, type IngressState, type RestoreAction, type RestoreInput, type ServiceState } from '../../functions/services/restore.ts';
import type { RawRequest } from '../kube/client.ts';
import { describeError, isNotFound, statusCodeOf } from '../kube/errors.ts';
import type { EventType, InvolvedObject } from '../kube/events.ts';
import { splitKey } from '../kube/object-key.ts';
import { resourcePath } from '../kube/resource.ts';
import { keyFields, silentLogger, type Logger } from '../log/logger.ts';
import type { ReconcileResult } from '../resync/queue.ts';
import type { ReadableCache } from '../rollouts/fresh-view.ts';
import { Ingresses, Rollouts, Services } from '../rollouts/resources.ts';

type ObjectWithSelector = KubernetesObject & { spec?: { selector?: Record<string, string> } };

export interface RestorerOptions {
  client: { request<R>(req: RawRequest): Promise<R> };
  services: Pick<ReadableCache<ObjectWithSelector>, 'get'>;
  ingresses: Pick<ReadableCache<KubernetesObject>, 'get'>;
  rollouts: Pick<ReadableCache<KubernetesObject>, 'list'>;
  /** Remember the answer of a Service write (the Rollout reconciler reads Services through this view too). */
  rememberService?: (svc: ObjectWithSelector) => void;
  events?: { event(obj: InvolvedObject, type: EventType, reason: string, message: string): Promise<void> };
  logger?: Logger;
  /** How soon to look again after a write failed its precondition (default 1 s). */
  staleRetryMs?: number;
}

export function serviceState(svc: ObjectWithSelector): ServiceState {
  const m = svc.metadata ?? {};
  return {
    namespace: m.namespace ?? '',
    name: m.name ?? '',
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
    ...(svc.spec?.selector ? { selector: svc.spec.selector } : {}),
    ...(m.annotations ? { annotations: m.annotations } : {}),
    ...(m.ownerReferences ? { ownerReferences: m.ownerReferences } : {}),
  };
}

export function ingressState(ing: KubernetesObject): IngressState {
  const m = ing.metadata ?? {};
  return {
    namespace: m.namespace ?? '',
    name: m.name ?? '',
    ...(m.uid ? { uid: m.uid } : {}),
    ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
    ...(m.annotations ? { annotations: m.annotations } : {}),
    ...(m.ownerReferences ? { ownerReferences: m.ownerReferences } : {}),
  };
}

/** The request that carries out one restore action. */
export function restoreRequest(action: RestoreAction): RawRequest {
  switch (action.kind) {
    case 'restoreService':
      return {
        method: 'PATCH',
        path: resourcePath(Services, action.namespace, action.name),
        patchType: 'merge',
        body: {
          metadata: {
            ...(action.resourceVersion ? { resourceVersion: action.resourceVersion } : {}),
            annotations: { [MANAGED_BY_ROLLOUTS_ANNOTATION]: null },
          },
          spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: null } },
        },
      };
    case 'deleteCanaryIngress':
      return {
        method: 'DELETE',
        path: resourcePath(Ingresses, action.namespace, action.name),
        body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', ...(action.uid ? { preconditions: { uid: action.uid } } : {}) },
      };
  }
}

interface ListOf<T> {
  items?: T[];
}

export class ServiceRestorer {
  readonly #o: RestorerOptions;
  readonly #log: Logger;

  constructor(options: RestorerOptions) {
    this.#o = options;
    this.#log = (options.logger ?? silentLogger).child({ controller: 'services' });
  }

  /** Work-queue handler for a Service key. */
  readonly handleService = (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const svc = this.#o.services.get(namespace, name);
    return this.#run(key, { services: svc ? [serviceState(svc)] : [], ingresses: [], rollouts: this.#cachedRollouts(namespace) });
  };

  /** Work-queue handler for an Ingress key. */
  readonly handleIngress = (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const ing = this.#o.ingresses.get(namespace, name);
    return this.#run(key, { services: [], ingresses: ing ? [ingressState(ing)] : [], rollouts: this.#cachedRollouts(namespace) });
  };

  #cachedRollouts(namespace: string | undefined): Rollout[] {
    return this.#o.rollouts.list(namespace) as unknown as Rollout[];
  }

  async #run(key: string, cached: RestoreInput): Promise<ReconcileResult | void> {
    const tentative = decideRestores(cached);
    const confirmed = decideRestores(await this.#freshInput(tentative));
    let stale = false;
    for (const action of confirmed) stale = (await this.#apply(action, key)) || stale;
    return stale ? { requeueAfterMs: this.#o.staleRetryMs ?? 1_000 } : undefined;
  }

  /** Fresh reads of the objects the tentative actions name, and of every Rollout in their namespaces. */
  async #freshInput(actions: readonly RestoreAction[]): Promise<RestoreInput> {
    const input: { services: ServiceState[]; ingresses: IngressState[]; rollouts: Rollout[] } = { services: [], ingresses: [], rollouts: [] };
    const namespaces = new Set(actions.map((a) => a.namespace));
    for (const ns of namespaces) {
      const list = await this.#o.client.request<ListOf<Rollout>>({ method: 'GET', path: resourcePath(Rollouts, ns) });
      input.rollouts.push(...(list.items ?? []).map((r) => ({ ...r, metadata: { ...r.metadata, namespace: r.metadata?.namespace ?? ns } })));
    }
    for (const action of actions) {
      const ref = action.kind === 'restoreService' ? Services : Ingresses;
      let obj: ObjectWithSelector | undefined;
      try {
        obj = await this.#o.client.request<ObjectWithSelector>({ method: 'GET', path: resourcePath(ref, action.namespace, action.name) });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      if (obj && action.kind === 'restoreService') input.services.push(serviceState(obj));
      if (obj && action.kind === 'deleteCanaryIngress') input.ingresses.push(ingressState(obj));
    }
    return input;
  }

  /** Applies one action; returns true when it was refused because the object changed meanwhile. */
  async #apply(action: RestoreAction, key: string): Promise<boolean> {
    const request = restoreRequest(action);
    try {
      const answer = await this.#o.client.request<ObjectWithSelector>(request);
      if (action.kind === 'restoreService') this.#o.rememberService?.(answer);
    } catch (error) {
      if (isNotFound(error)) return false;
      if (statusCodeOf(error) === 409) {
        this.#log.debug('object changed while restoring; looking again', { ...keyFields(key), error: describeError(error) });
        return action.kind === 'restoreService';
      }
      throw error;
    }
    this.#log.info(action.message, { ...keyFields(key), kind: action.kind === 'restoreService' ? 'Service' : 'Ingress', reason: action.reason });
    const involved: InvolvedObject = {
      apiVersion: action.kind === 'restoreService' ? 'v1' : 'networking.k8s.io/v1',
      kind: action.kind === 'restoreService' ? 'Service' : 'Ingress',
      metadata: { namespace: action.namespace, name: action.name, ...(action.uid ? { uid: action.uid } : {}) },
    };
    void this.#o.events?.event(involved, 'Normal', action.kind === 'restoreService' ? 'ServiceRestored' : 'CanaryIngressDeleted', action.message);
    return false;
  }
}

/** Keys of the Services a Rollout change may affect: those it names and those marked as managed by it. */
export function serviceKeysForRollout(services: Pick<ReadableCache<ObjectWithSelector>, 'list'>): (rollout: KubernetesObject) => string[] {
  return (rollout) => {
    const ns = rollout.metadata?.namespace ?? '';
    const name = rollout.metadata?.name ?? '';
    const keys = new Set<string>();
    for (const svcName of referencedNames(rollout)) keys.add(`${ns}/${svcName}`);
    for (const svc of services.list(ns)) {
      if (svc.metadata?.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION] === name) keys.add(`${ns}/${svc.metadata.name}`);
    }
    return [...keys];
  };
}

/** Keys of the Ingresses a Rollout change may affect: those it controls. */
export function ingressKeysForRollout(ingresses: Pick<ReadableCache<KubernetesObject>, 'byOwner'>): (rollout: KubernetesObject) => string[] {
  return (rollout) => {
    const uid = rollout.metadata?.uid;
    if (!uid) return [];
    return ingresses.byOwner(uid, rollout.metadata?.namespace).map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`);
  };
}

function referencedNames(rollout: KubernetesObject): string[] {
  return referencedServiceNames(rollout as unknown as Rollout);
}
