// Token bucket in front of every API request: `qps` tokens a second refill a bucket of `burst`.
// Callers reserve a token in arrival order and wait until it is theirs, so waiting is FIFO-fair
// and the long-run rate never exceeds qps. qps <= 0 disables client-side limiting (the API
// server's Priority and Fairness then does the throttling, as controller-runtime chooses).
import { systemClock, type Clock } from './clock.ts';

export interface RateLimiterOptions {
  qps: number;
  burst: number;
  clock?: Clock;
}

export interface RateLimiter {
  /** Takes a token now if one is available. */
  tryAcquire(): boolean;
  /** Waits for a token; rejects (and returns the token) if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
}

export class TokenBucket implements RateLimiter {
  readonly qps: number;
  readonly burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(options: RateLimiterOptions) {
    if (!Number.isFinite(options.qps)) throw new Error(`qps must be a finite number, got ${options.qps}`);
    if (!Number.isFinite(options.burst)) throw new Error(`burst must be a finite number, got ${options.burst}`);
    this.qps = options.qps;
    this.burst = Math.max(1, Math.floor(options.burst));
    this.#clock = options.clock ?? systemClock;
    this.#tokens = this.burst;
    this.#last = this.#clock.now();
  }

  get unlimited(): boolean {
    return this.qps <= 0;
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#last);
    this.#last = now;
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.qps) / 1000);
  }

  /** Tokens available right now (may be negative while callers wait for reserved tokens). */
  available(): number {
    if (this.unlimited) return Infinity;
    this.#refill();
    return this.#tokens;
  }

  tryAcquire(): boolean {
    if (this.unlimited) return true;
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Reserves a token and says how long to wait before using it. */
  reserve(): number {
    if (this.unlimited) return 0;
    this.#refill();
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens * 1000) / this.qps);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const wait = this.reserve();
    if (wait <= 0) return;
    try {
      await this.#clock.sleep(wait, signal);
    } catch (error) {
      if (!this.unlimited) this.#tokens += 1;
      throw error;
    }
  }
}
