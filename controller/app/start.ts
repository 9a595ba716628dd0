// The two ways to run the controller, as functions that tests, the CLI and an embedded local
// setup all call:
//
//   startController(options)  caches + loops + periodic resync, under leader election unless it
//                              is turned off; stop() drains; `done` says 'lost' when leadership
//                              was lost (the CLI then exits non-zero).
//   reconcileOnce(options)     one complete pass over every Rollout, Service, Ingress,
//                              Experiment and AnalysisRun, then stop: the CronJob mode. Takes
//                              the Lease first when election is on, so it never races a running
//                              controller.
import { systemClock, type Clock } from '../kube/clock.ts';
import type { KubeClient } from '../kube/client.ts';
import { KubeLeaseStore } from '../leader/kube-lease-store.ts';
import { defaultIdentity } from '../leader/config.ts';
import type { ElectionOutcome } from '../leader/elector.ts';
import { runLeaderWork, type LeaderWork, type RunLeaderWorkOptions } from '../leader/run.ts';
import { silentLogger, type Logger } from '../log/logger.ts';
import type { CronScheduler } from '../resync/periodic.ts';
import { runOnce, type RunOnceSummary } from '../resync/run-once.ts';
import { decideRollout } from '../../functions/rollout/decide/index.ts';
import type { DecideRollout } from '../rollouts/reconcile.ts';
import type { ControllerMetrics } from '../metrics/registry.ts';
import { buildParts, type ControllerParts } from './parts.ts';

export interface LeaderElectionSettings {
  /** Namespace of the Lease. */
  namespace: string;
  leaseName: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** Default `<hostname>_<uuid>`. */
  identity?: string;
}

export interface ControllerOptions {
  client: KubeClient;
  /** Watch only this namespace (--namespaced); all namespaces when undefined. */
  namespace?: string;
  instanceId?: string;
  /** --resync cron expression (default every 30 s). */
  resync?: string;
  rolloutWorkers?: number;
  serviceWorkers?: number;
  /** Omit to run without leader election (--leader-elect=false). */
  leaderElection?: LeaderElectionSettings;
  /** Longest wait for running reconciles on stop (default 20 s). */
  drainTimeoutMs?: number;
  /** The decision core; default functions/rollout/decide's decideRollout. */
  decide?: DecideRollout;
  /** Prometheus metrics: fed from the caches, the Rollout loop and the leader state. */
  metrics?: ControllerMetrics;
  scheduler?: CronScheduler;
  clock?: Clock;
  logger?: Logger;
}

export interface RunningController {
  /** Settles when the controller has ended: 'stopped' after stop() or the signal, 'lost' when leadership was lost. */
  readonly done: Promise<ElectionOutcome>;
  /** Stops taking work, drains running reconciles, stops the caches, releases the Lease. */
  stop(): Promise<ElectionOutcome>;
  /** True while this instance runs the loops (it leads, or election is off). */
  isRunning(): boolean;
  /** /healthz: the controller has not ended. */
  live(): boolean;
  /** /readyz: caches synced and loops running; a follower (election on, not leading) is ready too. */
  ready(): boolean;
  /** The Lease identity, when election is on. */
  readonly identity: string | undefined;
}

function electionOptions(client: KubeClient, settings: LeaderElectionSettings | undefined): RunLeaderWorkOptions['election'] {
  if (!settings) return undefined;
  return {
    store: new KubeLeaseStore(client, { namespace: settings.namespace, name: settings.leaseName }),
    identity: settings.identity ?? defaultIdentity(),
    leaseDurationMs: settings.leaseDurationMs,
    renewDeadlineMs: settings.renewDeadlineMs,
    retryPeriodMs: settings.retryPeriodMs,
  };
}

