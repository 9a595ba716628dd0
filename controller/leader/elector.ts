// Leader election on a Lease: one replica does the work, the others wait to take over.
//
//   following ──(lease free, expired, or ours)──▶ leading ──(no renewal within renewDeadline,
//       ▲                                            │       or someone else holds it)──▶ lost
//       └──────────── retry every retryPeriod ───────┘       (shutdown signal)──────────▶ stopped
//
// Expiry is judged on our own clock: a lease counts as expired when its record has not changed
// for leaseDuration since *we* last saw it change, so clock skew between nodes does not matter.
// Every write carries the resourceVersion it read, so two candidates can never both succeed.
//
// Order on the way out matters: the leadership signal is aborted, onStoppedLeading is awaited
// (stop the queue, let in-flight reconciles finish), and only then is the lease released, so the
// next leader never overlaps with our last writes.
import { systemClock, type Clock } from '../kube/clock.ts';
import { describeError } from '../kube/errors.ts';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { DEFAULT_LEASE_DURATION_MS, DEFAULT_RENEW_DEADLINE_MS, DEFAULT_RETRY_PERIOD_MS, validateTimings } from './config.ts';
import { microTime, type LeaseRecord, type LeaseStore, type StoredLease } from './lease-store.ts';

export interface LeaderElectorOptions {
  store: LeaseStore;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Release the lease on a graceful stop so a follower takes over at once (default true). */
  releaseOnCancel?: boolean;
  /** Start the work. `signal` aborts when leadership ends. Not awaited by the election loop. */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Stop the work; awaited before the lease is released. */
  onStoppedLeading?: () => void | Promise<void>;
  /** Called when the observed holder changes (including to ourselves). */
  onNewLeader?: (identity: string) => void;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
}

export type ElectionOutcome = 'stopped' | 'lost';
type Attempt = 'acquired' | 'held-by-other' | 'failed';

export class LeaderElector {
  readonly identity: string;
  readonly #o: LeaderElectorOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #leaseMs: number;
  readonly #renewMs: number;
  readonly #retryMs: number;
  #observed: StoredLease | undefined;
  #observedAt = 0;
  #leading = false;
  #leader: string | undefined;
  #running = false;

