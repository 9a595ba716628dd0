// Service names a Rollout refers to (active/preview, stable/canary, ping/pong, root services).
import { type FieldError, invalidError } from '../api/index.ts';
import { serviceNameProblem } from './kubernetes-names.ts';

/** A non-empty service name that no Service could ever have is an error: it would never be found. */
export function checkServiceName(errors: FieldError[], name: unknown, path: string): void {
  if (typeof name !== 'string' || name === '') return;
  const problem = serviceNameProblem(name);
  if (problem !== undefined) errors.push(invalidError(path, name, problem));
}
