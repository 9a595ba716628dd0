// The AnalysisRun controller: for each run, the pure decision (functions/analysis) says which
// measurements are due; providers take them; the outcome is recorded, decided again, and the
// status written on the AnalysisRun itself (its CRD has no status subresource), guarded by the
// resourceVersion that was read. The run is requeued for its next measurement.
//
//   const analysis = createAnalysisController({ client, logger, events, namespace, instanceId });
//   await analysis.start(signal);          // caches + ControllerLoop (watch, queue, 30 s resync)
//   ...
//   await analysis.stop();
//
//   // CronJob mode (`ramp reconcile --once`):
//   await analysis.startCaches(signal);
//   const summary = await runOnce({ keys: analysis.keys(), handler: analysis.reconcile });
//   await analysis.stopCaches();
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  completionEvents,
  decideAnalysisRun,
  errorMeasurement,
  formatTime,
  isInFlight,
  lastMeasurementOf,
  recordMeasurement,
  resolveArgValues,
  substituteMetricArgs,
  type AnalysisDecision,
} from '../../functions/analysis/index.ts';
import {
  ANALYSIS_RUN_NAME_ANNOTATION,
  ANALYSIS_RUN_NAMESPACE_ANNOTATION,
  ANALYSIS_RUN_UID_LABEL,
  type AnalysisRun,
  type AnalysisRunStatus,
  type Measurement,
  type Metric,
} from '../../functions/api/index.ts';
import { cacheFactory, ObjectCache, type ListWatchClient } from '../kube/cache.ts';
import type { RawRequest } from '../kube/client.ts';
import { systemClock, type Clock } from '../kube/clock.ts';
import { describeError, isConflict, isNotFound } from '../kube/errors.ts';
import type { EventRecorder } from '../kube/events.ts';
import { instanceIdSelector } from '../kube/instance-id.ts';
import { makeKey, splitKey } from '../kube/object-key.ts';
import { resourcePath, type ResourceRef } from '../kube/resource.ts';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { type CachedController, cachedController } from '../resync/cached-controller.ts';
import type { CronScheduler } from '../resync/periodic.ts';
import type { HandlerContext, ReconcileResult } from '../resync/queue.ts';
import { mergePatchDiff } from '../rollouts/merge-patch.ts';
import { AnalysisRuns } from '../rollouts/resources.ts';
import { Jobs, JOB_NAMESPACE_ENV, type JobObject } from '../providers/job.ts';
import { createProviderRegistry, type MeasureContext, type ProviderRegistry } from '../providers/registry.ts';

const Secrets: ResourceRef = { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true };

/** Argo's --analysis-threads default. */
export const DEFAULT_ANALYSIS_WORKERS = 30;

