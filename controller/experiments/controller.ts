// The Experiment controller: for each Experiment, a snapshot from the caches → decideExperiment
// (pure, functions/experiment) → the actions applied in order → the status written on the
// Experiment itself (its CRD has no status subresource), guarded by the resourceVersion that
// was read → the decision's events recorded → a wake-up when the decision asks for one
// (duration end, progress deadline, scale-down deadline). No branch here looks at the
// Experiment's state; that is all in the decision.
//
//   const experiments = createExperimentController({ client, logger, events, namespace, instanceId });
//   await experiments.start(signal);          // caches + ControllerLoop (watch, queue, 30 s resync)
//   ...
//   await experiments.stop();
//
//   // CronJob mode (`ramp reconcile --once`):
//   await experiments.startCaches(signal);
//   const summary = await runOnce({ keys: experiments.keys(), handler: experiments.reconcile });
//   await experiments.stopCaches();
//
// A write refused because the decision was taken on a stale view (409 Conflict, a JSON-patch
// test that no longer holds) skips the rest of the pass and looks again shortly. A create that
// collides with an existing object reads it back: if it is ours the cache was just behind; if
// not, the next decision sees it and reports the name as taken. Other failures are recorded
// as a Warning event (ReconciliationError) and thrown, so the queue retries with backoff.
import type { KubernetesObject } from '@kubernetes/client-node';
import { ARGO_API_VERSION, CONTROLLER_INSTANCE_ID_LABEL, type ObjectMeta, type OwnerReference } from '../../functions/api/index.ts';
import { isCompletedPhase } from '../../functions/analysis/index.ts';
import {
  controlledBy,
  decideExperiment,
  type DecideExperimentOptions,
  type ExperimentDecision,
  type ExperimentEvent,
} from '../../functions/experiment/index.ts';
import { cacheFactory, type ObjectCache, type ListWatchClient } from '../kube/cache.ts';
import type { RawRequest } from '../kube/client.ts';
import { systemClock, type Clock } from '../kube/clock.ts';
import { describeError, isAlreadyExists, isConflict, isInvalid, isNotFound, statusCodeOf } from '../kube/errors.ts';
import type { EventType, InvolvedObject } from '../kube/events.ts';
import { instanceIdSelector } from '../kube/instance-id.ts';
import { splitKey } from '../kube/object-key.ts';
import { resourcePath } from '../kube/resource.ts';
import { keyFields, silentLogger, type Logger } from '../log/logger.ts';
import { type CachedController, cachedController } from '../resync/cached-controller.ts';
import { controllerOwnerKeys } from '../resync/loop.ts';
import type { CronScheduler } from '../resync/periodic.ts';
import type { HandlerContext, ReconcileResult } from '../resync/queue.ts';
import { FreshView } from '../rollouts/fresh-view.ts';
import { mergePatchDiff } from '../rollouts/merge-patch.ts';
import type { ReplicaSetObject } from '../rollouts/snapshot.ts';
import { readBackRequest, requestFor, statusRequest, type WrittenKind } from './requests.ts';
import { AnalysisRuns, AnalysisTemplates, ClusterAnalysisTemplates, Experiments, ReplicaSets, Services } from './resources.ts';
import { assembleExperimentSnapshot, type ExperimentObject, type ServiceObject } from './snapshot.ts';

/** Argo's --experiment-threads default. */
export const DEFAULT_EXPERIMENT_WORKERS = 10;

/** How soon to look again after a write was refused because the view was stale. */
const DEFAULT_STALE_RETRY_MS = 1_000;

/** How long an object a create collided with is kept for the next decisions. */
const FOREIGN_TTL_MS = 60_000;

