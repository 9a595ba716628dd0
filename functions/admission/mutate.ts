// The mutating webhook's decision for an Argo kind: policy defaults, then Argo's defaults, as an
// RFC 6902 JSON Patch against the object the API server sent.
import fastJsonPatch from 'fast-json-patch';
import type { RolloutPolicy } from '../api/index.ts';
import { formatConflict } from '../policy/index.ts';
import type { Labels } from '../selectors/index.ts';
import { defaultArgoObject, unevaluatedWarning } from './check-object.ts';
import type { AdmissionResponse } from './response.ts';
import type { AdmissionRequest } from './review.ts';
import { requestTarget } from './target.ts';

export interface MutationContext {
  policies: readonly RolloutPolicy[];
  namespaceLabels?: Labels;
}

export type JsonPatchOperation = fastJsonPatch.Operation;

/** The RFC 6902 operations that turn `from` into `to` (both JSON). */
export function jsonPatch(from: unknown, to: unknown): JsonPatchOperation[] {
  return fastJsonPatch.compare(from as object, to as object);
}

export function encodePatch(operations: readonly JsonPatchOperation[]): string {
  return Buffer.from(JSON.stringify(operations), 'utf8').toString('base64');
}

export function mutateArgoRequest(request: AdmissionRequest, context: MutationContext): AdmissionResponse {
  const original = request.object ?? {};
  const target = requestTarget(request, context.namespaceLabels);
  const result = defaultArgoObject(request.kind.kind, original, context.policies, target);
  const operations = jsonPatch(original, result.object);
  const warnings = [
    ...result.conflicts.map(formatConflict),
    ...result.unevaluated.map((what) => unevaluatedWarning(`"${what}"`, request.namespace)),
  ];
  const response: AdmissionResponse = { uid: request.uid, allowed: true, warnings };
  if (operations.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = encodePatch(operations);
  }
  if (result.policyDefaults.length > 0) {
    const applied = result.policyDefaults.map((d) => `${d.path}=${d.policy}`).join(',');
    response.auditAnnotations = { 'policy-defaults': applied.length > 1000 ? `${applied.slice(0, 997)}...` : applied };
  }
  return response;
}
