// AdmissionReview out, and the HTTP answer around it: 200 with a response for a well-formed
// review, 400 with a Status for a malformed one.
import type { FieldError } from '../api/index.ts';
import { ADMISSION_API_VERSION } from './review.ts';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface AdmissionStatus {
  code: number;
  reason: string;
  message: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export interface StatusBody {
  apiVersion: 'v1';
  kind: 'Status';
  status: 'Failure';
  code: number;
  reason: string;
  message: string;
}

export type AdmissionOutcome = 'allowed' | 'denied' | 'patched' | 'bad-request';

/** Everything the HTTP layer needs: a status code and a JSON body, plus a label for metrics. */
export interface AdmissionAnswer {
  httpStatus: number;
  body: AdmissionReviewResponse | StatusBody;
  outcome: AdmissionOutcome;
}

/** Kubernetes accepts any number of warnings; a page of them is plenty for a person. */
export const MAX_WARNINGS = 25;
const MAX_WARNING_LENGTH = 1000;

export function reviewAnswer(response: AdmissionResponse): AdmissionAnswer {
  const outcome: AdmissionOutcome = !response.allowed ? 'denied' : response.patch !== undefined ? 'patched' : 'allowed';
  const warnings = response.warnings === undefined ? undefined : capWarnings(response.warnings);
  const cleaned: AdmissionResponse = { ...response };
  if (warnings === undefined || warnings.length === 0) delete cleaned.warnings;
  else cleaned.warnings = warnings;
  return { httpStatus: 200, body: { apiVersion: ADMISSION_API_VERSION, kind: 'AdmissionReview', response: cleaned }, outcome };
}

export function badRequest(message: string): AdmissionAnswer {
  return {
    httpStatus: 400,
    body: { apiVersion: 'v1', kind: 'Status', status: 'Failure', code: 400, reason: 'BadRequest', message },
    outcome: 'bad-request',
  };
}

function capWarnings(warnings: readonly string[]): string[] {
  const unique = [...new Set(warnings)].map((w) => (w.length > MAX_WARNING_LENGTH ? `${w.slice(0, MAX_WARNING_LENGTH - 3)}...` : w));
  if (unique.length <= MAX_WARNINGS) return unique;
  return [...unique.slice(0, MAX_WARNINGS - 1), `... and ${unique.length - (MAX_WARNINGS - 1)} more warnings (run ramp lint for the full list)`];
}

const CAUSE_REASON: Record<FieldError['type'], string> = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  Forbidden: 'FieldValueForbidden',
  Duplicate: 'FieldValueDuplicate',
  NotSupported: 'FieldValueNotSupported',
};

/**
 * A Status cause in Kubernetes' convention: the path in `field`, the rest in `message` (kubectl
 * prints `* field: message` for each cause of an Invalid status).
 */
export function causeOf(error: FieldError, formatted: string): StatusCause {
  const prefix = `${error.path}: `;
  const message = formatted.startsWith(prefix) ? formatted.slice(prefix.length) : formatted;
  return { reason: CAUSE_REASON[error.type], message, field: error.path };
}
