// Running the controller's work under leader election, or directly with --leader-elect=false.
//
// With election, the work starts when this replica becomes leader and stops (drained) before the
// lease is released. On 'lost' the caller should exit the process non-zero and let Kubernetes
// restart it: after losing a lease the safest state to resume from is a fresh start, which is
// what Argo Rollouts does too.
import type { Clock } from '../kube/clock.ts';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { LeaderElector, type ElectionOutcome } from './elector.ts';
import type { LeaseStore } from './lease-store.ts';

export interface LeaderWork {
  /** Start caches, loops, servers that only the leader runs. `signal` aborts when leadership ends. */
  start(signal: AbortSignal): Promise<void>;
  /** Stop them; awaited before the lease is released. */
  stop(): Promise<void>;
}

export interface RunLeaderWorkOptions {
  work: LeaderWork;
  /** The process's shutdown signal (SIGTERM). */
  signal: AbortSignal;
  /** Omit to run without leader election (--leader-elect=false). */
  election?: {
    store: LeaseStore;
    identity: string;
    leaseDurationMs: number;
    renewDeadlineMs: number;
    retryPeriodMs: number;
    releaseOnCancel?: boolean;
  };
  clock?: Clock;
  logger?: Logger;
}

export async function runLeaderWork(options: RunLeaderWorkOptions): Promise<ElectionOutcome> {
  const log = options.logger ?? silentLogger;
  let starting: Promise<void> | undefined;
  const start = (signal: AbortSignal): Promise<void> => {
    starting = options.work.start(signal).catch((error: unknown) => {
      if (!signal.aborted) log.error('starting the controller failed', { error });
      throw error;
    });
    return starting;
  };
  const stop = async (): Promise<void> => {
    await starting?.catch(() => undefined);
    await options.work.stop();
  };

  if (!options.election) {
    log.info('leader election disabled; running as the only instance');
    const ended = new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve();
      else options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    try {
      await start(options.signal);
    } catch (error) {
      if (!options.signal.aborted) {
        await options.work.stop().catch(() => undefined);
        throw error;
      }
    }
    await ended;
    await stop();
    return 'stopped';
  }

  // A leader whose work failed to start must not sit on the lease doing nothing: step down.
  const campaign = new AbortController();
  const onShutdown = (): void => campaign.abort(options.signal.reason);
  if (options.signal.aborted) campaign.abort(options.signal.reason);
  else options.signal.addEventListener('abort', onShutdown, { once: true });
  let startError: unknown;
  const elector = new LeaderElector({
    ...options.election,
    ...(options.clock ? { clock: options.clock } : {}),
    logger: log,
    onStartedLeading: (signal) =>
      start(signal).catch((error: unknown) => {
        if (signal.aborted) return;
        startError = error;
        campaign.abort(error);
      }),
    onStoppedLeading: stop,
  });
  try {
    const outcome = await elector.run(campaign.signal);
    if (startError !== undefined) throw startError;
    return outcome;
  } finally {
    options.signal.removeEventListener('abort', onShutdown);
  }
}
