// When a failed API request is tried again. The rule: retry when the API server is away or asked
// us to slow down, and never repeat a write that the server may already have applied unless
// repeating it is harmless (PUT carries a resourceVersion, DELETE of a gone object is a 404).
import { networkFailureOf } from './errors.ts';

export interface RetryPolicy {
  /** Attempts in total, the first included. 1 = no retries. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up once this much time has passed since the first attempt. */
  maxElapsedMs: number;
  /** Upper bound on a server's Retry-After that we honour. */
  maxRetryAfterMs: number;
}

/**
 * About 30 s of patience: long enough to ride out an API server restart or a leader change in
 * etcd, short enough that a reconcile gives its worker back and the queue's own per-key backoff
 * takes over.
 */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxElapsedMs: 30_000,
  maxRetryAfterMs: 60_000,
};

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** Whether a response status deserves another attempt. */
export function retryableStatus(method: string, status: number): boolean {
  if (status === 429 || status === 503) return true; // rejected before processing (APF, overload)
  if (status === 500 || status === 502 || status === 504) return isIdempotent(method);
  return false;
}

/** Whether a thrown network error deserves another attempt. */
export function retryableNetworkError(method: string, err: unknown): boolean {
  const failure = networkFailureOf(err);
  if (failure === 'not-sent') return true;
  if (failure === 'broken') return isIdempotent(method);
  // fetch() reports some socket failures only as "fetch failed" / "terminated" without a code.
  if (err instanceof TypeError && /fetch failed|terminated/i.test(err.message)) return isIdempotent(method);
  return false;
}
