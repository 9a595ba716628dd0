// One reconcile of an AnalysisRun as a pure decision (reference §11.4): given the run and the
// time, which measurements to take or resume, which in-flight ones to terminate, the status to
// write, and when to look again. The controller takes the measurements, records each with
// recordMeasurement(), and decides again on the result before writing:
//
//   let d = decideAnalysisRun({ run, now });
//   for (const name of d.measurementsToTake) status = recordMeasurement(status, metric, await provider.run(…), …);
//   d = decideAnalysisRun({ run: { ...run, status }, now });   // phases and counters settle
//   write(d.status); requeue after d.requeueAfterMs
import type { AnalysisPhase, AnalysisRun, AnalysisRunStatus, Metric, MetricResult, RunSummary } from '../api/index.ts';
import { parseMetaTime } from '../values/meta-time.ts';
import { resolveArgValues, substituteMetricArgs } from './args.ts';
import {
  addToSummary,
  assessMetric,
  assessmentMessage,
  emptySummary,
  isInFlight,
  isTerminating,
  lastMeasurementOf,
  limitBreach,
} from './assess.ts';
import { DEFAULT_MEASUREMENT_RETENTION, ERROR_RETRY_INTERVAL_MS, metricLimits, type MetricLimits } from './metric-limits.ts';
import { isCompletedPhase, isWorsePhase } from './phases.ts';
import { formatTime } from './time.ts';
import { ttlExpiry } from './ttl.ts';
import { dryRunMetricNames, measurementRetentionLimits, validateMetrics } from './validate.ts';

export interface AnalysisRunSnapshot {
  run: AnalysisRun;
  now: Date;
}

export interface GarbageCollection {
  metric: string;
  /** Measurements (and so provider objects, e.g. Jobs) of this metric to keep: the newest ones. */
  keep: number;
}

export interface AnalysisDecision {
  /** Metrics to measure now: a new measurement, or the in-flight one resumed (see lastMeasurementOf). */
  measurementsToTake: string[];
  /** Metrics whose in-flight measurement must be terminated (the run is stopping). */
  terminateMetrics: string[];
  /** The status to write when it differs from the run's. */
  status: AnalysisRunStatus;
  /** Look again after this long; undefined when nothing will change without an event. */
  requeueAfterMs?: number;
  /** The run's metrics with arguments substituted (secret values masked as `*****`); empty when they could not be resolved. */
  metrics: Metric[];
  /** Metric names in dry-run mode. */
  dryRunMetrics: Set<string>;
  /** Metrics whose measurement history was trimmed: the provider may clean up what belonged to the dropped ones. */
  garbageCollect: GarbageCollection[];
  /** The run completed and its ttlStrategy has expired: delete it. */
  deleteRun: boolean;
}

interface ResolvedRun {
  metrics: Metric[];
  limits: Map<string, MetricLimits>;
  dryRun: Set<string>;
  retention: Map<string, number>;
}

function resolveRun(run: AnalysisRun): { ok: true; value: ResolvedRun } | { ok: false; message: string } {
  let metrics: Metric[];
  try {
    const { values } = resolveArgValues(run.spec.args);
    metrics = (run.spec.metrics ?? []).map((m) => substituteMetricArgs(m, values));
  } catch (e) {
    return { ok: false, message: `Unable to resolve metric arguments: ${(e as Error).message}` };
  }
  const problem = validateMetrics(metrics);
  if (problem !== undefined) return { ok: false, message: `Analysis spec invalid: ${problem}` };
  try {
    const dryRun = dryRunMetricNames(run.spec.dryRun, metrics);
    const retention = measurementRetentionLimits(run.spec.measurementRetention, metrics);
    const limits = new Map(metrics.map((m) => [m.name, metricLimits(m)]));
    return { ok: true, value: { metrics, limits, dryRun, retention } };
  } catch (e) {
    return { ok: false, message: `Analysis spec invalid: ${(e as Error).message}` };
  }
}

const COUNTERS = ['count', 'successful', 'failed', 'inconclusive', 'error', 'consecutiveError', 'consecutiveSuccess'] as const;