/** Starts the controller; resolves at once (leadership and cache sync happen in the background). */
export function startController(options: ControllerOptions & { signal?: AbortSignal }): RunningController {
  const logger = options.logger ?? silentLogger;
  const shutdown = new AbortController();
  const onOuterAbort = (): void => shutdown.abort(options.signal?.reason);
  if (options.signal?.aborted) shutdown.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  let parts: ControllerParts | undefined;
  let running = false;
  let ended = false;
  const metrics = options.metrics;
  const work: LeaderWork = {
    async start(signal) {
      metrics?.setLeader(true);
      const decide = options.decide ?? decideRollout;
      parts = buildParts({
        client: options.client,
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        ...(options.instanceId ? { instanceId: options.instanceId } : {}),
        decide,
        ...(options.resync !== undefined ? { resync: options.resync } : {}),
        ...(options.rolloutWorkers !== undefined ? { rolloutWorkers: options.rolloutWorkers } : {}),
        ...(options.serviceWorkers !== undefined ? { serviceWorkers: options.serviceWorkers } : {}),
        ...(options.drainTimeoutMs !== undefined ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
        ...(options.scheduler ? { scheduler: options.scheduler } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
        ...(metrics ? { onRolloutProcessed: metrics.rolloutProcessed } : {}),
        logger,
      });
      const caches = parts.caches;
      metrics?.setSnapshotSource(() => ({ rollouts: caches.rollouts.list(), analysisRuns: caches.analysisRuns.list(), experiments: caches.experiments.list() }));
      parts.startCaches();
      const loops = parts.loops;
      await Promise.all([
        loops.rollouts.start(signal),
        loops.services.start(signal),
        loops.ingresses.start(signal),
        parts.analysis.start(signal),
        parts.experiments.start(signal),
      ]);
      running = true;
      logger.info('controller running', { namespace: options.namespace ?? '(all)', instanceId: options.instanceId ?? '' });
    },
    async stop() {
      running = false;
      metrics?.setLeader(false);
      metrics?.setSnapshotSource(undefined);
      const current = parts;
      parts = undefined;
      if (!current) return;
      await Promise.all([
        current.loops.rollouts.stop(),
        current.loops.services.stop(),
        current.loops.ingresses.stop(),
        current.analysis.stop(),
        current.experiments.stop(),
      ]);
      await current.close();
      logger.info('controller stopped');
    },
  };

  const election = electionOptions(options.client, options.leaderElection);
  const done = runLeaderWork({
    work,
    signal: shutdown.signal,
    ...(election ? { election } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    logger,
  }).finally(() => {
    options.signal?.removeEventListener('abort', onOuterAbort);
    running = false;
    ended = true;
  });
  return {
    done,
    identity: election?.identity,
    isRunning: () => running,
    live: () => !ended,
    // Leading (or no election): ready once the caches have synced and the loops run. A follower
    // holds no parts and is ready: it serves metrics and waits for the Lease.
    ready: () => !ended && (running || (election !== undefined && parts === undefined)),
    async stop() {
      shutdown.abort(new Error('controller stopped'));
      return done;
    },
  };
}

export interface ReconcileOnceOptions extends Omit<ControllerOptions, 'resync' | 'drainTimeoutMs' | 'scheduler'> {
  /** With election: give up when the Lease cannot be taken within this long (default lease duration + 2 retry periods). */
  acquireTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface ReconcileOnceSummary {
  /** False when the Lease could not be taken (another instance is running): nothing was reconciled. */
  ran: boolean;
  rollouts: RunOnceSummary;
  services: RunOnceSummary;
  ingresses: RunOnceSummary;
  /** Experiments run after the Rollouts (which may have created some). */
  experiments: RunOnceSummary;
  /** AnalysisRuns measured last (Rollouts and Experiments may have created some). */
  analysisRuns: RunOnceSummary;
  /** Every failure of the pass, "kind key: error". */
  failures: string[];
}

const EMPTY: RunOnceSummary = { processed: 0, runs: 0, failed: [], wakeUps: [], aborted: false };

/**
 * One complete pass: every Rollout is reconciled (following its immediate requeues, so a new
 * Rollout gets its ReplicaSet and its status in one pass), then every Service and Ingress is
 * checked for restore. Failures are collected, not retried: the next run retries them.
 */
export async function reconcileOnce(options: ReconcileOnceOptions): Promise<ReconcileOnceSummary> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const decide = options.decide ?? decideRollout;
  let summary: ReconcileOnceSummary = { ran: false, rollouts: EMPTY, services: EMPTY, ingresses: EMPTY, experiments: EMPTY, analysisRuns: EMPTY, failures: [] };
  const finished = new AbortController();
  const onOuterAbort = (): void => finished.abort(options.signal?.reason);
  if (options.signal?.aborted) finished.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  let parts: ControllerParts | undefined;
  const work: LeaderWork = {
    async start(signal) {
      parts = buildParts({
        client: options.client,
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        ...(options.instanceId ? { instanceId: options.instanceId } : {}),
        decide,
        requeueAfterWritesMs: 0,
        ...(options.rolloutWorkers !== undefined ? { rolloutWorkers: options.rolloutWorkers } : {}),
        ...(options.serviceWorkers !== undefined ? { serviceWorkers: options.serviceWorkers } : {}),
        clock,
        logger,
      });
      parts.startCaches();
      await Promise.all([parts.waitForSync(signal), parts.analysis.startCaches(signal), parts.experiments.startCaches(signal)]);
      const common = { signal, clock, logger, followRequeueWithinMs: 1_000 };
      const rollouts = await runOnce({ ...common, keys: parts.caches.rollouts.keys(), handler: parts.reconciler.handle, workers: options.rolloutWorkers ?? 10 });
      const services = await runOnce({ ...common, keys: parts.caches.services.keys(), handler: parts.restorer.handleService, workers: options.serviceWorkers ?? 10 });
      const ingresses = await runOnce({ ...common, keys: parts.caches.ingresses.keys(), handler: parts.restorer.handleIngress, workers: options.serviceWorkers ?? 10 });
      const experiments = await runOnce({ ...common, keys: parts.experiments.keys(), handler: parts.experiments.reconcile, workers: 10 });
      const analysisRuns = await runOnce({ ...common, keys: parts.analysis.keys(), handler: parts.analysis.reconcile, workers: 30 });
      const failures = [
        ...rollouts.failed.map((f) => `Rollout ${f.key}: ${f.error}`),
        ...services.failed.map((f) => `Service ${f.key}: ${f.error}`),
        ...ingresses.failed.map((f) => `Ingress ${f.key}: ${f.error}`),
        ...experiments.failed.map((f) => `Experiment ${f.key}: ${f.error}`),
        ...analysisRuns.failed.map((f) => `AnalysisRun ${f.key}: ${f.error}`),
      ];
      summary = { ran: true, rollouts, services, ingresses, experiments, analysisRuns, failures };
      finished.abort(new Error('pass complete'));
    },
    async stop() {
      const current = parts;
      parts = undefined;
      await Promise.all([current?.analysis.stopCaches(), current?.experiments.stopCaches()]);
      await current?.close();
    },
  };

  const election = electionOptions(options.client, options.leaderElection);
  let acquireTimer: ReturnType<Clock['setTimer']> | undefined;
  if (options.leaderElection) {
    const s = options.leaderElection;
    acquireTimer = clock.setTimer(options.acquireTimeoutMs ?? s.leaseDurationMs + 2 * s.retryPeriodMs, () => {
      if (!parts) finished.abort(new Error(`could not take the Lease ${s.namespace}/${s.leaseName}: another instance holds it`));
    });
  }
  try {
    await runLeaderWork({
      work,
      signal: finished.signal,
      ...(election ? { election } : {}),
      clock,
      logger,
    });
  } finally {
    acquireTimer?.cancel();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  return summary;
}
