// Exponential backoff with jitter, shared by the HTTP retry loop, the watch reconnect loop and
// the work queue.

export interface BackoffOptions {
  /** Delay before the first retry. */
  baseMs: number;
  /** No delay exceeds this. */
  maxMs: number;
  /** 0 = exact doubling; 0.5 = each delay drawn from [d/2, d]. */
  jitter?: number;
  random?: () => number;
}

/** Delay before retry number `attempt` (1-based): base·2^(attempt-1), capped, with jitter. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const exp = options.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 52));
  const capped = Math.min(options.maxMs, exp);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0));
  if (jitter === 0) return capped;
  const random = options.random ?? Math.random;
  return Math.round(capped * (1 - jitter) + capped * jitter * random());
}
