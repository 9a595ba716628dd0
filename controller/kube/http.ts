// The HTTP layer under every API call the controller makes: a token from the rate limiter before
// each attempt, retries with backoff while the API server is away or throttling us (honouring
// Retry-After), and keep-alive connection reuse. It plugs into client-node as its `httpApi`, so
// the generated API classes, KubernetesObjectApi and our own request() all go through it.
import { IsomorphicFetchHttpLibrary, type PromiseHttpLibrary, type RequestContext, type ResponseContext } from '@kubernetes/client-node';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { backoffDelay } from './backoff.ts';
import { systemClock, type Clock } from './clock.ts';
import { describeError, parseRetryAfter } from './errors.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { DEFAULT_RETRY, retryableNetworkError, retryableStatus, type RetryPolicy } from './retry-policy.ts';

/** One attempt of one request, reported to an observer (metrics: requests by verb and code). */
export interface RequestAttempt {
  method: string;
  url: string;
  /** HTTP status, or undefined when the request failed before an answer. */
  status: number | undefined;
  error?: unknown;
  attempt: number;
  durationMs: number;
  /** Time spent waiting for a rate-limiter token before this attempt. */
  throttledMs: number;
}

export type RequestObserver = (attempt: RequestAttempt) => void;

export interface ResilientHttpOptions {
  limiter: RateLimiter;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  logger?: Logger;
  observe?: RequestObserver;
  /** The transport; default client-node's fetch-based library. */
  inner?: PromiseHttpLibrary;
  random?: () => number;
  /** Reuse one keep-alive connection pool across requests (default true); see ConnectionReuse. */
  reuseConnections?: boolean;
}

type Dispatcher = ReturnType<RequestContext['getDispatcher']>;

/**
 * client-node 2.0 builds a new undici Agent for every request when the kubeconfig carries TLS
 * settings, so each call pays a TCP+TLS handshake and leaves an idle socket behind. Requests from
 * one KubeConfig all get equivalent dispatchers, so we keep the first one and hand it to later
 * requests. It is replaced every `maxAgeMs` so rotated client credentials (exec plugins) are
 * picked up.
 */
export class ConnectionReuse {
  #shared: Dispatcher;
  #since = 0;
  readonly #maxAgeMs: number;
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock, maxAgeMs = 5 * 60_000) {
    this.#clock = clock;
    this.#maxAgeMs = maxAgeMs;
  }

  apply(request: RequestContext): void {
    const fresh = request.getDispatcher();
    if (fresh === undefined) return;
    const now = this.#clock.now();
    if (this.#shared === undefined || now - this.#since >= this.#maxAgeMs) {
      this.#shared = fresh;
      this.#since = now;
      return;
    }
    request.setDispatcher(this.#shared!);
  }
}

const fetchLibrary: PromiseHttpLibrary = {
  send: (request) => new IsomorphicFetchHttpLibrary().send(request).toPromise(),
};

export class ResilientHttpLibrary implements PromiseHttpLibrary {
  readonly #limiter: RateLimiter;
  readonly #retry: RetryPolicy;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #observe: RequestObserver | undefined;
  readonly #inner: PromiseHttpLibrary;
  readonly #random: () => number;
  readonly #reuse: ConnectionReuse | undefined;

  constructor(options: ResilientHttpOptions) {
    this.#limiter = options.limiter;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#observe = options.observe;
    this.#inner = options.inner ?? fetchLibrary;
    this.#random = options.random ?? Math.random;
    this.#reuse = options.reuseConnections === false ? undefined : new ConnectionReuse(this.#clock);
  }

  get retryPolicy(): RetryPolicy {
    return this.#retry;
  }

  async send(request: RequestContext): Promise<ResponseContext> {
    const method = String(request.getHttpMethod()).toUpperCase();
    const url = request.getUrl();
    const signal = request.getSignal();
    const started = this.#clock.now();
    for (let attempt = 1; ; attempt++) {
      const waitStart = this.#clock.now();
      await this.#limiter.acquire(signal);
      const sentAt = this.#clock.now();
      this.#reuse?.apply(request);
      let response: ResponseContext | undefined;
      let error: unknown;
      try {
        response = await this.#inner.send(request);
      } catch (e) {
        error = e;
      }
      this.#observe?.({
        method,
        url,
        status: response?.httpStatusCode,
        error,
        attempt,
        durationMs: this.#clock.now() - sentAt,
        throttledMs: sentAt - waitStart,
      });

      let delay: number;
      if (response) {
        if (!retryableStatus(method, response.httpStatusCode)) return response;
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.#clock.now());
        delay =
          retryAfter !== undefined
            ? Math.min(retryAfter, this.#retry.maxRetryAfterMs)
            : backoffDelay(attempt, { baseMs: this.#retry.baseDelayMs, maxMs: this.#retry.maxDelayMs, jitter: 0.5, random: this.#random });
      } else {
        if (signal?.aborted || !retryableNetworkError(method, error)) throw error;
        delay = backoffDelay(attempt, { baseMs: this.#retry.baseDelayMs, maxMs: this.#retry.maxDelayMs, jitter: 0.5, random: this.#random });
      }

      const elapsed = this.#clock.now() - started;
      if (attempt >= this.#retry.maxAttempts || elapsed + delay > this.#retry.maxElapsedMs) {
        if (response) return response;
        throw error;
      }
      if (response) {
        // Release the connection before waiting.
        await response.body.text().catch(() => undefined);
      }
      this.#logger.debug('retrying API request', {
        method,
        path: safePath(url),
        attempt,
        delayMs: delay,
        cause: response ? `HTTP ${response.httpStatusCode}` : describeError(error),
      });
      await this.#clock.sleep(delay, signal);
    }
  }
}

/** The path of a URL without its query (which may hold selectors but never credentials). */
function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}
