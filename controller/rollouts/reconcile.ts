// The Rollout reconciler: snapshot from the caches → decideRollout (pure) → apply the actions in
// order → write status if it differs → record the decision's events → ask to be woken when the
// decision says. No branch here looks at the Rollout's state; that is all in the decision.
//
// A write that fails its precondition (409 Conflict, or a JSON-patch test that no longer holds)
// means the decision was taken on a stale view: the remaining actions are skipped, nothing else
// is written, and the key is looked at again shortly with fresh reads. Any other failure is
// reported as a Warning event (ReconciliationError) and thrown, so the queue retries with backoff.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Decision, RolloutSnapshot } from '../../functions/rollout/decide/types.ts';
import type { RawRequest } from '../kube/client.ts';
import { systemClock, type Clock } from '../kube/clock.ts';
import { describeError, isAlreadyExists, isConflict, isInvalid, isNotFound, statusCodeOf } from '../kube/errors.ts';
import type { EventType, InvolvedObject } from '../kube/events.ts';
import { keyFields, silentLogger, type Logger } from '../log/logger.ts';
import type { HandlerContext, ReconcileResult } from '../resync/queue.ts';
import type { FreshView, ReadableCache } from './fresh-view.ts';
import { resolveNameCollision } from './owned-create.ts';
import { evictionRequest, requestFor, statusRequest, type WrittenKind } from './requests.ts';
import {
  assembleSnapshot,
  type DeploymentObject,
  type PodObject,
  type PodTemplateObject,
  type ReplicaSetObject,
  type RolloutObject,
  type ServiceObject,
} from './snapshot.ts';

export type DecideRollout = (snapshot: RolloutSnapshot) => Decision;

export interface RolloutReconcilerOptions {
  client: { request<R>(req: RawRequest): Promise<R> };
  rollouts: FreshView<RolloutObject>;
  replicaSets: FreshView<ReplicaSetObject>;
  services: FreshView<ServiceObject>;
  /** With `remember` (a FreshView), the runs and experiments this controller writes are seen at once. */
  analysisRuns: Pick<ReadableCache<KubernetesObject>, 'byOwner'> & { remember?(obj: KubernetesObject | undefined): void };
  experiments: Pick<ReadableCache<KubernetesObject>, 'byOwner'> & { remember?(obj: KubernetesObject | undefined): void };
  /** AnalysisTemplates and ClusterAnalysisTemplates for the snapshot (without them, analyses are InvalidSpec). */
  analysisTemplates?: Pick<ReadableCache<KubernetesObject>, 'list'>;
  clusterAnalysisTemplates?: Pick<ReadableCache<KubernetesObject>, 'list'>;
  /** Pods of Rollout ReplicaSets; without them spec.restartAt is acknowledged but restarts nothing. */
  pods?: Pick<ReadableCache<PodObject>, 'byOwner'>;
  /**
   * Deployments and PodTemplates a workloadRef may name (without them every workloadRef is
   * InvalidSpec, not found). With `remember`, a Deployment this controller scaled is seen at once.
   */
  deployments?: Pick<ReadableCache<DeploymentObject>, 'get'> & { remember?(obj: DeploymentObject | undefined): void };
  podTemplates?: Pick<ReadableCache<PodTemplateObject>, 'get'>;
  decide: DecideRollout;
  events: { event(obj: InvolvedObject, type: EventType, reason: string, message: string): Promise<void> };
  clock?: Clock;
  logger?: Logger;
  /** How soon to look again after a write failed its precondition (default 1 s). */
  staleRetryMs?: number;
  /**
   * Look again this soon after a reconcile that wrote something. Unset in controller mode (the
   * watch wakes the key); `reconcile --once` sets 0 so one pass follows a Rollout as far as it
   * can go without waiting for pods.
   */
  requeueAfterWritesMs?: number;
}

/** A write was refused because what the decision saw has changed. */
export class StaleViewError extends Error {
  override name = 'StaleViewError';
}

export interface ReconcileOutcome {
  /** Requests that changed something (actions and the status write). */
  writes: number;
  decision?: Decision;
}

export class RolloutReconciler {
  readonly #o: RolloutReconcilerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;