export interface ExperimentControllerDeps {
  /** A KubeClient (or anything with request + watch). */
  client: ListWatchClient & { request<R>(req: RawRequest): Promise<R> };
  /** --namespaced: watch only this namespace. */
  namespace?: string;
  /** --instance-id: only Experiments (and templates, runs) labelled with it, or, without one, only unlabelled ones. */
  instanceId?: string;
  logger?: Logger;
  /** Records the decision's events (Template*, AnalysisRun*, Experiment*, ScalingReplicaSet…); none when omitted. */
  events?: { event(obj: InvolvedObject, type: EventType, reason: string, message: string): Promise<void> };
  clock?: Clock;
  /** Concurrent reconciles (default 10, Argo's --experiment-threads). */
  workers?: number;
  resyncSchedule?: string;
  scheduler?: CronScheduler;
  /**
   * Watch ClusterAnalysisTemplates (default true). Turn off where the controller may not read
   * cluster-scoped objects; analyses with `clusterScope: true` then end in Error.
   */
  clusterAnalysisTemplates?: boolean;
  /** A fuller spec validator for the InvalidSpec condition (e.g. functions/validate's validateExperiment). */
  validate?: DecideExperimentOptions['validate'];
  /** Look again this soon after a write was refused on a stale view (default 1 s). */
  staleRetryMs?: number;
  /**
   * Look again this soon after a pass that wrote something. Unset in controller mode (the watch
   * wakes the key); `reconcile --once` sets 0 so one pass goes as far as it can.
   */
  requeueAfterWritesMs?: number;
  /** Longest wait for running reconciles on stop(). */
  drainTimeoutMs?: number;
  /**
   * Caches to share with other loops of the same process (e.g. controller/app's), instead of
   * watching the same kinds twice. They must use the selectors this controller would (Experiments
   * and AnalysisRuns: the instance-id selector; ReplicaSets: `rollouts-pod-template-hash`;
   * Services: none). Their owner starts and stops them; this controller only waits for them.
   */
  shared?: Partial<{
    experiments: ObjectCache<KubernetesObject>;
    replicaSets: ObjectCache<ReplicaSetObject>;
    services: ObjectCache<ServiceObject>;
    analysisRuns: ObjectCache<KubernetesObject>;
  }>;
}

/** keys() are those of every cached Experiment. */
export interface ExperimentController extends CachedController {
  readonly name: 'experiments';
  readonly experiments: ObjectCache<KubernetesObject>;
  readonly replicaSets: ObjectCache<ReplicaSetObject>;
  readonly services: ObjectCache<ServiceObject>;
  readonly analysisRuns: ObjectCache<KubernetesObject>;
  readonly analysisTemplates: ObjectCache<KubernetesObject>;
  readonly clusterAnalysisTemplates: ObjectCache<KubernetesObject> | undefined;
}

/** A write was refused because what the decision saw has changed. */
class StaleView extends Error {
  override name = 'StaleView';
}

function involved(experiment: ExperimentObject): InvolvedObject {
  return { apiVersion: ARGO_API_VERSION, kind: 'Experiment', metadata: experiment.metadata ?? {} };
}

function ownerRollout(experiment: ExperimentObject): InvolvedObject | undefined {
  const ref = experiment.metadata?.ownerReferences?.find((r: OwnerReference) => r.controller === true && r.kind === 'Rollout');
  if (!ref) return undefined;
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { namespace: experiment.metadata?.namespace, name: ref.name, uid: ref.uid } };
}

