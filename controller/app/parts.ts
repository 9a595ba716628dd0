// The controller's moving parts, wired: watch caches for every kind it reads, the views that add
// our own writes to them, the Rollout reconciler, the Service/Ingress restorer, the event
// recorder, the three loops that feed them (rollouts, services, ingresses), and the AnalysisRun
// and Experiment controllers (each with its own caches and loop). Shared by the long-running
// controller and the one-pass `reconcile --once`.
import type { KubernetesObject } from '@kubernetes/client-node';
import { POD_TEMPLATE_HASH_LABEL } from '../../functions/api/index.ts';
import { cacheFactory, type ObjectCache } from '../kube/cache.ts';
import type { KubeClient } from '../kube/client.ts';
import { systemClock, type Clock } from '../kube/clock.ts';
import { EventRecorder } from '../kube/events.ts';
import { instanceIdSelector } from '../kube/instance-id.ts';
import { silentLogger, type Logger } from '../log/logger.ts';
import { ControllerLoop, controllerOwnerKeys } from '../resync/loop.ts';
import type { CronScheduler } from '../resync/periodic.ts';
import type { ProcessedInfo } from '../resync/queue.ts';
import { FreshView } from '../rollouts/fresh-view.ts';
import { rolloutKeysForService, rolloutKeysForWorkload } from '../rollouts/keys.ts';
import { RolloutReconciler, type DecideRollout } from '../rollouts/reconcile.ts';
import { AnalysisRuns, Deployments, Experiments, Ingresses, Pods, PodTemplates, ReplicaSets, Rollouts, Services } from '../rollouts/resources.ts';
import type { DeploymentObject, PodObject, PodTemplateObject, ReplicaSetObject, RolloutObject, ServiceObject } from '../rollouts/snapshot.ts';
import { ingressKeysForRollout, serviceKeysForRollout, ServiceRestorer } from '../services/restorer.ts';
import { createAnalysisController, type AnalysisController } from '../analysis/controller.ts';
import { createExperimentController, type ExperimentController } from '../experiments/controller.ts';
import { AnalysisTemplates, ClusterAnalysisTemplates } from '../experiments/resources.ts';

export interface PartsOptions {
  client: KubeClient;
  /** Watch only this namespace (--namespaced); all namespaces when undefined. */
  namespace?: string;
  /** --instance-id: which labelled Rollouts, AnalysisRuns and Experiments are ours. */
  instanceId?: string;
  decide: DecideRollout;
  resync?: string;
  rolloutWorkers?: number;
  serviceWorkers?: number;
  drainTimeoutMs?: number;
  scheduler?: CronScheduler;
  /** Set by `reconcile --once`: look at a Rollout again at once after it wrote something. */
  requeueAfterWritesMs?: number;
  /** Called after each Rollout reconcile (metrics). */
  onRolloutProcessed?: (info: ProcessedInfo) => void;
  clock?: Clock;
  logger?: Logger;
}

export interface ControllerParts {
  caches: {
    rollouts: ObjectCache<RolloutObject>;
    replicaSets: ObjectCache<ReplicaSetObject>;
    services: ObjectCache<ServiceObject>;
    ingresses: ObjectCache<KubernetesObject>;
    analysisRuns: ObjectCache<KubernetesObject>;
    experiments: ObjectCache<KubernetesObject>;
    pods: ObjectCache<PodObject>;
    /** Deployments and PodTemplates, for spec.workloadRef. */
    deployments: ObjectCache<DeploymentObject>;
    podTemplates: ObjectCache<PodTemplateObject>;
    analysisTemplates: ObjectCache<KubernetesObject>;
    /** Not watched by a --namespaced controller (cluster-scoped; a Role cannot grant it). */
    clusterAnalysisTemplates: ObjectCache<KubernetesObject> | undefined;
  };
  reconciler: RolloutReconciler;
  /** Measures AnalysisRuns (those Rollouts and Experiments create, and hand-made ones). */
  analysis: AnalysisController;
  /** Runs Experiments (those canary experiment steps create, and hand-made ones). */
  experiments: ExperimentController;
  restorer: ServiceRestorer;
  events: EventRecorder;
  loops: { rollouts: ControllerLoop; services: ControllerLoop; ingresses: ControllerLoop };
  /** Starts every cache (listing and watching in the background). */
  startCaches(): void;
  /** Resolves when every cache has loaded its first LIST. */
  waitForSync(signal?: AbortSignal): Promise<void>;
  /** Stops caches and views, flushes events. Loops are stopped by their owner. */
  close(): Promise<void>;
}

