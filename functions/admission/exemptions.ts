// Requests Ramp admits without looking: they are what the controller, Argo CD actions and the
// CLI write (reference §13, §15.2), and blocking them would stall rollouts or strand objects.
import { isJsonObject, jsonEqual, type JsonObject } from '../defaults/json.ts';
import type { AdmissionRequest } from './review.ts';

/**
 * Spec fields whose change is an action, not a new desired state: pause/resume (`spec.paused`),
 * restart (`spec.restartAt`), the controller's `spec.replicas: 1` write (scaling through /scale
 * never reaches a webhook either), and terminating a run or an experiment (`spec.terminate`).
 */
export const OPERATIONAL_SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Rollout: ['paused', 'restartAt', 'replicas'],
  AnalysisRun: ['terminate'],
  Experiment: ['terminate'],
};

/** Why the request is admitted unchecked, or undefined when it must be checked. */
export function exemption(request: AdmissionRequest): string | undefined {
  if (request.operation === 'DELETE' || request.operation === 'CONNECT') return `${request.operation} is never refused`;
  if (request.subResource !== undefined) return `writes to the ${request.subResource} subresource are never refused`;
  if (request.operation !== 'UPDATE') return undefined;
  const metadata = request.object?.['metadata'];
  if (isJsonObject(metadata) && typeof metadata['deletionTimestamp'] === 'string') return 'an object being deleted is never refused (finalizers must be removable)';
  const operational = OPERATIONAL_SPEC_FIELDS[request.kind.kind] ?? [];
  if (jsonEqual(specWithout(request.oldObject, operational), specWithout(request.object, operational))) {
    return 'an update that leaves the spec as it was (a status or metadata write, or an action such as pause, resume, restart or terminate) is never refused';
  }
  return undefined;
}

function specWithout(object: JsonObject | undefined, fields: readonly string[]): unknown {
  const spec = object?.['spec'];
  if (!isJsonObject(spec)) return spec ?? null;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(spec)) if (!fields.includes(key) && value !== null && value !== undefined) copy[key] = value;
  return copy;
}
