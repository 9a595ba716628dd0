// dryRun[] and measurementRetention[] entries name metrics by an unanchored Go (RE2) regular
// expression. A pattern must compile and, where the metrics are known, match at least one name.
import { compileRegex, type CompiledRegex } from '../expr/regex/program.ts';
import { type FieldError, invalidError, requiredError } from '../api/index.ts';
import { child, index } from './field-path.ts';
import { checkNonNegative } from './numbers.ts';
import { list, obj, str } from './read.ts';

export type PatternCompile = { ok: true; regex: CompiledRegex } | { ok: false; reason: string };

export function compileMetricNamePattern(pattern: string): PatternCompile {
  try {
    return { ok: true, regex: compileRegex(pattern) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Checks `entries` (a dryRun or measurementRetention list at `path`). With `metricNames` given,
 * each pattern must match one of them; without, only the syntax is checked (the metrics come
 * from templates not known here).
 */
export function validateMetricNamePatterns(
  errors: FieldError[],
  entries: unknown,
  path: string,
  kind: 'dryRun' | 'measurementRetention',
  metricNames?: readonly string[],
): void {
  list(entries).forEach((entry, i) => {
    const e = obj(entry);
    if (e === undefined) return;
    const ePath = index(path, i);
    const namePath = child(ePath, 'metricName');
    const pattern = str(e['metricName']);
    if (kind === 'measurementRetention') checkNonNegative(errors, e['limit'], child(ePath, 'limit'));
    if (pattern === undefined) return;
    if (pattern === '') {
      errors.push(requiredError(namePath, 'a regular expression over metric names, e.g. ".*" for all or "^error-rate$" for one'));
      return;
    }
    const compiled = compileMetricNamePattern(pattern);
    if (!compiled.ok) {
      errors.push(
        invalidError(namePath, pattern, `${compiled.reason}; expected a Go regular expression, e.g. ".*" for every metric (a bare "*" is not one)`),
      );
      return;
    }
    if (metricNames !== undefined && !metricNames.some((name) => compiled.regex.test(name))) {
      const known = metricNames.length === 0 ? 'there are no metrics' : `the metrics are ${metricNames.map((n) => `"${n}"`).join(', ')}`;
      errors.push(invalidError(namePath, pattern, `matches no metric name; ${known}`));
    }
  });
}
