// Range rules for integer fields, worded as Kubernetes words them.
import { type FieldError, invalidError } from '../api/index.ts';
import { int } from './read.ts';

/** `must be greater than or equal to 0` for a negative integer; anything else passes. */
export function checkNonNegative(errors: FieldError[], value: unknown, path: string): void {
  const n = int(value);
  if (n !== undefined && n < 0) errors.push(invalidError(path, n, 'must be greater than or equal to 0'));
}

/** `must be between MIN and MAX` for an integer outside the inclusive range. */
export function checkBetween(errors: FieldError[], value: unknown, path: string, min: number, max: number, why = ''): void {
  const n = int(value);
  if (n !== undefined && (n < min || n > max)) {
    errors.push(invalidError(path, n, `must be between ${min} and ${max}${why === '' ? '' : ` ${why}`}`));
  }
}
