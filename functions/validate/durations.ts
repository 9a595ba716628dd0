// Go duration strings (`interval`, `initialDelay`, experiment `duration`, …).
import { type FieldError, invalidError } from '../api/index.ts';
import { Duration } from '../values/duration.ts';
import { ValueParseError } from '../values/value-parse-error.ts';
import { hasPlaceholder } from './placeholders.ts';

/**
 * A Go duration string that must parse and must not be negative. Unset, "" (Go's omitempty)
 * and values holding an `{{args.NAME}}` placeholder (known only once arguments are substituted)
 * pass.
 */
export function checkDurationString(errors: FieldError[], value: unknown, path: string): void {
  if (typeof value !== 'string' || value === '' || hasPlaceholder(value)) return;
  try {
    const duration = Duration.parseDurationString(value);
    if (duration.isNegative()) errors.push(invalidError(path, value, 'must not be negative'));
  } catch (e) {
    if (!(e instanceof ValueParseError)) throw e;
    errors.push(invalidError(path, value, e.detail));
  }
}
