// successCondition / failureCondition (and Prometheus range-query times) are expressions in
// Argo's condition language; parse them at admission so a typo is reported with its position,
// not discovered as a measurement Error during a rollout.
import { parseCondition } from '../expr/index.ts';
import { type FieldError, invalidError } from '../api/index.ts';

/**
 * Adds an Invalid error at `path` when `source` does not parse (or fails a check that holds for
 * every result, such as an unknown function). `{{args.NAME}}` placeholders are accepted as
 * operands, since templates are checked before their arguments are known. "" means unset.
 */
export function checkCondition(errors: FieldError[], source: unknown, path: string): void {
  if (typeof source !== 'string' || source.trim() === '') return;
  const parsed = parseCondition(source, { placeholders: true });
  if (parsed.ok) return;
  const { detail, line, column, expected } = parsed.error;
  let message = detail.trimEnd();
  if (line !== undefined && column !== undefined) message += ` at line ${line}, column ${column}`;
  if (expected !== undefined) message += `; expected ${expected}`;
  errors.push(invalidError(path, source, message));
}
