// Job: each measurement runs a Kubernetes Job built from the metric's spec; it succeeds when the
// Job completes and fails when the Job fails (reference §11.7). Conditions are not evaluated.
// - name `<run uid>.<metric>.<n>` (n = measurements taken + 1; the metric part is shortened to fit 63 characters)
// - label analysisrun.argoproj.io/uid on the Job and its pods; annotations with the run's name,
//   namespace and the metric; owned by the AnalysisRun (so deleting the run deletes its Jobs)
// - terminate deletes the Job (the measurement becomes Inconclusive); garbageCollect deletes the
//   Jobs of measurements no longer kept.
import {
  ANALYSIS_RUN_METRIC_NAME_ANNOTATION,
  ANALYSIS_RUN_NAME_ANNOTATION,
  ANALYSIS_RUN_NAMESPACE_ANNOTATION,
  ANALYSIS_RUN_UID_LABEL,
  ARGO_API_VERSION,
  type AnalysisRun,
  type Measurement,
  type Metric,
} from '../../functions/api/index.ts';
import { errorMeasurement, formatTime } from '../../functions/analysis/index.ts';
import { formatSelector } from '../../functions/selectors/index.ts';
import type { RawRequest } from '../kube/client.ts';
import { describeError, isAlreadyExists, isNotFound } from '../kube/errors.ts';
import { resourcePath, type ResourceRef } from '../kube/resource.ts';
import { Pods } from '../rollouts/resources.ts';
import type { MeasureContext, MetricProvider } from './provider.ts';

export const Jobs: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true };
export const JOB_NAME_METADATA = 'job-name';
export const JOB_NAMESPACE_METADATA = 'job-namespace';
export const JOB_NAMESPACE_ENV = 'ARGO_ROLLOUTS_ANALYSIS_JOB_NAMESPACE';
const MAX_NAME = 63;
/** Container waiting reasons after which a Job never makes progress: the measurement is Inconclusive. */
const TERMINAL_WAITING_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']);

export interface JobObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
  };
  spec?: { selector?: { matchLabels?: Record<string, string> }; template?: { metadata?: { labels?: Record<string, string> } } };
  status?: { conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }> };
}

interface PodObject {
  metadata?: { name?: string };
  status?: {
    containerStatuses?: Array<{ name?: string; state?: { waiting?: { reason?: string; message?: string } } }>;
    initContainerStatuses?: Array<{ name?: string; state?: { waiting?: { reason?: string; message?: string } } }>;
  };
}

export interface JobProviderOptions {
  client: { request<R>(req: RawRequest): Promise<R> };
  /** Namespace for the Jobs instead of the run's (ARGO_ROLLOUTS_ANALYSIS_JOB_NAMESPACE); then they carry no ownerReference. */
  jobNamespace?: string;
  /** A cache of Jobs to read before asking the API server. */
  jobCache?: { get(namespace: string | undefined, name: string): JobObject | undefined };
}

/** `<uid>.<metric>.<n>`, the metric name shortened so the whole fits 63 characters. */
export function jobName(runUid: string, metricName: string, n: number): string {
  const full = `${runUid}.${metricName}.${n}`;
  if (full.length <= MAX_NAME) return full;
  const keep = Math.max(0, metricName.length - (full.length - MAX_NAME));
  return `${runUid}.${metricName.slice(0, keep)}.${n}`;
}

