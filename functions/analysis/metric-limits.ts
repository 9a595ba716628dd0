// A metric's counting rules read once (after argument substitution): limits with their defaults,
// the effective count, interval and initial delay (reference §11.2).
import type { Metric } from '../api/index.ts';
import { Duration } from '../values/duration.ts';

export const DEFAULT_FAILURE_LIMIT = 0;
export const DEFAULT_INCONCLUSIVE_LIMIT = 0;
export const DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;
export const DEFAULT_CONSECUTIVE_SUCCESS_LIMIT = 0;
/** How long after an Error measurement the next one is taken, whatever the interval. */
export const ERROR_RETRY_INTERVAL_MS = 10_000;
/** Measurements kept per metric unless measurementRetention says otherwise. */
export const DEFAULT_MEASUREMENT_RETENTION = 10;

export interface MetricLimits {
  /** Measurements to take; undefined = unbounded (an interval and no count): runs until terminated. */
  effectiveCount: number | undefined;
  /** As written: 0 when unset (used by validation). */
  count: number;
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  consecutiveSuccessLimit: number;
  /** Time between measurements; undefined when the metric has no interval. */
  intervalMs: number | undefined;
  initialDelayMs: number | undefined;
}

/**
 * An IntOrString limit as Argo reads it (`IntValue()`): a number as is, a string of digits parsed
 * (after `{{args.x}}` substitution), anything else throws with the field name.
 */
export function intValue(value: number | string | undefined, field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`${field} must be a whole number, got ${value}`);
    return value;
  }
  const text = value.trim();
  if (!/^[+-]?\d{1,10}$/.test(text)) throw new Error(`${field} must be an integer, got "${value}"`);
  return Number(text);
}

function durationMs(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return Duration.parseDurationString(value).toMilliseconds();
  } catch (e) {
    throw new Error(`invalid ${what} string: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Throws an Error with Argo's wording when a limit or duration cannot be read. */
export function metricLimits(metric: Metric): MetricLimits {
  const count = intValue(metric.count, 'count', 0);
  const intervalMs = durationMs(metric.interval, 'interval');
  return {
    count,
    effectiveCount: count !== 0 ? count : intervalMs === undefined ? 1 : undefined,
    failureLimit: intValue(metric.failureLimit, 'failureLimit', DEFAULT_FAILURE_LIMIT),
    inconclusiveLimit: intValue(metric.inconclusiveLimit, 'inconclusiveLimit', DEFAULT_INCONCLUSIVE_LIMIT),
    consecutiveErrorLimit: intValue(metric.consecutiveErrorLimit, 'consecutiveErrorLimit', DEFAULT_CONSECUTIVE_ERROR_LIMIT),
    consecutiveSuccessLimit: intValue(metric.consecutiveSuccessLimit, 'consecutiveSuccessLimit', DEFAULT_CONSECUTIVE_SUCCESS_LIMIT),
    intervalMs,
    initialDelayMs: durationMs(metric.initialDelay, 'startDelay'),
  };
}