/** Drops zero counters, as Argo's omitempty fields are written. */
function compactResult(result: MetricResult): void {
  for (const field of COUNTERS) if (result[field] === 0) delete result[field];
}

function compactSummary(summary: Required<RunSummary>): RunSummary {
  const out: RunSummary = {};
  for (const [k, v] of Object.entries(summary) as Array<[keyof RunSummary, number]>) if (v !== 0) out[k] = v;
  return out;
}

function completedDecision(run: AnalysisRun, status: AnalysisRunStatus, now: Date): AnalysisDecision {
  const expiry = ttlExpiry(run.spec.ttlStrategy, status);
  const deleteRun = expiry !== undefined && now.getTime() >= expiry;
  return {
    measurementsToTake: [],
    terminateMetrics: [],
    status,
    ...(expiry !== undefined && !deleteRun ? { requeueAfterMs: expiry - now.getTime() } : {}),
    metrics: [],
    dryRunMetrics: new Set(),
    garbageCollect: [],
    deleteRun,
  };
}

export function decideAnalysisRun(snapshot: AnalysisRunSnapshot): AnalysisDecision {
  const { run, now } = snapshot;
  const nowMs = now.getTime();
  const status: AnalysisRunStatus = structuredClone(run.status ?? ({ phase: 'Pending' } as AnalysisRunStatus));
  if (isCompletedPhase(status.phase)) return completedDecision(run, status, now);

  status.startedAt ??= formatTime(now);
  status.metricResults ??= [];
  const resolved = resolveRun(run);
  if (!resolved.ok) {
    status.phase = 'Error';
    status.message = resolved.message;
    status.completedAt ??= formatTime(now);
    return { ...completedDecision(run, status, now), metrics: [] };
  }
  const { metrics, limits, dryRun, retention } = resolved.value;
  const results = status.metricResults;
  const resultOf = (name: string): MetricResult | undefined => results.find((r) => r.name === name);

  // 1. Metric phases. Whether the run is terminating depends on the phases, and a terminating
  //    run completes metrics that are between measurements, so assess twice when it changes.
  const assess = (terminating: boolean): Map<string, AnalysisPhase> => {
    const phases = new Map<string, AnalysisPhase>();
    for (const metric of metrics) {
      const result = resultOf(metric.name);
      if (result) phases.set(metric.name, assessMetric(limits.get(metric.name)!, result, terminating));
    }
    return phases;
  };
  let phases = assess(Boolean(run.spec.terminate));
  const terminating = isTerminating(run.spec.terminate, results.map((r) => ({ ...r, phase: phases.get(r.name) ?? r.phase })), dryRun);
  if (terminating !== Boolean(run.spec.terminate)) phases = assess(terminating);

  // 2. In-flight measurements to resume or terminate, and new measurements that are due.
  const measurementsToTake: string[] = [];
  const terminateMetrics: string[] = [];
  let wakeAt: number | undefined;
  const wake = (at: number): void => {
    wakeAt = wakeAt === undefined ? at : Math.min(wakeAt, at);
  };
  const startedAt = parseMetaTime(status.startedAt) ?? nowMs;
  for (const metric of metrics) {
    const result = resultOf(metric.name);
    const phase = phases.get(metric.name) ?? 'Pending';
    if (isCompletedPhase(phase)) continue;
    const metricLimit = limits.get(metric.name)!;
    const last = lastMeasurementOf(result);
    if (last && isInFlight(last)) {
      if (terminating) {
        terminateMetrics.push(metric.name);
        continue;
      }
      const resumeAt = parseMetaTime(last.resumeAt);
      if (resumeAt !== undefined && resumeAt > nowMs) wake(resumeAt);
      else measurementsToTake.push(metric.name);
      continue;
    }
    if (terminating) continue;
    if (!last) {
      const due = metricLimit.initialDelayMs === undefined ? nowMs : startedAt + metricLimit.initialDelayMs;
      if (due <= nowMs) measurementsToTake.push(metric.name);
      else wake(due);
      continue;
    }
    if (metricLimit.effectiveCount !== undefined && (result?.count ?? 0) >= metricLimit.effectiveCount) continue;
    const interval = last.phase === 'Error' ? ERROR_RETRY_INTERVAL_MS : metricLimit.intervalMs;
    if (interval === undefined) continue;
    const due = (parseMetaTime(last.finishedAt) ?? nowMs) + interval;
    if (due <= nowMs) measurementsToTake.push(metric.name);
    else wake(due);
  }

  // 3. Results: phase transitions, dry-run messages, summaries, the worst verdict.
  const runSummary = emptySummary();
  const dryRunSummary = emptySummary();
  let worst: AnalysisPhase | undefined;
  let worstMessage = run.spec.terminate ? 'Run Terminated' : '';
  let everythingCompleted = true;
  for (const metric of metrics) {
    const isDryRun = dryRun.has(metric.name);
    (isDryRun ? dryRunSummary : runSummary).count++;
    const result = resultOf(metric.name);
    if (!result) {
      everythingCompleted = false;
      continue;
    }
    if (isDryRun) result.dryRun = true;
    const phase = phases.get(metric.name)!;
    const breach = isCompletedPhase(phase) ? limitBreach(limits.get(metric.name)!, result) : undefined;
    if (result.phase !== phase) {
      const lastMessage = lastMeasurementOf(result)?.message;
      if (lastMessage !== undefined) result.message = lastMessage;
      if (isDryRun && breach) result.message = assessmentMessage(undefined, phase, breach.reason, lastMessage);
      result.phase = phase;
    }
    compactResult(result);
    if (!isCompletedPhase(phase)) {
      everythingCompleted = false;
      continue;
    }
    if (isDryRun) {
      addToSummary(dryRunSummary, phase);
      continue;
    }
    addToSummary(runSummary, phase);
    if (worst === undefined || isWorsePhase(phase, worst)) {
      worst = phase;
      if (breach) worstMessage = assessmentMessage(metric.name, phase, breach.reason, lastMeasurementOf(result)?.message);
    }
  }
  status.runSummary = compactSummary(runSummary);
  if (dryRun.size > 0) status.dryRunSummary = compactSummary(dryRunSummary);
  else delete status.dryRunSummary;

  let phase: AnalysisPhase;
  let message = worstMessage;
  if (terminateMetrics.length > 0) {
    // In-flight measurements are terminated first; the verdict follows on the next decision.
    phase = 'Running';
    message = status.message ?? '';
  } else if (terminating) {
    phase = worst ?? 'Successful';
  } else if (!everythingCompleted || worst === undefined) {
    phase = 'Running';
    message = '';
  } else {
    phase = worst;
  }
  if (phase !== status.phase) {
    status.phase = phase;
    if (message) status.message = message;
    else delete status.message;
    if (isCompletedPhase(phase)) status.completedAt ??= formatTime(now);
  }

  // 4. Measurement history beyond the retention limit.
  const garbageCollect: GarbageCollection[] = [];
  for (const result of results) {
    const keep = (retention.get(result.name) ?? 0) > 0 ? retention.get(result.name)! : DEFAULT_MEASUREMENT_RETENTION;
    const list = result.measurements ?? [];
    if (list.length > keep && limits.has(result.name)) {
      result.measurements = list.slice(list.length - keep);
      garbageCollect.push({ metric: result.name, keep });
    }
  }

  const completed = isCompletedPhase(status.phase);
  const decision: AnalysisDecision = {
    measurementsToTake: completed ? [] : measurementsToTake,
    terminateMetrics: completed ? [] : terminateMetrics,
    status,
    metrics,
    dryRunMetrics: dryRun,
    garbageCollect,
    deleteRun: false,
  };
  if (completed) {
    const expiry = ttlExpiry(run.spec.ttlStrategy, status);
    if (expiry !== undefined) {
      if (nowMs >= expiry) decision.deleteRun = true;
      else decision.requeueAfterMs = expiry - nowMs;
    }
  } else if (measurementsToTake.length > 0 || terminateMetrics.length > 0) {
    decision.requeueAfterMs = 0;
  } else if (wakeAt !== undefined) {
    decision.requeueAfterMs = Math.max(0, wakeAt - nowMs);
  }
  return decision;
}
