// Metric rules (reference §5.3): names, limits, measurement count and interval, exactly one
// provider, and conditions that parse.
import { type FieldError, type Metric, duplicateError, invalidError, requiredError } from '../api/index.ts';
import { checkCondition } from './condition-syntax.ts';
import { checkDurationString } from './durations.ts';
import { child, index } from './field-path.ts';
import { PROVIDERS, providersOf, validateProvider } from './metric-providers.ts';
import { hasPlaceholder } from './placeholders.ts';
import { type Obj, isSet, list, nonEmpty, obj, str } from './read.ts';

const LIMIT_FIELDS = ['count', 'failureLimit', 'inconclusiveLimit', 'consecutiveErrorLimit', 'consecutiveSuccessLimit'] as const;
type LimitField = (typeof LIMIT_FIELDS)[number];

/** A limit as far as it can be known before argument substitution. */
type Limit = { known: true; value: number } | { known: false };

/**
 * Every problem of a metric list at `path` (e.g. `spec.metrics`): at least one metric, unique
 * names, and each metric's own rules.
 */
export function validateMetrics(metrics: readonly Metric[] | unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const items = list(metrics);
  if (items.length === 0) {
    errors.push(requiredError(path, 'at least one metric is required'));
    return errors;
  }
  const seen = new Map<string, string>();
  items.forEach((metric, i) => {
    const m = obj(metric);
    if (m === undefined) return;
    const metricPath = index(path, i);
    const name = str(m['name']);
    if (name === '') errors.push(requiredError(child(metricPath, 'name'), 'every metric needs a name'));
    if (name !== undefined && name !== '') {
      const first = seen.get(name);
      if (first !== undefined) errors.push(duplicateError(child(metricPath, 'name'), name, `metric names must be unique; ${first} has the same name`));
      else seen.set(name, metricPath);
    }
    validateMetric(errors, m, metricPath);
  });
  return errors;
}

function validateMetric(errors: FieldError[], metric: Obj, path: string): void {
  const limits = readLimits(errors, metric, path);
  checkLimitRanges(errors, limits, path);
  checkLimitCombinations(errors, limits, path);

  const count = limits.count;
  if (count !== undefined && count.known && count.value > 1 && nonEmpty(metric['interval']) === undefined) {
    errors.push(requiredError(child(path, 'interval'), `count is ${count.value}, so the time between measurements is needed, e.g. "1m"`));
  }
  checkDurationString(errors, metric['interval'], child(path, 'interval'));
  checkDurationString(errors, metric['initialDelay'], child(path, 'initialDelay'));
  checkCondition(errors, metric['successCondition'], child(path, 'successCondition'));
  checkCondition(errors, metric['failureCondition'], child(path, 'failureCondition'));

  const providerPath = child(path, 'provider');
  const provider = obj(metric['provider']);
  if (provider === undefined) return;
  const found = providersOf(provider);
  if (found.length === 0) {
    errors.push(requiredError(providerPath, `set exactly one provider: ${PROVIDERS.join(', ')}`));
  } else if (found.length > 1) {
    errors.push(invalidError(providerPath, provider, `set exactly one provider (found ${found.length}: ${found.join(', ')})`));
  }
  validateProvider(errors, provider, providerPath);
}

function readLimits(errors: FieldError[], metric: Obj, path: string): Partial<Record<LimitField, Limit>> {
  const limits: Partial<Record<LimitField, Limit>> = {};
  for (const field of LIMIT_FIELDS) {
    const value = metric[field];
    if (!isSet(value)) continue;
    if (typeof value === 'number') {
      if (Number.isInteger(value)) limits[field] = { known: true, value };
      continue;
    }
    if (typeof value !== 'string') continue;
    if (hasPlaceholder(value)) {
      limits[field] = { known: false };
    } else if (/^[+-]?[0-9]+$/.test(value)) {
      limits[field] = { known: true, value: Number(value) };
    } else {
      errors.push(invalidError(child(path, field), value, 'must be an integer, a string holding one ("3"), or an {{args.NAME}} placeholder'));
    }
  }
  return limits;
}

function checkLimitRanges(errors: FieldError[], limits: Partial<Record<LimitField, Limit>>, path: string): void {
  for (const field of LIMIT_FIELDS) {
    const limit = limits[field];
    if (limit === undefined || !limit.known) continue;
    if (field === 'failureLimit') {
      if (limit.value < -1) errors.push(invalidError(child(path, field), limit.value, 'must be 0 or more, or -1 to never fail the metric'));
    } else if (limit.value < 0) {
      errors.push(invalidError(child(path, field), limit.value, 'must be greater than or equal to 0'));
    }
  }
}

/** Limits that make a metric unable to reach a verdict, or unable to fail. */
function checkLimitCombinations(errors: FieldError[], limits: Partial<Record<LimitField, Limit>>, path: string): void {
  const value = (field: LimitField, fallback: number): number | undefined => {
    const limit = limits[field];
    if (limit === undefined) return fallback;
    return limit.known ? limit.value : undefined;
  };
  const failureLimit = value('failureLimit', 0);
  const successLimit = value('consecutiveSuccessLimit', 0);
  const inconclusiveLimit = value('inconclusiveLimit', 0);
  const count = value('count', 0);

  if (failureLimit === -1 && successLimit === 0) {
    errors.push(
      invalidError(
        child(path, 'failureLimit'),
        -1,
        'failureLimit -1 turns failing off and consecutiveSuccessLimit is 0 (off), so the metric could never reach a verdict; set consecutiveSuccessLimit above 0 or failureLimit to 0 or more',
      ),
    );
  }
  if (count === undefined || count <= 0) return;
  const countPath = child(path, 'count');
  if (failureLimit !== undefined && successLimit !== undefined && failureLimit >= 0 && successLimit >= 0) {
    if (count < failureLimit + successLimit) {
      errors.push(
        invalidError(
          countPath,
          count,
          `must be at least failureLimit + consecutiveSuccessLimit (${failureLimit} + ${successLimit} = ${failureLimit + successLimit}), or the limits could never be reached`,
        ),
      );
    }
  } else if (failureLimit === -1 && successLimit !== undefined && count < successLimit) {
    errors.push(invalidError(countPath, count, `must be at least consecutiveSuccessLimit (${successLimit}), or the metric could never succeed`));
  }
  if (inconclusiveLimit !== undefined && inconclusiveLimit >= 0 && count < inconclusiveLimit) {
    errors.push(invalidError(countPath, count, `must be at least inconclusiveLimit (${inconclusiveLimit}), or the limit could never be reached`));
  }
}