  constructor(options: LeaderElectorOptions) {
    this.#o = options;
    this.identity = options.identity;
    this.#leaseMs = options.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.#renewMs = options.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.#retryMs = options.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    validateTimings({ leaseDurationMs: this.#leaseMs, renewDeadlineMs: this.#renewMs, retryPeriodMs: this.#retryMs });
    if (!options.identity) throw new Error('leader election needs a non-empty identity');
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? silentLogger).child({ component: 'leader-election', lease: options.store.description, identity: options.identity });
  }

  isLeader(): boolean {
    return this.#leading;
  }

  /** The holder we last observed, if any. */
  leader(): string | undefined {
    return this.#leader;
  }

  /**
   * Campaigns until elected, leads until leadership is lost or `signal` aborts, then resolves:
   * 'lost' (exit the process, as client-go's RunOrDie callers do) or 'stopped'.
   */
  async run(signal: AbortSignal): Promise<ElectionOutcome> {
    if (this.#running) throw new Error('LeaderElector.run is already running');
    this.#running = true;
    try {
      if (!(await this.#acquire(signal))) return 'stopped';
      return await this.#lead(signal);
    } finally {
      this.#running = false;
    }
  }

  async #acquire(signal: AbortSignal): Promise<boolean> {
    this.#log.info('waiting to become leader');
    while (!signal.aborted) {
      if ((await this.#tryAcquireOrRenew(signal, this.#renewMs)) === 'acquired') return true;
      const jittered = this.#retryMs * (1 + 0.2 * (this.#o.random ?? Math.random)());
      try {
        await this.#clock.sleep(jittered, signal);
      } catch {
        return false;
      }
    }
    return false;
  }

  async #lead(signal: AbortSignal): Promise<ElectionOutcome> {
    this.#leading = true;
    const leadership = new AbortController();
    this.#log.info('became leader');
    void Promise.resolve()
      .then(() => this.#o.onStartedLeading(leadership.signal))
      .catch((error: unknown) => this.#log.error('onStartedLeading failed', { error }));

    let lastRenew = this.#clock.now();
    let outcome: ElectionOutcome = 'stopped';
    while (!signal.aborted) {
      try {
        await this.#clock.sleep(this.#retryMs, signal);
      } catch {
        break;
      }
      const remaining = this.#renewMs - (this.#clock.now() - lastRenew);
      const attempt = remaining > 0 ? await this.#tryAcquireOrRenew(signal, remaining) : 'failed';
      if (signal.aborted) break;
      if (attempt === 'acquired') {
        lastRenew = this.#clock.now();
        continue;
      }
      if (attempt === 'held-by-other') {
        this.#log.warn('lease taken by another candidate', { holder: this.#leader });
        outcome = 'lost';
        break;
      }
      if (this.#clock.now() - lastRenew >= this.#renewMs) {
        this.#log.warn('could not renew the lease within the renew deadline', { renewDeadlineMs: this.#renewMs });
        outcome = 'lost';
        break;
      }
    }

    this.#leading = false;
    leadership.abort(new Error(outcome === 'lost' ? 'leadership lost' : 'leader election stopped'));
    try {
      await this.#o.onStoppedLeading?.();
    } catch (error) {
      this.#log.error('onStoppedLeading failed', { error });
    }
    if (outcome === 'stopped' && (this.#o.releaseOnCancel ?? true)) await this.#release();
    this.#log.info(outcome === 'lost' ? 'leadership lost' : 'stopped leading');
    return outcome;
  }

  /** A signal that aborts when `parent` does or after `ms` on our clock. */
  #deadline(parent: AbortSignal, ms: number): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const timer = this.#clock.setTimer(ms, () => controller.abort(new Error(`lease request timed out after ${ms}ms`)));
    const onAbort = (): void => controller.abort(parent.reason);
    if (parent.aborted) controller.abort(parent.reason);
    else parent.addEventListener('abort', onAbort, { once: true });
    return {
      signal: controller.signal,
      done: () => {
        timer.cancel();
        parent.removeEventListener('abort', onAbort);
      },
    };
  }

  #observe(stored: StoredLease): void {
    const changed =
      !this.#observed ||
      this.#observed.resourceVersion !== stored.resourceVersion ||
      this.#observed.record.holderIdentity !== stored.record.holderIdentity ||
      this.#observed.record.renewTime !== stored.record.renewTime;
    if (changed) {
      this.#observed = stored;
      this.#observedAt = this.#clock.now();
    }
    const holder = stored.record.holderIdentity;
    if (holder && holder !== this.#leader) {
      this.#leader = holder;
      this.#log.info('new leader observed', { holder });
      try {
        this.#o.onNewLeader?.(holder);
      } catch (error) {
        this.#log.error('onNewLeader failed', { error });
      }
    }
  }

  async #tryAcquireOrRenew(parent: AbortSignal, budgetMs: number): Promise<Attempt> {
    const { signal, done } = this.#deadline(parent, budgetMs);
    try {
      const now = this.#clock.now();
      const ours: LeaseRecord = {
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.#leaseMs / 1000),
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: 0,
      };
      const current = await this.#o.store.get(signal);
      if (!current) {
        this.#observe(await this.#o.store.create(ours, signal));
        return 'acquired';
      }
      this.#observe(current);
      const holder = current.record.holderIdentity;
      const holderLeaseMs = (current.record.leaseDurationSeconds || Math.ceil(this.#leaseMs / 1000)) * 1000;
      if (holder && holder !== this.identity && this.#observedAt + holderLeaseMs > this.#clock.now()) return 'held-by-other';
      const next: LeaseRecord =
        holder === this.identity
          ? { ...current.record, leaseDurationSeconds: ours.leaseDurationSeconds, renewTime: ours.renewTime }
          : { ...ours, leaseTransitions: (current.record.leaseTransitions ?? 0) + 1 };
      this.#observe(await this.#o.store.update(next, current.resourceVersion, signal));
      return 'acquired';
    } catch (error) {
      if (!parent.aborted) this.#log.debug('lease attempt failed', { error: describeError(error) });
      return 'failed';
    } finally {
      done();
    }
  }

  async #release(): Promise<void> {
    const never = new AbortController().signal;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { signal, done } = this.#deadline(never, this.#renewMs);
      try {
        const current = attempt === 0 && this.#observed ? this.#observed : await this.#o.store.get(signal);
        if (!current || current.record.holderIdentity !== this.identity) return;
        const now = microTime(this.#clock.now());
        const released: LeaseRecord = { ...current.record, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now };
        this.#observe(await this.#o.store.update(released, current.resourceVersion, signal));
        this.#log.info('released the lease');
        return;
      } catch (error) {
        this.#log.warn('could not release the lease', { error: describeError(error), attempt });
      } finally {
        done();
      }
    }
  }
}