/** The Job a measurement of `metric` runs. */
export function newMetricJob(run: AnalysisRun, metric: Metric, n: number, jobNamespace?: string): JobObject & { spec: Record<string, unknown> } {
  const spec = metric.provider.job!;
  const uid = run.metadata?.uid ?? '';
  const namespace = jobNamespace || run.metadata?.namespace || 'default';
  const jobSpec = structuredClone(spec.spec) as Record<string, unknown> & { template: { metadata?: { labels?: Record<string, string> } } };
  jobSpec.template.metadata = { ...jobSpec.template.metadata, labels: { ...jobSpec.template.metadata?.labels, [ANALYSIS_RUN_UID_LABEL]: uid } };
  const owned = namespace === run.metadata?.namespace;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(uid, metric.name, n),
      namespace,
      labels: { ...spec.metadata?.labels, [ANALYSIS_RUN_UID_LABEL]: uid },
      annotations: {
        ...spec.metadata?.annotations,
        [ANALYSIS_RUN_NAME_ANNOTATION]: run.metadata?.name ?? '',
        [ANALYSIS_RUN_NAMESPACE_ANNOTATION]: run.metadata?.namespace ?? '',
        [ANALYSIS_RUN_METRIC_NAME_ANNOTATION]: metric.name,
      },
      ...(owned
        ? { ownerReferences: [{ apiVersion: ARGO_API_VERSION, kind: 'AnalysisRun', name: run.metadata?.name ?? '', uid, controller: true, blockOwnerDeletion: true }] }
        : {}),
    } as JobObject['metadata'],
    spec: jobSpec,
  };
}

/** The verdict a Job's conditions give, if it has finished. */
export function jobOutcome(job: JobObject): { phase: 'Successful' | 'Failed'; message?: string } | undefined {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== 'True') continue;
    if (c.type === 'Complete') return { phase: 'Successful' };
    if (c.type === 'Failed') return { phase: 'Failed', ...(c.message || c.reason ? { message: c.message || c.reason } : {}) };
  }
  return undefined;
}

function terminalPodProblem(pods: readonly PodObject[]): string | undefined {
  for (const pod of pods) {
    for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const w = cs.state?.waiting;
      if (w?.reason && TERMINAL_WAITING_REASONS.has(w.reason)) {
        return `Pod ${pod.metadata?.name}, container ${cs.name} has terminal error (${w.reason}): ${w.message ?? ''}`.trimEnd();
      }
    }
  }
  return undefined;
}

function jobRef(measurement: Measurement, run: AnalysisRun): { namespace: string; name: string } | undefined {
  const name = measurement.metadata?.[JOB_NAME_METADATA];
  if (!name) return undefined;
  return { name, namespace: measurement.metadata?.[JOB_NAMESPACE_METADATA] || run.metadata?.namespace || 'default' };
}

/** How long to wait before looking at a running Job again: √(2·elapsed seconds), at least 1 s, at most 60 s. */
export function resumeDelayMs(startedAt: string | undefined, now: Date): number {
  const started = startedAt ? Date.parse(startedAt) : now.getTime();
  const elapsed = Math.max(0, (now.getTime() - started) / 1000);
  return Math.min(60_000, Math.max(1000, Math.sqrt(2 * elapsed) * 1000));
}