export function buildParts(options: PartsOptions): ControllerParts {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const mine = instanceIdSelector(options.instanceId);
  const cache = cacheFactory({ client: options.client, namespace: options.namespace, clock, logger });
  const caches = {
    rollouts: cache<RolloutObject>(Rollouts, mine),
    // As Argo: only ReplicaSets that carry the hash label are Rollout ReplicaSets.
    replicaSets: cache<ReplicaSetObject>(ReplicaSets, POD_TEMPLATE_HASH_LABEL),
    services: cache<ServiceObject>(Services),
    ingresses: cache<KubernetesObject>(Ingresses),
    analysisRuns: cache<KubernetesObject>(AnalysisRuns, mine),
    experiments: cache<KubernetesObject>(Experiments, mine),
    // Only pods of Rollout ReplicaSets, for spec.restartAt; they wake nothing (ReplicaSet status does).
    pods: cache<PodObject>(Pods, POD_TEMPLATE_HASH_LABEL),
    // workloadRef targets: a change of one wakes the Rollouts that reference it (a template
    // change starts an update; the workload-generation annotation follows the generation).
    deployments: cache<DeploymentObject>(Deployments),
    podTemplates: cache<PodTemplateObject>(PodTemplates),
    analysisTemplates: cache<KubernetesObject>(AnalysisTemplates, mine),
    clusterAnalysisTemplates: options.namespace === undefined ? cache<KubernetesObject>(ClusterAnalysisTemplates, mine) : undefined,
  };
  const views = {
    rollouts: new FreshView(caches.rollouts, { clock }),
    replicaSets: new FreshView(caches.replicaSets, { clock }),
    services: new FreshView(caches.services, { clock }),
    analysisRuns: new FreshView(caches.analysisRuns, { clock }),
    experiments: new FreshView(caches.experiments, { clock }),
    deployments: new FreshView(caches.deployments, { clock }),
  };
  const events = new EventRecorder({ client: options.client, clock, logger });
  const reconciler = new RolloutReconciler({
    client: options.client,
    rollouts: views.rollouts,
    replicaSets: views.replicaSets,
    services: views.services,
    analysisRuns: views.analysisRuns,
    experiments: views.experiments,
    pods: caches.pods,
    deployments: views.deployments,
    podTemplates: caches.podTemplates,
    analysisTemplates: caches.analysisTemplates,
    ...(caches.clusterAnalysisTemplates ? { clusterAnalysisTemplates: caches.clusterAnalysisTemplates } : {}),
    decide: options.decide,
    events,
    clock,
    logger,
    ...(options.requeueAfterWritesMs !== undefined ? { requeueAfterWritesMs: options.requeueAfterWritesMs } : {}),
  });
  const restorer = new ServiceRestorer({
    client: options.client,
    services: views.services,
    ingresses: caches.ingresses,
    rollouts: caches.rollouts,
    rememberService: (svc) => views.services.remember(svc as ServiceObject),
    events,
    logger,
  });
  const loopDefaults = {
    ...(options.resync !== undefined ? { resyncSchedule: options.resync } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    ...(options.drainTimeoutMs !== undefined ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
    clock,
    logger,
  };
  const ownerKeys = controllerOwnerKeys('argoproj.io', 'Rollout');
  const loops = {
    rollouts: new ControllerLoop({
      ...loopDefaults,
      name: 'rollouts',
      primary: caches.rollouts,
      related: [
        { cache: caches.replicaSets, keysFor: ownerKeys },
        { cache: caches.analysisRuns, keysFor: ownerKeys },
        { cache: caches.experiments, keysFor: ownerKeys },
        { cache: caches.services, keysFor: rolloutKeysForService(caches.rollouts) },
        { cache: caches.deployments, keysFor: rolloutKeysForWorkload(caches.rollouts, 'Deployment') },
        { cache: caches.podTemplates, keysFor: rolloutKeysForWorkload(caches.rollouts, 'PodTemplate') },
      ],
      handler: reconciler.handle,
      workers: options.rolloutWorkers ?? 10,
      ...(options.onRolloutProcessed ? { onProcessed: options.onRolloutProcessed } : {}),
    }),
    services: new ControllerLoop({
      ...loopDefaults,
      name: 'services',
      primary: caches.services,
      related: [{ cache: caches.rollouts, keysFor: serviceKeysForRollout(caches.services) }],
      handler: restorer.handleService,
      workers: options.serviceWorkers ?? 10,
    }),
    ingresses: new ControllerLoop({
      ...loopDefaults,
      name: 'ingresses',
      primary: caches.ingresses,
      related: [{ cache: caches.rollouts, keysFor: ingressKeysForRollout(caches.ingresses) }],
      handler: restorer.handleIngress,
      workers: options.serviceWorkers ?? 10,
    }),
  };
  const subControllerOptions = {
    client: options.client,
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
    logger,
    events,
    clock,
    ...(options.resync !== undefined ? { resyncSchedule: options.resync } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  };
  const analysis = createAnalysisController(subControllerOptions);
  const experiments = createExperimentController({
    ...subControllerOptions,
    clusterAnalysisTemplates: options.namespace === undefined,
    ...(options.requeueAfterWritesMs !== undefined ? { requeueAfterWritesMs: options.requeueAfterWritesMs } : {}),
    ...(options.drainTimeoutMs !== undefined ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
  });
  const all = Object.values(caches).filter((c) => c !== undefined) as ObjectCache<KubernetesObject>[];
  return {
    caches,
    reconciler,
    analysis,
    experiments,
    restorer,
    events,
    loops,
    startCaches: () => {
      for (const c of all) c.start();
    },
    waitForSync: async (signal) => {
      await Promise.all(all.map((c) => c.waitForSync(signal)));
    },
    close: async () => {
      await events.flush();
      for (const v of Object.values(views)) v.stop();
      await Promise.all(all.map((c) => c.stop()));
    },
  };
}