export function createExperimentController(deps: ExperimentControllerDeps): ExperimentController {
  const clock = deps.clock ?? systemClock;
  const log = (deps.logger ?? silentLogger).child({ controller: 'experiments' });
  const client = deps.client;
  const mine = instanceIdSelector(deps.instanceId);
  const cache = cacheFactory({ client, namespace: deps.namespace, clock, logger: log });
  const shared = deps.shared ?? {};
  const experiments = shared.experiments ?? cache<KubernetesObject>(Experiments, mine);
  // As Argo: only ReplicaSets carrying the hash label are watched; experiment ReplicaSets carry it.
  const replicaSets = shared.replicaSets ?? cache<ReplicaSetObject>(ReplicaSets, 'rollouts-pod-template-hash');
  const services = shared.services ?? cache<ServiceObject>(Services);
  const analysisRuns = shared.analysisRuns ?? cache<KubernetesObject>(AnalysisRuns, mine);
  const analysisTemplates = cache<KubernetesObject>(AnalysisTemplates, mine);
  const clusterAnalysisTemplates = deps.clusterAnalysisTemplates === false ? undefined : cache<KubernetesObject>(ClusterAnalysisTemplates, mine);
  const allCaches: ObjectCache<KubernetesObject>[] = [
    experiments,
    replicaSets as unknown as ObjectCache<KubernetesObject>,
    services as unknown as ObjectCache<KubernetesObject>,
    analysisRuns,
    analysisTemplates,
    ...(clusterAnalysisTemplates ? [clusterAnalysisTemplates] : []),
  ];
  const sharedCaches = new Set<unknown>(Object.values(shared));
  const ownCaches = allCaches.filter((c) => !sharedCaches.has(c));
  const views = {
    experiments: new FreshView(experiments, { clock }),
    replicaSets: new FreshView(replicaSets, { clock }),
    services: new FreshView(services, { clock }),
    analysisRuns: new FreshView(analysisRuns, { clock }),
  };
  /** Objects a create collided with that the caches may not show (another instance id, no hash label). */
  const foreign = new Map<string, { obj: KubernetesObject; at: number }>();
  const foreignKey = (kind: WrittenKind, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

  const remember = (kind: WrittenKind, obj: KubernetesObject | undefined): void => {
    if (!obj?.metadata?.name) return;
    if (kind === 'replicaSet') views.replicaSets.remember(obj as ReplicaSetObject);
    else if (kind === 'service') views.services.remember(obj as ServiceObject);
    else views.analysisRuns.remember(obj);
  };

  const recordEvents = (experiment: ExperimentObject, list: readonly ExperimentEvent[]): void => {
    if (!deps.events) return;
    const rollout = ownerRollout(experiment);
    for (const e of list) {
      void deps.events.event(involved(experiment), e.type, e.reason, e.message);
      if (e.alsoOnOwnerRollout && rollout) void deps.events.event(rollout, e.type, e.reason, e.message);
    }
  };

  const apply = async (experiment: ExperimentObject, decision: ExperimentDecision, byName: ReadonlyMap<string, ReplicaSetObject>, signal: AbortSignal): Promise<number> => {
    const namespace = experiment.metadata?.namespace ?? '';
    let writes = 0;
    for (const action of decision.actions) {
      const { request, writes: kind, creates, notFoundIsDone, conflictIsDone, staleOnInvalid } = requestFor(action, {
        namespace,
        replicaSetAnnotations: (name) => byName.get(name)?.metadata?.annotations,
      });
      try {
        const answer = await client.request<KubernetesObject | undefined>({ ...request, signal });
        if (request.method !== 'DELETE') remember(kind, answer);
        writes++;
        log.debug('applied', { namespace, name: experiment.metadata?.name, action: action.kind, path: request.path });
      } catch (error) {
        if (notFoundIsDone && isNotFound(error)) continue;
        if (conflictIsDone && statusCodeOf(error) === 409) continue;
        if (creates && isAlreadyExists(error)) {
          const read = readBackRequest(action, namespace);
          if (read) {
            try {
              const existing = await client.request<KubernetesObject>({ ...read, signal });
              if (controlledBy(experiment, existing.metadata as Pick<ObjectMeta, 'ownerReferences'>)) remember(kind, existing);
              else foreign.set(foreignKey(kind, namespace, existing.metadata?.name ?? ''), { obj: existing, at: clock.now() });
            } catch (readError) {
              if (!isNotFound(readError)) throw readError;
            }
          }
          throw new StaleView(`${action.kind}: ${describeError(error)}`);
        }
        if (isConflict(error) || (staleOnInvalid && isInvalid(error))) throw new StaleView(`${action.kind} ${request.method} ${request.path}: ${describeError(error)}`);
        void deps.events?.event(involved(experiment), 'Warning', 'ReconciliationError', `${action.kind} failed: ${describeError(error)}`);
        throw error;
      }
    }
    return writes;
  };

  const writeStatus = async (experiment: ExperimentObject, decision: ExperimentDecision, signal: AbortSignal): Promise<boolean> => {
    const patch = mergePatchDiff(experiment.status ?? {}, decision.status);
    if (patch === undefined) return false;
    const request = statusRequest(experiment.metadata?.namespace ?? '', experiment.metadata?.name ?? '', experiment.metadata?.resourceVersion, patch);
    try {
      const answer = await client.request<ExperimentObject>({ ...request, signal });
      views.experiments.remember(answer);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      if (isConflict(error)) throw new StaleView(`status: ${describeError(error)}`);
      void deps.events?.event(involved(experiment), 'Warning', 'ReconciliationError', `status update failed: ${describeError(error)}`);
      throw error;
    }
  };

  /** Whether an object carries the instance-id label this controller serves (or none, without one). */
  const servedInstance = (obj: KubernetesObject): boolean => {
    const label = obj.metadata?.labels?.[CONTROLLER_INSTANCE_ID_LABEL];
    return deps.instanceId ? label === deps.instanceId : label === undefined;
  };

  /**
   * The AnalysisTemplates and ClusterAnalysisTemplates the snapshot offers: the caches', plus any
   * template an analysis still to start refers to (directly or through `spec.templates`) that the
   * cache does not hold yet, read from the API server. `kubectl apply -f` of a file with a
   * template and an Experiment creates both at once; the template's watch event may come after
   * the Experiment's, and the decision would call the template missing.
   */
  const templatesFor = async (experiment: ExperimentObject, signal: AbortSignal): Promise<{ namespaced: KubernetesObject[]; cluster: KubernetesObject[] }> => {
    const ns = experiment.metadata?.namespace ?? '';
    const namespaced = new Map(analysisTemplates.list(ns).map((t) => [t.metadata?.name ?? '', t]));
    const cluster = new Map((clusterAnalysisTemplates?.list() ?? []).map((t) => [t.metadata?.name ?? '', t]));
    const waiting = (experiment.spec?.analyses ?? []).filter((a) => {
      const status = experiment.status?.analysisRuns?.find((r) => r.name === a.name);
      return !status?.analysisRun && !isCompletedPhase(status?.phase);
    });
    let refs: Array<{ templateName?: string; clusterScope?: boolean }> = waiting.map((a) => ({ templateName: a.templateName, clusterScope: a.clusterScope === true }));
    const seen = new Set<string>();
    for (let depth = 0; depth < 10 && refs.length > 0; depth++) {
      const next: typeof refs = [];
      for (const ref of refs) {
        const name = ref.templateName ?? '';
        const scope = ref.clusterScope ? 'cluster' : 'namespaced';
        if (name === '' || seen.has(`${scope}/${name}`)) continue;
        seen.add(`${scope}/${name}`);
        const map = ref.clusterScope ? cluster : namespaced;
        if (!map.has(name) && (!ref.clusterScope || clusterAnalysisTemplates)) {
          try {
            const live = await client.request<KubernetesObject>({
              method: 'GET',
              path: ref.clusterScope ? resourcePath(ClusterAnalysisTemplates, undefined, name) : resourcePath(AnalysisTemplates, ns, name),
              signal,
            });
            if (servedInstance(live)) map.set(name, live);
          } catch (error) {
            if (!isNotFound(error)) throw error;
          }
        }
        const found = map.get(name) as { spec?: { templates?: typeof refs } } | undefined;
        next.push(...(found?.spec?.templates ?? []));
      }
      refs = next;
    }
    return { namespaced: [...namespaced.values()], cluster: [...cluster.values()] };
  };

  const reconcile = async (key: string, handlerCtx: Partial<HandlerContext> = {}): Promise<ReconcileResult | void> => {
    const signal = handlerCtx.signal ?? new AbortController().signal;
    const { namespace, name } = splitKey(key);
    const experiment = views.experiments.get(namespace, name) as ExperimentObject | undefined;
    if (!experiment || experiment.metadata?.deletionTimestamp) return;
    const fields = keyFields(key);
    const now = clock.now();
    for (const [k, entry] of foreign) if (now - entry.at > FOREIGN_TTL_MS) foreign.delete(k);

    const templates = await templatesFor(experiment, signal);
    const { snapshot, replicaSets: byName } = assembleExperimentSnapshot(
      experiment,
      {
        replicaSets: views.replicaSets,
        services: views.services,
        analysisRuns: views.analysisRuns,
        analysisTemplates: { list: () => templates.namespaced },
        ...(clusterAnalysisTemplates ? { clusterAnalysisTemplates: { list: () => templates.cluster } } : {}),
        foreign: (kind, ns, objectName) => foreign.get(foreignKey(kind, ns, objectName))?.obj,
      },
      new Date(now),
    );

    let decision: ExperimentDecision;
    try {
      decision = decideExperiment(snapshot, deps.validate ? { validate: deps.validate } : {});
    } catch (error) {
      void deps.events?.event(involved(experiment), 'Warning', 'ReconciliationError', `Reconciliation failed: ${describeError(error)}`);
      throw error;
    }

    let writes: number;
    try {
      writes = await apply(experiment, decision, byName, signal);
      if (await writeStatus(experiment, decision, signal)) writes++;
    } catch (error) {
      if (error instanceof StaleView) {
        log.debug('decided on a stale view; looking again', { ...fields, reason: error.message });
        return { requeueAfterMs: deps.staleRetryMs ?? DEFAULT_STALE_RETRY_MS };
      }
      throw error;
    }
    recordEvents(experiment, decision.events);
    if (writes > 0) {
      log.info('reconciled', {
        ...fields,
        writes,
        actions: decision.actions.map((a) => a.kind),
        phase: decision.status.phase,
        ...(decision.status.message ? { message: decision.status.message } : {}),
      });
    }
    const wakeUps = [decision.requeueAfterMs, writes > 0 ? deps.requeueAfterWritesMs : undefined].filter((ms): ms is number => ms !== undefined && Number.isFinite(ms));
    return wakeUps.length === 0 ? undefined : { requeueAfterMs: Math.max(0, Math.min(...wakeUps)) };
  };

  const startCaches = async (signal?: AbortSignal): Promise<void> => {
    for (const c of ownCaches) c.start();
    await Promise.all(allCaches.map((c) => c.waitForSync(signal)));
  };
  const stopCaches = async (): Promise<void> => {
    for (const v of Object.values(views)) v.stop();
    await Promise.all(ownCaches.map((c) => c.stop()));
  };
  const ownerKeys = controllerOwnerKeys('argoproj.io', 'Experiment');

  return {
    name: 'experiments',
    experiments,
    replicaSets,
    services,
    analysisRuns,
    analysisTemplates,
    clusterAnalysisTemplates,
    ...cachedController({
      name: 'experiments',
      primary: experiments,
      related: [
        { cache: replicaSets as unknown as ObjectCache<KubernetesObject>, keysFor: ownerKeys },
        { cache: services as unknown as ObjectCache<KubernetesObject>, keysFor: ownerKeys },
        { cache: analysisRuns, keysFor: ownerKeys },
      ],
      reconcile,
      startCaches,
      stopCaches,
      settings: deps,
      defaultWorkers: DEFAULT_EXPERIMENT_WORKERS,
      clock,
      logger: log,
    }),
  };
}
