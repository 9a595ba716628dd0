// Leader-election settings: Argo Rollouts' flags and defaults, and the checks client-go applies.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** --leader-election-lease-duration: how long followers wait after the last renewal before taking over. */
export const DEFAULT_LEASE_DURATION_MS = 15_000;
/** --leader-election-renew-deadline: how long the leader keeps trying to renew before giving up. */
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
/** --leader-election-retry-period: time between attempts to acquire or renew. */
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
/** Argo's lock name; suffixed with the instance id when one is set (see leaseNameFor). */
export const DEFAULT_LEASE_NAME = 'argo-rollouts-controller-lock';

export interface LeaderElectionTimings {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** Throws unless lease duration > renew deadline > 1.2 × retry period > 0. */
export function validateTimings(t: LeaderElectionTimings): void {
  if (!(t.retryPeriodMs > 0)) throw new Error(`--leader-election-retry-period must be positive, got ${t.retryPeriodMs}ms`);
  if (!(t.leaseDurationMs > t.renewDeadlineMs)) {
    throw new Error(`--leader-election-lease-duration (${t.leaseDurationMs}ms) must be greater than --leader-election-renew-deadline (${t.renewDeadlineMs}ms)`);
  }
  if (!(t.renewDeadlineMs > 1.2 * t.retryPeriodMs)) {
    throw new Error(`--leader-election-renew-deadline (${t.renewDeadlineMs}ms) must be greater than 1.2 × --leader-election-retry-period (${t.retryPeriodMs}ms)`);
  }
}

/** `<hostname>_<uuid>`: unique per process, and says which pod holds the lease. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}
