// The checks the AnalysisRun controller makes on a run's (argument-substituted) metrics before
// measuring, with Argo's messages (reference §5.3). A failure makes the run Error with
// "Analysis spec invalid: <message>".
import type { DryRun, MeasurementRetention, Metric, MetricProvider } from '../api/index.ts';
import { compileRegex, type CompiledRegex } from '../expr/regex/program.ts';
import { metricLimits } from './metric-limits.ts';

/** Provider keys of a metric; each plugin entry counts as one. */
export function providerTypes(provider: MetricProvider | undefined): string[] {
  if (!provider) return [];
  const types: string[] = [];
  for (const [key, value] of Object.entries(provider)) {
    if (value === undefined || value === null) continue;
    if (key === 'plugin') {
      for (const name of Object.keys(value as object)) types.push(`plugin:${name}`);
    } else {
      types.push(key);
    }
  }
  return types;
}

/** The first problem of one metric, or undefined. */
export function validateMetric(metric: Metric): string | undefined {
  let limits;
  try {
    limits = metricLimits(metric);
  } catch (e) {
    return (e as Error).message;
  }
  const { count, failureLimit, consecutiveSuccessLimit, inconclusiveLimit, consecutiveErrorLimit } = limits;
  if (consecutiveSuccessLimit < 0) return 'consecutiveSuccessLimit must be >= 0';
  if (failureLimit < -1) return 'failureLimit must be >= 0, or -1 to be disabled';
  if (consecutiveSuccessLimit === 0 && failureLimit === -1) return 'failureLimit and consecutiveSuccessLimit cannot both be disabled';
  if (inconclusiveLimit < 0) return 'inconclusiveLimit must be >= 0';
  if (consecutiveErrorLimit < 0) return 'consecutiveErrorLimit must be >= 0';
  if (count > 0) {
    if (failureLimit >= 0 && count < failureLimit + consecutiveSuccessLimit) {
      return `count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${failureLimit} + ${consecutiveSuccessLimit}) if both >= 0`;
    }
    if (failureLimit < 0 && count < consecutiveSuccessLimit) return 'count must be >= consecutiveSuccessLimit';
    if (count < inconclusiveLimit) return 'count must be >= inconclusiveLimit';
  }
  if (count > 1 && (metric.interval ?? '') === '') return 'interval must be specified when count > 1';
  const providers = providerTypes(metric.provider);
  if (providers.length === 0) return 'no provider specified';
  if (providers.length > 1) return 'multiple providers specified';
  return undefined;
}

/** The first problem of a metric list, prefixed with `metrics[i]: ` as Argo reports it. */
export function validateMetrics(metrics: readonly Metric[]): string | undefined {
  if (metrics.length === 0) return 'no metrics specified';
  const names = new Set<string>();
  for (const [i, metric] of metrics.entries()) {
    if (names.has(metric.name)) return `metrics[${i}]: duplicate name '${metric.name}'`;
    names.add(metric.name);
    const problem = validateMetric(metric);
    if (problem !== undefined) return `metrics[${i}]: ${problem}`;
  }
  return undefined;
}

function compileRule(pattern: string): CompiledRegex | undefined {
  try {
    return compileRegex(pattern);
  } catch {
    return undefined;
  }
}

/**
 * Names of the metrics in dry-run mode. Each rule is an unanchored RE2 pattern over metric
 * names (`.*` = all) and must match at least one metric; throws `dryRun[i]: Rule didn't match
 * any metric name(s)` otherwise (an invalid pattern matches nothing).
 */
export function dryRunMetricNames(rules: readonly DryRun[] | undefined, metrics: readonly Metric[]): Set<string> {
  const names = new Set<string>();
  for (const [i, rule] of (rules ?? []).entries()) {
    const regex = compileRule(rule.metricName);
    let matched = false;
    for (const metric of metrics) {
      if (regex?.test(metric.name)) {
        names.add(metric.name);
        matched = true;
      }
    }
    if (!matched) throw new Error(`dryRun[${i}]: Rule didn't match any metric name(s)`);
  }
  return names;
}

/**
 * How many measurements to keep per metric name, for the metrics a measurementRetention rule
 * matches (the first matching rule wins). Throws like dryRunMetricNames.
 */
export function measurementRetentionLimits(rules: readonly MeasurementRetention[] | undefined, metrics: readonly Metric[]): Map<string, number> {
  const limits = new Map<string, number>();
  for (const [i, rule] of (rules ?? []).entries()) {
    const regex = compileRule(rule.metricName);
    let matched = false;
    for (const metric of metrics) {
      if (regex?.test(metric.name)) {
        if (!limits.has(metric.name)) limits.set(metric.name, rule.limit);
        matched = true;
      }
    }
    if (!matched) throw new Error(`measurementRetention[${i}]: Rule didn't match any metric name(s)`);
  }
  return limits;
}
