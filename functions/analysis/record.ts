// Book-keeping of one measurement (reference §11.4 step 3): the counters of its metric, and the
// measurement itself appended, or replacing the in-flight one it finishes.
import type { AnalysisRunStatus, Measurement, Metric, MetricResult } from '../api/index.ts';
import { redactSecrets } from './args.ts';
import { isInFlight, lastMeasurementOf } from './assess.ts';
import { isCompletedPhase } from './phases.ts';
import { formatTime } from './time.ts';

export interface RecordOptions {
  /** Stamped as finishedAt on a completed measurement that has none (and startedAt when missing). */
  now: Date;
  /** The metric runs in dry-run mode (set on a new metric result). */
  dryRun?: boolean;
  /** Provider details for a new metric result, e.g. ResolvedPrometheusQuery. */
  metadata?: Record<string, string>;
  /** Secret argument values to replace by `*****` in the measurement's message. */
  secrets?: readonly string[];
}

/**
 * Returns a new status with `measurement` recorded for `metric`:
 * - Successful: successful+1, count+1, consecutiveError=0, consecutiveSuccess+1
 * - Failed / Inconclusive: failed+1 / inconclusive+1, count+1, consecutiveError=0, consecutiveSuccess=0
 * - Error: error+1, consecutiveError+1, consecutiveSuccess=0 (an Error does not count toward `count`)
 * - Pending / Running (a Job still running): no counter changes.
 * A measurement replaces the metric's last one when that one is still in flight, else it is appended.
 */
export function recordMeasurement(
  status: AnalysisRunStatus | undefined,
  metric: Pick<Metric, 'name'>,
  measurement: Measurement,
  options: RecordOptions,
): AnalysisRunStatus {
  const next: AnalysisRunStatus = structuredClone(status ?? { phase: 'Running' });
  const results = (next.metricResults ??= []);
  let result = results.find((r) => r.name === metric.name);
  if (!result) {
    result = {
      name: metric.name,
      phase: 'Running',
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.metadata && Object.keys(options.metadata).length > 0 ? { metadata: { ...options.metadata } } : {}),
    };
    results.push(result);
  }
  const m: Measurement = structuredClone(measurement);
  if (m.startedAt === undefined) m.startedAt = formatTime(options.now);
  if (m.message !== undefined && options.secrets && options.secrets.length > 0) m.message = redactSecrets(m.message, options.secrets);
  if (isCompletedPhase(m.phase)) {
    if (m.finishedAt === undefined) m.finishedAt = formatTime(options.now);
    delete m.resumeAt;
    count(result, m);
  }
  const measurements = (result.measurements ??= []);
  if (isInFlight(lastMeasurementOf(result))) measurements[measurements.length - 1] = m;
  else measurements.push(m);
  return next;
}

function count(result: MetricResult, m: Measurement): void {
  const inc = (field: 'successful' | 'failed' | 'inconclusive' | 'error' | 'count' | 'consecutiveError' | 'consecutiveSuccess'): void => {
    result[field] = (result[field] ?? 0) + 1;
  };
  switch (m.phase) {
    case 'Successful':
      inc('successful');
      inc('count');
      result.consecutiveError = 0;
      inc('consecutiveSuccess');
      break;
    case 'Failed':
    case 'Inconclusive':
      inc(m.phase === 'Failed' ? 'failed' : 'inconclusive');
      inc('count');
      result.consecutiveError = 0;
      result.consecutiveSuccess = 0;
      break;
    case 'Error':
      inc('error');
      inc('consecutiveError');
      result.consecutiveSuccess = 0;
      break;
    default:
      break;
  }
}
