// The work queue between "something changed" and "reconcile it". Keys are "namespace/name".
// - add() dedupes: a key waiting to run is queued once;
// - a key never runs on two workers at once; one added while it runs is run once more after;
// - `workers` keys run concurrently;
// - a failed run is retried after a per-key exponential backoff (capped); success resets it;
// - wakeAt()/addAfter() schedule a run at a time, keeping only the earliest wake-up per key;
// - shutdown() stops taking work and waits for what is running (optionally what is queued).
// Reconcilers return { requeueAfterMs } or { requeueAt } and the queue schedules the wake-up.
import { backoffDelay } from '../kube/backoff.ts';
import { systemClock, type Clock, type Timer } from '../kube/clock.ts';
import type { Logger } from '../log/logger.ts';
import { keyFields, silentLogger } from '../log/logger.ts';

export interface ReconcileResult {
  /** Run this key again after this many milliseconds. */
  requeueAfterMs?: number;
  /** Run this key again at this time. The earlier of the two wins if both are set. */
  requeueAt?: Date;
}

export interface HandlerContext {
  /** Aborted when shutdown's timeout runs out: finish or bail out quickly. */
  signal: AbortSignal;
  /** Consecutive failures of this key before this run (0 after a success). */
  failures: number;
}

export type ReconcileHandler = (key: string, ctx: HandlerContext) => Promise<ReconcileResult | void> | ReconcileResult | void;

export interface ProcessedInfo {
  key: string;
  durationMs: number;
  error?: unknown;
  result?: ReconcileResult;
}

export interface WorkQueueOptions {
  handler: ReconcileHandler;
  /** Keys processed concurrently (Argo: --rollout-threads 10, --analysis-threads 30). */
  workers?: number;
  /** Retry delay after a failure: base·2^(failures-1), capped at maxMs. Default 1 s … 5 min. */
  backoff?: { baseMs?: number; maxMs?: number; jitter?: number };
  /** Schedule a retry after a failure (default true). runOnce turns this off. */
  retryOnError?: boolean;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
  /** Called after every run, for metrics (reconcile duration, errors). */
  onProcessed?: (info: ProcessedInfo) => void;
}

export interface AddOptions {
  /**
   * Skip the key if it is waiting out a failure backoff. The periodic resync sets this so a
   * persistently failing object is retried on the backoff schedule, not on every resync; watch
   * events do not, because a change may be the fix.
   */
  respectBackoff?: boolean;
}

export interface ShutdownOptions {
  /** Also run the keys that are queued and ready (not the delayed ones). Default false. */
  processQueued?: boolean;
  /** Stop waiting after this long, abort handlers' signals, and report what was still running. */
  timeoutMs?: number;
}

export interface QueueStats {
  ready: number;
  inFlight: number;
  delayed: number;
  failing: number;
}

interface IdleWaiter {
  includeDelayed: boolean;
  resolve: () => void;
}

interface Delayed {
  at: number;
  timer: Timer;
  retry: boolean;
}

/** FIFO with O(1) push/shift. */
class Fifo {
  #items: string[] = [];
  #head = 0;
  push(key: string): void {
    this.#items.push(key);
  }
  shift(): string | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const key = this.#items[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return key;
  }
  get length(): number {
    return this.#items.length - this.#head;
  }
  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

export class WorkQueue {
  readonly workers: number;
  readonly #handler: ReconcileHandler;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #backoff: { baseMs: number; maxMs: number; jitter: number; random?: () => number };
  readonly #retryOnError: boolean;
  readonly #onProcessed: ((info: ProcessedInfo) => void) | undefined;
  readonly #ready = new Fifo();
  readonly #queued = new Set<string>();
  readonly #inFlight = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #delayed = new Map<string, Delayed>();
  readonly #failures = new Map<string, number>();
  readonly #abort = new AbortController();
  #shuttingDown = false;
  #idleWaiters: IdleWaiter[] = [];

