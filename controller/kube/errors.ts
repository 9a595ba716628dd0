// Reading Kubernetes API failures, whichever client raised them: our own request() (KubeApiError),
// client-node's generated APIs (ApiException: `code`, `body`, `headers`), its Watch (`statusCode`),
// or the network (fetch's TypeError with a `cause` carrying an errno code).

/** The `Status` object the API server returns with a failure. */
export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; retryAfterSeconds?: number; causes?: Array<{ field?: string; message?: string; reason?: string }> };
}

/** A non-2xx answer from the API server to a request made through KubeClient.request(). */
export class KubeApiError extends Error {
  readonly statusCode: number;
  readonly reason: string | undefined;
  readonly status: ApiStatus | undefined;
  readonly retryAfterMs: number | undefined;
  readonly method: string;
  readonly path: string;

  constructor(init: { statusCode: number; method: string; path: string; status?: ApiStatus; retryAfterMs?: number; text?: string }) {
    const detail = init.status?.message ?? init.text?.slice(0, 300) ?? '';
    super(`${init.method} ${init.path}: ${init.statusCode}${init.status?.reason ? ` ${init.status.reason}` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'KubeApiError';
    this.statusCode = init.statusCode;
    this.reason = init.status?.reason;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method;
    this.path = init.path;
  }
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
}

/** The HTTP status of a failed API call, if it got that far. */
export function statusCodeOf(err: unknown): number | undefined {
  const e = asRecord(err);
  if (!e) return undefined;
  if (typeof e['statusCode'] === 'number') return e['statusCode'];
  // client-node ApiException uses `code` for the HTTP status; errno codes are strings.
  if (typeof e['code'] === 'number' && e['code'] >= 100 && e['code'] < 600) return e['code'];
  return undefined;
}

/** The API server's Status for a failed call, when the body carried one. */
export function apiStatusOf(err: unknown): ApiStatus | undefined {
  const e = asRecord(err);
  if (!e) return undefined;
  if (err instanceof KubeApiError) return err.status;
  let body = e['body'];
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const status = asRecord(body);
  return status && (status['kind'] === 'Status' || 'reason' in status) ? (status as ApiStatus) : undefined;
}

export function reasonOf(err: unknown): string | undefined {
  return apiStatusOf(err)?.reason;
}

export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;
export const isGone = (err: unknown): boolean => statusCodeOf(err) === 410;
export const isTooManyRequests = (err: unknown): boolean => statusCodeOf(err) === 429;
export const isAlreadyExists = (err: unknown): boolean => statusCodeOf(err) === 409 && reasonOf(err) === 'AlreadyExists';
/** A 409 caused by a stale resourceVersion (not AlreadyExists): re-read and try again. */
export const isConflict = (err: unknown): boolean => statusCodeOf(err) === 409 && reasonOf(err) !== 'AlreadyExists';
export const isForbidden = (err: unknown): boolean => statusCodeOf(err) === 403;
export const isInvalid = (err: unknown): boolean => statusCodeOf(err) === 422;

/** Errno-style codes meaning the request never reached the server: safe to retry any verb. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT']);
/** Codes meaning the connection broke; the server may or may not have acted on the request. */
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/** The errno-style code of a network failure, looking through fetch's `cause` chain. */
export function networkCodeOf(err: unknown): string | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur; i++) {
    const e = asRecord(cur);
    if (!e) return undefined;
    if (typeof e['code'] === 'string') return e['code'];
    const errors = e['errors'];
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = networkCodeOf(errors[0]);
      if (inner) return inner;
    }
    cur = e['cause'];
  }
  return undefined;
}

export type NetworkFailure = 'not-sent' | 'broken' | undefined;

export function networkFailureOf(err: unknown): NetworkFailure {
  const code = networkCodeOf(err);
  if (code && NOT_SENT.has(code)) return 'not-sent';
  if (code && BROKEN.has(code)) return 'broken';
  return undefined;
}

/** Parses a Retry-After header (delta-seconds or HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined | null, now: number): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** One line saying what failed, without response headers or bodies: for logs and conditions. */
export function describeError(err: unknown): string {
  if (err instanceof KubeApiError) return err.message;
  const code = statusCodeOf(err);
  if (code !== undefined) {
    const status = apiStatusOf(err);
    return `API server returned ${code}${status?.reason ? ` ${status.reason}` : ''}${status?.message ? `: ${status.message}` : ''}`;
  }
  const net = networkCodeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return net && !message.includes(net) ? `${message} (${net})` : message;
}
