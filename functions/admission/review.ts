// AdmissionReview (admission.k8s.io/v1) in: parsed and checked before anything is decided, so a
// malformed request gets a clear 400 instead of a guess.
import { isJsonObject, type JsonObject } from '../defaults/json.ts';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  operation: Operation;
  name?: string;
  namespace?: string;
  subResource?: string;
  /** The object as it would be stored (CREATE, UPDATE); absent for DELETE and CONNECT. */
  object?: JsonObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: JsonObject;
  dryRun: boolean;
}

export type ParsedReview = { ok: true; request: AdmissionRequest } | { ok: false; problems: string[]; uid?: string };

/** `apps/v1, Kind=Deployment`, as Kubernetes prints a GVK. */
export function formatGvk(gvk: GroupVersionKind): string {
  return `${gvk.group === '' ? '' : `${gvk.group}/`}${gvk.version}, Kind=${gvk.kind}`;
}

export function parseAdmissionReview(body: unknown): ParsedReview {
  if (!isJsonObject(body)) {
    return { ok: false, problems: [`the body must be a JSON object (an ${ADMISSION_API_VERSION} AdmissionReview), got ${describe(body)}`] };
  }
  const problems: string[] = [];
  if (body['apiVersion'] !== ADMISSION_API_VERSION) {
    problems.push(
      `apiVersion: Unsupported value: ${JSON.stringify(body['apiVersion'] ?? null)}: supported values: "${ADMISSION_API_VERSION}" (register the webhook with admissionReviewVersions: ["v1"])`,
    );
  }
  if (body['kind'] !== 'AdmissionReview') problems.push(`kind: Unsupported value: ${JSON.stringify(body['kind'] ?? null)}: supported values: "AdmissionReview"`);
  const request = body['request'];
  if (!isJsonObject(request)) {
    problems.push('request: Required value: an AdmissionReview sent to a webhook carries a request');
    return { ok: false, problems };
  }
  const uid = request['uid'];
  if (typeof uid !== 'string' || uid === '') problems.push('request.uid: Required value: a non-empty string, echoed in the response');
  const kind = request['kind'];
  const gvk = isJsonObject(kind) && typeof kind['version'] === 'string' && typeof kind['kind'] === 'string' && kind['kind'] !== '' ? kind : undefined;
  if (gvk === undefined) problems.push('request.kind: Required value: {group, version, kind} of the object');
  const operation = request['operation'];
  if (!(OPERATIONS as readonly unknown[]).includes(operation)) {
    problems.push(`request.operation: Unsupported value: ${JSON.stringify(operation ?? null)}: supported values: ${OPERATIONS.map((o) => `"${o}"`).join(', ')}`);
  }
  const object = request['object'];
  const oldObject = request['oldObject'];
  if ((operation === 'CREATE' || operation === 'UPDATE') && !isJsonObject(object)) {
    problems.push(`request.object: Required value: ${String(operation)} carries the object as a JSON object`);
  }
  if (operation === 'UPDATE' && !isJsonObject(oldObject)) problems.push('request.oldObject: Required value: UPDATE carries the stored object');
  for (const field of ['name', 'namespace', 'subResource'] as const) {
    const value = request[field];
    if (value !== undefined && value !== null && typeof value !== 'string') problems.push(`request.${field}: Invalid value: ${describe(value)}: must be a string`);
  }
  if (request['dryRun'] !== undefined && request['dryRun'] !== null && typeof request['dryRun'] !== 'boolean') {
    problems.push(`request.dryRun: Invalid value: ${describe(request['dryRun'])}: must be a boolean`);
  }
  if (problems.length > 0) return { ok: false, problems, ...(typeof uid === 'string' && uid !== '' ? { uid } : {}) };

  const parsed: AdmissionRequest = {
    uid: uid as string,
    kind: { group: typeof gvk!['group'] === 'string' ? gvk!['group'] : '', version: gvk!['version'] as string, kind: gvk!['kind'] as string },
    operation: operation as Operation,
    dryRun: request['dryRun'] === true,
  };
  for (const field of ['name', 'namespace', 'subResource'] as const) {
    const value = request[field];
    if (typeof value === 'string' && value !== '') parsed[field] = value;
  }
  if (isJsonObject(object)) parsed.object = object;
  if (isJsonObject(oldObject)) parsed.oldObject = oldObject;
  return { ok: true, request: parsed };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${typeof value} ${text.slice(0, 57)}...` : `${typeof value} ${text}`;
}

/** The request's namespace, read without validating anything else (for the webhook's label lookup). */
export function requestNamespace(body: unknown): string | undefined {
  const request = isJsonObject(body) ? body['request'] : undefined;
  const namespace = isJsonObject(request) ? request['namespace'] : undefined;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}