  constructor(options: WorkQueueOptions) {
    this.#handler = options.handler;
    this.workers = Math.max(1, Math.floor(options.workers ?? 10));
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? silentLogger).child({ component: 'queue' });
    this.#backoff = {
      baseMs: options.backoff?.baseMs ?? 1_000,
      maxMs: options.backoff?.maxMs ?? 300_000,
      jitter: options.backoff?.jitter ?? 0,
      ...(options.random ? { random: options.random } : {}),
    };
    this.#retryOnError = options.retryOnError ?? true;
    this.#onProcessed = options.onProcessed;
  }

  /** Queues `key` to run as soon as a worker is free. */
  add(key: string, options: AddOptions = {}): void {
    if (this.#shuttingDown) return;
    if (options.respectBackoff && this.isBackingOff(key)) return;
    if (this.#inFlight.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#ready.push(key);
    this.#pump();
  }

  /** Runs `key` at `at`, unless an earlier wake-up for it is already pending. */
  wakeAt(key: string, at: Date | number): void {
    this.#schedule(key, typeof at === 'number' ? at : at.getTime(), false);
  }

  /** Runs `key` after `ms`, unless an earlier wake-up for it is already pending. */
  addAfter(key: string, ms: number): void {
    this.#schedule(key, this.#clock.now() + Math.max(0, ms), false);
  }

  /** Forgets a key's failures and pending wake-ups (call when its object is deleted). */
  forget(key: string): void {
    this.#failures.delete(key);
    const pending = this.#delayed.get(key);
    pending?.timer.cancel();
    this.#delayed.delete(key);
    this.#notifyIdle();
  }

  /** Whether the key has failed and is waiting for its retry. */
  isBackingOff(key: string): boolean {
    return (this.#failures.get(key) ?? 0) > 0 && this.#delayed.get(key)?.retry === true;
  }

  /** When the key's next scheduled wake-up is, if any. */
  pendingWakeUp(key: string): Date | undefined {
    const d = this.#delayed.get(key);
    return d ? new Date(d.at) : undefined;
  }

  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  stats(): QueueStats {
    return { ready: this.#ready.length, inFlight: this.#inFlight.size, delayed: this.#delayed.size, failing: this.#failures.size };
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /**
   * Resolves when nothing is queued or running; with `includeDelayed`, also when no wake-up
   * is pending.
   */
  idle(includeDelayed = false): Promise<void> {
    if (this.#isIdle(includeDelayed)) return Promise.resolve();
    return new Promise<void>((resolve) => this.#idleWaiters.push({ includeDelayed, resolve }));
  }

  /** Stops accepting work, cancels wake-ups, and resolves when running handlers have returned. */
  async shutdown(options: ShutdownOptions = {}): Promise<{ abandoned: string[] }> {
    this.#shuttingDown = true;
    for (const d of this.#delayed.values()) d.timer.cancel();
    this.#delayed.clear();
    this.#dirty.clear();
    if (!options.processQueued) {
      this.#ready.clear();
      this.#queued.clear();
    }
    this.#notifyIdle();
    const done = this.idle(true);
    if (options.timeoutMs === undefined) {
      await done;
      return { abandoned: [] };
    }
    let timer: Timer | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = this.#clock.setTimer(options.timeoutMs!, () => resolve('timeout'));
    });
    const outcome = await Promise.race([done.then(() => 'done' as const), timedOut]);
    timer?.cancel();
    if (outcome === 'done') return { abandoned: [] };
    const abandoned = [...this.#inFlight];
    this.#log.warn('shutdown timed out; abandoning running reconciles', { abandoned });
    this.#abort.abort(new Error('work queue shut down'));
    this.#ready.clear();
    this.#queued.clear();
    return { abandoned };
  }

  // ---- internals -----------------------------------------------------------------------------

  #schedule(key: string, at: number, retry: boolean): void {
    if (this.#shuttingDown) return;
    const existing = this.#delayed.get(key);
    if (existing && existing.at <= at) return;
    existing?.timer.cancel();
    const delay = at - this.#clock.now();
    if (delay <= 0) {
      this.#delayed.delete(key);
      this.add(key);
      return;
    }
    const timer = this.#clock.setTimer(delay, () => {
      if (this.#delayed.get(key)?.timer !== timer) return;
      this.#delayed.delete(key);
      this.add(key);
      this.#notifyIdle();
    });
    this.#delayed.set(key, { at, timer, retry });
  }

  #pump(): void {
    while (this.#inFlight.size < this.workers && this.#ready.length > 0) {
      const key = this.#ready.shift()!;
      this.#queued.delete(key);
      this.#inFlight.add(key);
      void this.#process(key);
    }
  }

  async #process(key: string): Promise<void> {
    const start = this.#clock.now();
    const failures = this.#failures.get(key) ?? 0;
    let result: ReconcileResult | undefined;
    let error: unknown;
    let failed = false;
    try {
      result = (await this.#handler(key, { signal: this.#abort.signal, failures })) ?? undefined;
    } catch (e) {
      failed = true;
      error = e;
    }
    const durationMs = this.#clock.now() - start;
    if (failed) {
      const count = failures + 1;
      this.#failures.set(key, count);
      if (this.#retryOnError) {
        const delay = backoffDelay(count, this.#backoff);
        this.#log.warn('reconcile failed; will retry', { ...keyFields(key), key, failures: count, retryInMs: delay, error });
        this.#schedule(key, this.#clock.now() + delay, true);
      } else {
        this.#log.warn('reconcile failed', { ...keyFields(key), key, error });
      }
    } else {
      this.#failures.delete(key);
      const pending = this.#delayed.get(key);
      if (pending?.retry) {
        pending.timer.cancel();
        this.#delayed.delete(key);
      }
      const at = requeueTime(result, this.#clock.now());
      if (at !== undefined) this.#schedule(key, at, false);
    }
    this.#inFlight.delete(key);
    try {
      this.#onProcessed?.({ key, durationMs, ...(failed ? { error } : {}), ...(result ? { result } : {}) });
    } catch {
      // metrics must not break the queue
    }
    if (this.#dirty.delete(key)) this.add(key);
    this.#pump();
    this.#notifyIdle();
  }

  #isIdle(includeDelayed: boolean): boolean {
    return this.#ready.length === 0 && this.#inFlight.size === 0 && (!includeDelayed || this.#delayed.size === 0);
  }

  #notifyIdle(): void {
    if (this.#idleWaiters.length === 0) return;
    const still: IdleWaiter[] = [];
    for (const w of this.#idleWaiters) {
      if (this.#isIdle(w.includeDelayed)) w.resolve();
      else still.push(w);
    }
    this.#idleWaiters = still;
  }
}

/** The absolute time a result asks to be woken at (earliest of requeueAt and now+requeueAfterMs). */
export function requeueTime(result: ReconcileResult | undefined, now: number): number | undefined {
  if (!result) return undefined;
  const candidates: number[] = [];
  if (result.requeueAfterMs !== undefined && Number.isFinite(result.requeueAfterMs)) candidates.push(now + Math.max(0, result.requeueAfterMs));
  if (result.requeueAt !== undefined && !Number.isNaN(result.requeueAt.getTime())) candidates.push(result.requeueAt.getTime());
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}
