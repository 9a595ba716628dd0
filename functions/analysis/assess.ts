// A metric's phase from its counters, and a run's phase from its metrics (reference §11.4).
import type { AnalysisPhase, Measurement, MetricResult, RunSummary } from '../api/index.ts';
import type { MetricLimits } from './metric-limits.ts';
import { isCompletedPhase, isFailingPhase, isWorsePhase } from './phases.ts';

export function lastMeasurementOf(result: MetricResult | undefined): Measurement | undefined {
  const list = result?.measurements;
  return list && list.length > 0 ? list[list.length - 1] : undefined;
}

/** A measurement a provider has started and not finished (a Job still running). */
export function isInFlight(measurement: Measurement | undefined): boolean {
  return measurement !== undefined && measurement.finishedAt === undefined && !isCompletedPhase(measurement.phase);
}

/**
 * Which limit a metric has gone past, if any; when several, the last in this order wins:
 * failed > failureLimit (unless -1), inconclusive > inconclusiveLimit, consecutiveError > consecutiveErrorLimit.
 */
export function limitBreach(limits: MetricLimits, result: MetricResult): { phase: AnalysisPhase; reason: string } | undefined {
  let breach: { phase: AnalysisPhase; reason: string } | undefined;
  const failed = result.failed ?? 0;
  const inconclusive = result.inconclusive ?? 0;
  const consecutiveError = result.consecutiveError ?? 0;
  if (limits.failureLimit >= 0 && failed > limits.failureLimit) {
    breach = { phase: 'Failed', reason: `failed (${failed}) > failureLimit (${limits.failureLimit})` };
  }
  if (inconclusive > limits.inconclusiveLimit) {
    breach = { phase: 'Inconclusive', reason: `inconclusive (${inconclusive}) > inconclusiveLimit (${limits.inconclusiveLimit})` };
  }
  if (consecutiveError > limits.consecutiveErrorLimit) {
    breach = {
      phase: 'Error',
      reason: `consecutiveErrors (${consecutiveError}) > consecutiveErrorLimit (${limits.consecutiveErrorLimit})`,
    };
  }
  return breach;
}

/**
 * The phase of one metric. Once completed it never changes. `terminating`: the run is stopping
 * (spec.terminate, or another metric failed), so a metric between measurements is done.
 */
export function assessMetric(limits: MetricLimits, result: MetricResult, terminating: boolean): AnalysisPhase {
  if (isCompletedPhase(result.phase)) return result.phase;
  const last = lastMeasurementOf(result);
  if (!last) return terminating ? 'Successful' : 'Pending';
  if (!isCompletedPhase(last.phase)) return 'Running';
  const breach = limitBreach(limits, result);
  if (breach) return breach.phase;
  const successApplicable = limits.consecutiveSuccessLimit > 0;
  if (successApplicable && (result.consecutiveSuccess ?? 0) >= limits.consecutiveSuccessLimit) return 'Successful';
  if (limits.effectiveCount !== undefined && (result.count ?? 0) >= limits.effectiveCount) {
    const failureApplicable = limits.failureLimit >= 0;
    // Both limits set and neither decided within `count` measurements: no verdict.
    if (failureApplicable && successApplicable) return 'Inconclusive';
    // Only consecutiveSuccessLimit set, and it was not reached.
    if (!failureApplicable && successApplicable) return 'Failed';
    return 'Successful';
  }
  return terminating ? 'Successful' : 'Running';
}

/** `Metric "name" assessed Failed due to failed (2) > failureLimit (1): "Error Message: …"` */
export function assessmentMessage(metricName: string | undefined, phase: AnalysisPhase, reason: string, lastMessage: string | undefined): string {
  const head = metricName === undefined ? `Metric assessed ${phase} due to ${reason}` : `Metric "${metricName}" assessed ${phase} due to ${reason}`;
  return lastMessage ? `${head}: "Error Message: ${lastMessage}"` : head;
}

export function emptySummary(): Required<RunSummary> {
  return { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
}

export function addToSummary(summary: Required<RunSummary>, phase: AnalysisPhase): void {
  switch (phase) {
    case 'Successful': summary.successful++; break;
    case 'Failed': summary.failed++; break;
    case 'Inconclusive': summary.inconclusive++; break;
    case 'Error': summary.error++; break;
    default: break;
  }
}

/** True when the run must stop: terminate was asked for, or a metric that counts completed badly. */
export function isTerminating(terminate: boolean | undefined, results: readonly MetricResult[], dryRun: ReadonlySet<string>): boolean {
  if (terminate) return true;
  return results.some((r) => !dryRun.has(r.name) && isFailingPhase(r.phase));
}

export { isCompletedPhase, isFailingPhase, isWorsePhase };
