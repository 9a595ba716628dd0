// Turning a provider's result into a Measurement: the conditions decide the phase (expr-language §7.3).
import type { Measurement, Metric } from '../api/index.ts';
import { measurementPhase } from '../expr/index.ts';
import { formatTime } from './time.ts';

export interface EvaluatedResult {
  /** The value conditions see as `result` (JSON-like; a Float64Array for a Prometheus vector). */
  result: unknown;
  /** What the measurement's `value` shows, e.g. `[0.99]` or `0.5`. */
  value: string;
  metadata?: Record<string, string>;
}

/** A finished measurement from a result and the metric's success/failure conditions. */
export function evaluateMeasurement(metric: Metric, outcome: EvaluatedResult, startedAt: Date, finishedAt: Date): Measurement {
  const verdict = measurementPhase({
    successCondition: metric.successCondition,
    failureCondition: metric.failureCondition,
    result: outcome.result,
    now: finishedAt,
    messageStyle: 'argo-v1.10',
  });
  return {
    phase: verdict.phase,
    ...(verdict.message ? { message: verdict.message } : {}),
    startedAt: formatTime(startedAt),
    finishedAt: formatTime(finishedAt),
    value: outcome.value,
    ...(outcome.metadata && Object.keys(outcome.metadata).length > 0 ? { metadata: outcome.metadata } : {}),
  };
}

/** A measurement that could not be taken: phase Error with the reason. */
export function errorMeasurement(message: string, startedAt: Date, finishedAt: Date, base?: Measurement): Measurement {
  return {
    ...(base ? structuredClone(base) : {}),
    phase: 'Error',
    message,
    startedAt: base?.startedAt ?? formatTime(startedAt),
    finishedAt: formatTime(finishedAt),
  };
}