export interface AnalysisControllerDeps {
  /** A KubeClient (or anything with request + watch). */
  client: ListWatchClient & { request<R>(req: RawRequest): Promise<R> };
  /** --namespaced: watch only this namespace. */
  namespace?: string;
  /** --instance-id: only runs labelled with it (or, without one, only unlabelled runs). */
  instanceId?: string;
  logger?: Logger;
  /** Records AnalysisRun<Phase> / Metric<Phase> events; none when omitted. */
  events?: EventRecorder;
  clock?: Clock;
  /** Concurrent reconciles (default 30, Argo's --analysis-threads). */
  workers?: number;
  resyncSchedule?: string;
  scheduler?: CronScheduler;
  /** Providers; by default Prometheus, Web and Job on this client. */
  providers?: ProviderRegistry;
  /** Environment for ARGO_ROLLOUTS_PROMETHEUS_ADDRESS and ARGO_ROLLOUTS_ANALYSIS_JOB_NAMESPACE (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** keys() are those of every cached AnalysisRun. */
export interface AnalysisController extends CachedController {
  readonly name: 'analysis';
  readonly analysisRuns: ObjectCache<KubernetesObject>;
  readonly jobs: ObjectCache<KubernetesObject>;
}

interface Task {
  metric: string;
  kind: 'run' | 'resume' | 'terminate';
}

function runKeysForJob(job: KubernetesObject): string[] {
  const annotations = job.metadata?.annotations ?? {};
  const name = annotations[ANALYSIS_RUN_NAME_ANNOTATION];
  if (!name) return [];
  return [makeKey(annotations[ANALYSIS_RUN_NAMESPACE_ANNOTATION] || job.metadata?.namespace, name)];
}

export function createAnalysisController(deps: AnalysisControllerDeps): AnalysisController {
  const clock = deps.clock ?? systemClock;
  const log = (deps.logger ?? silentLogger).child({ controller: 'analysis' });
  const env = deps.env ?? process.env;
  const client = deps.client;
  const cache = cacheFactory({ client, namespace: deps.namespace, clock, logger: log });
  const analysisRuns = cache<KubernetesObject>(AnalysisRuns, instanceIdSelector(deps.instanceId));
  const jobNamespace = env[JOB_NAMESPACE_ENV] || undefined;
  const jobs = new ObjectCache<KubernetesObject>({
    client,
    resource: Jobs,
    ...(jobNamespace ? { namespace: jobNamespace } : deps.namespace ? { namespace: deps.namespace } : {}),
    labelSelector: ANALYSIS_RUN_UID_LABEL,
    logger: log,
    clock,
  });
  const providers = deps.providers ?? createProviderRegistry({
    job: { client, ...(jobNamespace ? { jobNamespace } : {}), jobCache: jobs as unknown as { get(ns: string | undefined, name: string): JobObject | undefined } },
    prometheus: { env },
  });
  /** resourceVersion of our last write per key: a cache still older than it is bypassed. */
  const written = new Map<string, string>();

  const current = async (key: string, signal: AbortSignal): Promise<AnalysisRun | undefined> => {
    const cached = analysisRuns.getByKey(key) as AnalysisRun | undefined;
    const mine = written.get(key);
    if (mine === undefined || cached?.metadata?.resourceVersion === mine) {
      written.delete(key);
      return cached;
    }
    written.delete(key);
    const { namespace, name } = splitKey(key);
    try {
      return await client.request<AnalysisRun>({ method: 'GET', path: resourcePath(AnalysisRuns, namespace, name), signal });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };

  const readSecrets = async (run: AnalysisRun, signal: AbortSignal): Promise<Map<string, Record<string, string>>> => {
    const out = new Map<string, Record<string, string>>();
    for (const arg of run.spec.args ?? []) {
      const ref = arg.valueFrom?.secretKeyRef;
      if (arg.value !== undefined || !ref || out.has(ref.name)) continue;
      try {
        const secret = await client.request<{ data?: Record<string, string> }>({ method: 'GET', path: resourcePath(Secrets, run.metadata?.namespace, ref.name), signal });
        out.set(ref.name, Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        throw new Error(`secret "${ref.name}" not found`);
      }
    }
    return out;
  };

  const measure = async (run: AnalysisRun, decision: AnalysisDecision, status: AnalysisRunStatus, signal: AbortSignal): Promise<AnalysisRunStatus> => {
    const tasks: Task[] = [
      ...decision.measurementsToTake.map((metric): Task => ({ metric, kind: isInFlight(lastMeasurementOf(status.metricResults?.find((r) => r.name === metric))) ? 'resume' : 'run' })),
      ...decision.terminateMetrics.map((metric): Task => ({ metric, kind: 'terminate' })),
    ];
    const startedAt = new Date(clock.now());
    let values: Record<string, string>;
    let secrets: string[];
    try {
      const secretData = await readSecrets(run, signal);
      ({ values, secrets } = resolveArgValues(run.spec.args, (name, key) => secretData.get(name)?.[key]));
    } catch (e) {
      return { ...status, phase: 'Error', message: `Unable to resolve metric arguments: ${describeError(e)}`, completedAt: formatTime(startedAt) };
    }
    const ctx: MeasureContext = { run: { ...run, status }, args: values, signal, now: () => new Date(clock.now()) };
    const outcomes = await Promise.all(tasks.map(async (task) => {
      const spec = run.spec.metrics.find((m) => m.name === task.metric)!;
      const inFlight = lastMeasurementOf(status.metricResults?.find((r) => r.name === task.metric));
      const masked = decision.metrics.find((m) => m.name === task.metric);
      let measurement: Measurement;
      let metadata: Record<string, string> | undefined;
      try {
        const metric: Metric = substituteMetricArgs(spec, values);
        const found = providers.providerFor(metric);
        if (!found.ok) {
          measurement = errorMeasurement(found.message, startedAt, ctx.now(), task.kind === 'run' ? undefined : inFlight);
        } else {
          const provider = found.provider;
          metadata = masked ? provider.metadata?.(masked) : undefined;
          if (task.kind === 'run') measurement = await provider.run(metric, ctx);
          else if (task.kind === 'resume') measurement = await provider.resume(metric, inFlight!, ctx);
          else {
            measurement = await provider.terminate(metric, inFlight!, ctx);
            if (measurement.phase === 'Successful' || measurement.phase === 'Inconclusive') measurement.message = 'Metric Terminated';
          }
        }
      } catch (e) {
        measurement = errorMeasurement(describeError(e), startedAt, ctx.now(), task.kind === 'run' ? undefined : inFlight);
      }
      return { task, measurement, metadata };
    }));
    let next = status;
    for (const { task, measurement, metadata } of outcomes) {
      next = recordMeasurement(next, { name: task.metric }, measurement, {
        now: ctx.now(),
        dryRun: decision.dryRunMetrics.has(task.metric),
        ...(metadata ? { metadata } : {}),
        secrets,
      });
      const recorded = lastMeasurementOf(next.metricResults?.find((r) => r.name === task.metric));
      log.info('measurement', {
        namespace: run.metadata?.namespace,
        name: run.metadata?.name,
        metric: task.metric,
        action: task.kind,
        phase: recorded?.phase,
        ...(recorded?.message ? { message: recorded.message } : {}),
      });
    }
    return next;
  };

  const garbageCollect = async (run: AnalysisRun, decision: AnalysisDecision, signal: AbortSignal): Promise<void> => {
    for (const gc of decision.garbageCollect) {
      const metric = decision.metrics.find((m) => m.name === gc.metric);
      if (!metric) continue;
      const found = providers.providerFor(metric);
      if (!found.ok) continue;
      try {
        await found.provider.garbageCollect(metric, gc.keep, { run, args: {}, signal, now: () => new Date(clock.now()) });
      } catch (e) {
        log.warn('garbage collection of old measurements failed', { namespace: run.metadata?.namespace, name: run.metadata?.name, metric: gc.metric, error: describeError(e) });
      }
    }
  };

  const reconcile = async (key: string, handlerCtx: Partial<HandlerContext> = {}): Promise<ReconcileResult | void> => {
    const signal = handlerCtx.signal ?? new AbortController().signal;
    const run = await current(key, signal);
    if (!run || run.metadata?.deletionTimestamp) return;
    const fields = { namespace: run.metadata?.namespace, name: run.metadata?.name };
    let decision = decideAnalysisRun({ run, now: new Date(clock.now()) });
    if (decision.deleteRun) {
      try {
        await client.request({ method: 'DELETE', path: resourcePath(AnalysisRuns, run.metadata?.namespace, run.metadata?.name), body: { preconditions: { uid: run.metadata?.uid } }, signal });
        log.info('deleted AnalysisRun after its ttlStrategy expired', fields);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    if (decision.measurementsToTake.length > 0 || decision.terminateMetrics.length > 0) {
      const measured = await measure(run, decision, decision.status, signal);
      decision = decideAnalysisRun({ run: { ...run, status: measured }, now: new Date(clock.now()) });
    }
    await garbageCollect(run, decision, signal);

    const patch = mergePatchDiff(run.status ?? {}, decision.status);
    if (patch !== undefined) {
      try {
        const updated = await client.request<AnalysisRun>({
          method: 'PATCH',
          path: resourcePath(AnalysisRuns, run.metadata?.namespace, run.metadata?.name),
          patchType: 'merge',
          body: { metadata: { resourceVersion: run.metadata?.resourceVersion }, status: patch },
          signal,
        });
        if (updated?.metadata?.resourceVersion) written.set(key, updated.metadata.resourceVersion);
      } catch (e) {
        if (isNotFound(e)) return;
        if (isConflict(e)) {
          // Someone changed the run since it was read (or the cache was behind): read it again.
          written.set(key, '');
          log.debug('AnalysisRun changed while reconciling; retrying', fields);
          return { requeueAfterMs: 0 };
        }
        throw e;
      }
      if (run.status?.phase !== decision.status.phase) log.info('AnalysisRun phase', { ...fields, phase: decision.status.phase, ...(decision.status.message ? { message: decision.status.message } : {}) });
      for (const event of completionEvents(run.status, decision.status)) {
        void deps.events?.event({ ...run, apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun' }, event.type, event.reason, event.message);
      }
    }
    return decision.requeueAfterMs === undefined ? undefined : { requeueAfterMs: decision.requeueAfterMs };
  };

  const startCaches = async (signal?: AbortSignal): Promise<void> => {
    analysisRuns.start();
    jobs.start();
    await Promise.all([analysisRuns.waitForSync(signal), jobs.waitForSync(signal)]);
  };
  const stopCaches = async (): Promise<void> => {
    await Promise.all([analysisRuns.stop(), jobs.stop()]);
  };

  return {
    name: 'analysis',
    analysisRuns,
    jobs,
    ...cachedController({
      name: 'analysis',
      primary: analysisRuns,
      related: [{ cache: jobs, keysFor: runKeysForJob }],
      reconcile,
      startCaches,
      stopCaches,
      settings: deps,
      defaultWorkers: DEFAULT_ANALYSIS_WORKERS,
      clock,
      logger: log,
    }),
  };
}