export function createJobProvider(options: JobProviderOptions): MetricProvider {
  const { client } = options;
  const readJob = async (namespace: string, name: string, signal: AbortSignal): Promise<JobObject> => {
    const cached = options.jobCache?.get(namespace, name);
    if (cached && jobOutcome(cached)) return cached;
    return client.request<JobObject>({ method: 'GET', path: resourcePath(Jobs, namespace, name), signal });
  };
  const deleteJob = async (namespace: string, name: string, signal: AbortSignal): Promise<void> => {
    try {
      await client.request({ method: 'DELETE', path: resourcePath(Jobs, namespace, name), body: { propagationPolicy: 'Background' }, signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  };

  return {
    type: 'job',

    async run(metric: Metric, ctx: MeasureContext): Promise<Measurement> {
      const startedAt = ctx.now();
      const run = ctx.run;
      const result = run.status?.metricResults?.find((r) => r.name === metric.name);
      const n = (result?.count ?? 0) + (result?.error ?? 0) + 1;
      const job = newMetricJob(run, metric, n, options.jobNamespace);
      const { namespace, name } = { namespace: job.metadata!.namespace!, name: job.metadata!.name! };
      try {
        try {
          await client.request({ method: 'POST', path: resourcePath(Jobs, namespace), body: job, signal: ctx.signal });
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          // Created by an earlier attempt whose status write was lost: adopt it if it is ours.
          const existing = await client.request<JobObject>({ method: 'GET', path: resourcePath(Jobs, namespace, name), signal: ctx.signal });
          if (existing.metadata?.labels?.[ANALYSIS_RUN_UID_LABEL] !== run.metadata?.uid) {
            throw new Error(`job ${namespace}/${name} already exists and belongs to another AnalysisRun`);
          }
        }
      } catch (e) {
        return errorMeasurement(`could not create job ${namespace}/${name}: ${describeError(e)}`, startedAt, ctx.now());
      }
      return {
        phase: 'Running',
        startedAt: formatTime(startedAt),
        metadata: { [JOB_NAME_METADATA]: name, [JOB_NAMESPACE_METADATA]: namespace },
        resumeAt: formatTime(startedAt.getTime() + 1000),
      };
    },

    async resume(_metric: Metric, measurement: Measurement, ctx: MeasureContext): Promise<Measurement> {
      const now = ctx.now();
      const ref = jobRef(measurement, ctx.run);
      if (!ref) return errorMeasurement('job metadata reference missing', now, now, measurement);
      let job: JobObject;
      try {
        job = await readJob(ref.namespace, ref.name, ctx.signal);
      } catch (e) {
        return errorMeasurement(isNotFound(e) ? `job ${ref.namespace}/${ref.name} not found` : describeError(e), now, now, measurement);
      }
      const outcome = jobOutcome(job);
      if (outcome) {
        const done: Measurement = { ...measurement, phase: outcome.phase, finishedAt: formatTime(now) };
        delete done.resumeAt;
        if (outcome.message) done.message = outcome.message;
        return done;
      }
      try {
        const selector = formatSelector({ matchLabels: job.spec?.selector?.matchLabels ?? {} });
        if (selector !== '') {
          const pods = await client.request<{ items?: PodObject[] }>({ method: 'GET', path: resourcePath(Pods, ref.namespace), query: { labelSelector: selector }, signal: ctx.signal });
          const problem = terminalPodProblem(pods.items ?? []);
          if (problem) {
            const stuck: Measurement = { ...measurement, phase: 'Inconclusive', message: problem, finishedAt: formatTime(now) };
            delete stuck.resumeAt;
            return stuck;
          }
        }
      } catch {
        // Pods are only read to spot stuck images; the Job's own status still decides.
      }
      return { ...measurement, phase: 'Running', resumeAt: formatTime(now.getTime() + resumeDelayMs(measurement.startedAt, now)) };
    },

    async terminate(_metric: Metric, measurement: Measurement, ctx: MeasureContext): Promise<Measurement> {
      const now = ctx.now();
      const ref = jobRef(measurement, ctx.run);
      if (!ref) return errorMeasurement('job metadata reference missing', now, now, measurement);
      try {
        await deleteJob(ref.namespace, ref.name, ctx.signal);
      } catch (e) {
        return errorMeasurement(`could not delete job ${ref.namespace}/${ref.name}: ${describeError(e)}`, now, now, measurement);
      }
      const terminated: Measurement = { ...measurement, phase: 'Inconclusive', message: 'Metric Terminated', finishedAt: formatTime(now) };
      delete terminated.resumeAt;
      return terminated;
    },

    async garbageCollect(metric: Metric, keep: number, ctx: MeasureContext): Promise<void> {
      const uid = ctx.run.metadata?.uid;
      if (!uid) return;
      const namespace = options.jobNamespace || ctx.run.metadata?.namespace || 'default';
      const list = await client.request<{ items?: JobObject[] }>({
        method: 'GET',
        path: resourcePath(Jobs, namespace),
        query: { labelSelector: `${ANALYSIS_RUN_UID_LABEL}=${uid}` },
        signal: ctx.signal,
      });
      const jobs = (list.items ?? [])
        .filter((j) => j.metadata?.annotations?.[ANALYSIS_RUN_METRIC_NAME_ANNOTATION] === metric.name && !j.metadata?.deletionTimestamp)
        .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '', 'en', { numeric: true }));
      for (const job of jobs.slice(0, Math.max(0, jobs.length - keep))) await deleteJob(namespace, job.metadata!.name!, ctx.signal);
    },
  };
}