  constructor(options: RolloutReconcilerOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.logger ?? silentLogger).child({ controller: 'rollouts' });
  }

  /** The work-queue handler. */
  readonly handle = async (key: string, _ctx?: HandlerContext): Promise<ReconcileResult | void> => {
    let outcome: ReconcileOutcome;
    try {
      outcome = await this.reconcile(key);
    } catch (error) {
      if (error instanceof StaleViewError) {
        this.#log.debug('decided on a stale view; looking again', { ...keyFields(key), reason: error.message });
        return { requeueAfterMs: this.#o.staleRetryMs ?? 1_000 };
      }
      throw error;
    }
    const wakeUps = [outcome.decision?.requeueAfterMs, outcome.writes > 0 ? this.#o.requeueAfterWritesMs : undefined].filter(
      (ms): ms is number => ms !== undefined && Number.isFinite(ms),
    );
    return wakeUps.length === 0 ? undefined : { requeueAfterMs: Math.max(0, Math.min(...wakeUps)) };
  };

  async reconcile(key: string): Promise<ReconcileOutcome> {
    const assembled = assembleSnapshot(
      key,
      {
        rollouts: this.#o.rollouts,
        replicaSets: this.#o.replicaSets,
        services: this.#o.services,
        analysisRuns: this.#o.analysisRuns,
        experiments: this.#o.experiments,
        ...(this.#o.pods ? { pods: this.#o.pods } : {}),
        ...(this.#o.deployments ? { deployments: this.#o.deployments } : {}),
        ...(this.#o.podTemplates ? { podTemplates: this.#o.podTemplates } : {}),
        ...(this.#o.analysisTemplates ? { analysisTemplates: this.#o.analysisTemplates } : {}),
        ...(this.#o.clusterAnalysisTemplates ? { clusterAnalysisTemplates: this.#o.clusterAnalysisTemplates } : {}),
      },
      new Date(this.#clock.now()),
    );
    if (!assembled) return { writes: 0 };
    const { rollout } = assembled;
    const namespace = rollout.metadata?.namespace ?? '';
    const log = this.#log.child(keyFields(key));

    let decision: Decision;
    try {
      decision = this.#o.decide(assembled.snapshot);
    } catch (error) {
      void this.#o.events.event(rollout, 'Warning', 'ReconciliationError', `Reconciliation failed: ${describeError(error)}`);
      throw error;
    }

    let writes = 0;
    for (const action of decision.actions) {
      const { request, writes: kind, notFoundIsDone, conflictIsDone, staleOnInvalid } = requestFor(action, { namespace, rollout, replicaSets: assembled.replicaSets });
      try {
        const answer = await this.#o.client.request<KubernetesObject | undefined>(request);
        this.#remember(kind, answer, request);
        writes++;
        log.debug('applied', { action: action.kind, path: request.path });
      } catch (error) {
        if ((notFoundIsDone && isNotFound(error)) || (conflictIsDone && statusCodeOf(error) === 409)) continue;
        if ((action.kind === 'createAnalysisRun' || action.kind === 'createExperiment') && isAlreadyExists(error)) {
          // The name is taken by an object the snapshot did not show (reference §11.6).
          const resolved = await resolveNameCollision(this.#o.client, action, namespace, rollout.metadata?.uid ?? '');
          this.#remember(kind, resolved.object, { ...request, method: 'POST' });
          if (resolved.outcome === 'stale') throw new StaleViewError(`${action.kind}: ${resolved.object.metadata?.name} exists and is not the one wanted`);
          if (resolved.created) writes++;
          log.debug('name taken', { action: action.kind, wanted: request.path, used: resolved.object.metadata?.name });
          continue;
        }
        if (statusCodeOf(error) === 409 || (staleOnInvalid && isInvalid(error))) {
          throw new StaleViewError(`${action.kind} ${request.method} ${request.path}: ${describeError(error)}`);
        }
        void this.#o.events.event(rollout, 'Warning', 'ReconciliationError', `${action.kind} failed: ${describeError(error)}`);
        throw error;
      }
    }

    // Evictions (spec.restartAt) are best effort: a refusal by a PodDisruptionBudget (429) or a pod
    // already gone is skipped; the decision looks again later. Other failures are reported, not thrown.
    for (const pod of decision.evictPods ?? []) {
      const request = evictionRequest(namespace, pod);
      try {
        await this.#o.client.request(request);
        writes++;
      } catch (error) {
        if (isNotFound(error) || statusCodeOf(error) === 429) {
          log.debug('eviction refused or pod gone; skipped', { pod, error: describeError(error) });
          continue;
        }
        log.warn('eviction failed', { pod, error: describeError(error) });
        void this.#o.events.event(rollout, 'Warning', 'ReconciliationError', `evicting pod ${pod} failed: ${describeError(error)}`);
      }
    }

    const status = statusRequest(rollout, decision.status);
    if (status) {
      try {
        const answer = await this.#o.client.request<RolloutObject>(status);
        this.#o.rollouts.remember(answer);
        writes++;
      } catch (error) {
        if (isConflict(error)) throw new StaleViewError(`status: ${describeError(error)}`);
        void this.#o.events.event(rollout, 'Warning', 'ReconciliationError', `status update failed: ${describeError(error)}`);
        throw error;
      }
    }

    for (const event of decision.events) void this.#o.events.event(rollout, event.type, event.reason, event.message);
    if (writes > 0) log.info('reconciled', { writes, actions: decision.actions.map((a) => a.kind), phase: decision.status.phase });
    return { writes, decision };
  }

  #remember(kind: WrittenKind, answer: KubernetesObject | undefined, request: RawRequest): void {
    if (request.method === 'DELETE') return;
    switch (kind) {
      case 'replicaSet':
        this.#o.replicaSets.remember(answer as ReplicaSetObject);
        return;
      case 'rollout':
        this.#o.rollouts.remember(answer as RolloutObject);
        return;
      case 'service':
        this.#o.services.remember(answer as ServiceObject);
        return;
      case 'analysisRun':
        this.#o.analysisRuns.remember?.(answer);
        return;
      case 'experiment':
        this.#o.experiments.remember?.(answer);
        return;
      case 'deployment':
        this.#o.deployments?.remember?.(answer as DeploymentObject);
        return;
      default:
        return;
    }
  }
}
