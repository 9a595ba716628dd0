// The controller's Prometheus metrics, on prom-client's Registry of its own (never the global
// one): the collection gauges read a MetricsSnapshot at scrape time; reconcile timings and
// errors come from the Rollout loop's onProcessed hook; API requests from KubeClient's `observe`
// hook; `leader` from the controller's state.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestAttempt } from '../kube/http.ts';
import { splitKey } from '../kube/object-key.ts';
import type { ProcessedInfo } from '../resync/queue.ts';
import { collectSamples, type MetricsSnapshot, type Sample } from './collect.ts';

const EMPTY: MetricsSnapshot = { rollouts: [], analysisRuns: [], experiments: [] };
const VERBS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

const COLLECTED: ReadonlyArray<[string, string, string[]]> = [
  ['rollout_info', 'Information about rollout.', ['namespace', 'name', 'strategy', 'traffic_router', 'phase']],
  ['rollout_info_replicas_available', 'The number of available replicas per rollout.', ['namespace', 'name']],
  ['rollout_info_replicas_unavailable', 'The number of unavailable replicas per rollout.', ['namespace', 'name']],
  ['rollout_info_replicas_desired', 'The number of desired replicas per rollout.', ['namespace', 'name']],
  ['rollout_info_replicas_updated', 'The number of updated replicas per rollout.', ['namespace', 'name']],
  ['rollout_phase', 'Information on the state of the rollout (DEPRECATED - use rollout_info)', ['namespace', 'name', 'strategy', 'phase']],
  ['analysis_run_info', 'Information about analysis run.', ['namespace', 'name', 'phase']],
  ['analysis_run_phase', 'Information on the state of the Analysis Run (DEPRECATED - use analysis_run_info)', ['namespace', 'name', 'phase']],
  ['experiment_info', 'Information about Experiment.', ['namespace', 'name', 'phase']],
  ['experiment_phase', 'Information on the state of the experiment (DEPRECATED - use experiment_info)', ['namespace', 'name', 'phase']],
];

export class ControllerMetrics {
  readonly registry = new Registry();
  #snapshot: () => MetricsSnapshot = () => EMPTY;
  /** The samples of the scrape in progress (one snapshot per scrape). */
  #current: Map<string, Sample[]> | undefined;
  readonly #reconcile: Histogram<'namespace' | 'name'>;
  readonly #reconcileError: Counter<'namespace' | 'name'>;
  readonly #requests: Counter<'verb' | 'status'>;
  readonly #leader: Gauge;

  constructor() {
    const samplesFor = (name: string): Sample[] => (this.#current ?? this.#group()).get(name) ?? [];
    for (const [name, help, labelNames] of COLLECTED) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const s of samplesFor(name)) this.set(s.labels, s.value);
        },
      });
    }
    this.#reconcile = new Histogram({
      name: 'rollout_reconcile',
      help: 'Rollout reconciliation performance.',
      labelNames: ['namespace', 'name'],
      buckets: [0.01, 0.15, 0.25, 0.5, 1],
      registers: [this.registry],
    });
    this.#reconcileError = new Counter({ name: 'rollout_reconcile_error', help: 'Error occurring during the rollout', labelNames: ['namespace', 'name'], registers: [this.registry] });
    this.#requests = new Counter({
      name: 'controller_clientset_k8s_request_total',
      help: 'Number of kubernetes requests executed during application reconciliation.',
      labelNames: ['verb', 'status'],
      registers: [this.registry],
    });
    this.#leader = new Gauge({ name: 'leader', help: '1 while this controller holds the Lease (or runs without election), 0 otherwise.', registers: [this.registry] });
    this.#leader.set(0);
  }

  /** Where the collection gauges read from (the running controller's caches); empty when unset. */
  setSnapshotSource(source: (() => MetricsSnapshot) | undefined): void {
    this.#snapshot = source ?? (() => EMPTY);
  }

  setLeader(leading: boolean): void {
    this.#leader.set(leading ? 1 : 0);
  }

  /** The Rollout loop's onProcessed hook. */
  readonly rolloutProcessed = (info: ProcessedInfo): void => {
    const { namespace, name } = splitKey(info.key);
    const labels = { namespace: namespace ?? '', name };
    this.#reconcile.observe(labels, info.durationMs / 1000);
    if (info.error !== undefined) this.#reconcileError.inc(labels);
  };

  /** KubeClient's `observe` hook: one count per API attempt, by verb and status code. */
  readonly requestObserved = (attempt: RequestAttempt): void => {
    const method = attempt.method.toUpperCase();
    this.#requests.inc({ verb: VERBS.has(method) ? method : 'OTHER', status: attempt.status === undefined ? 'error' : String(attempt.status) });
  };

  #group(): Map<string, Sample[]> {
    const samples = new Map<string, Sample[]>();
    for (const s of collectSamples(this.#snapshot())) {
      const list = samples.get(s.name) ?? [];
      list.push(s);
      samples.set(s.name, list);
    }
    return samples;
  }

  /** The Prometheus text exposition of every metric. */
  async text(): Promise<string> {
    this.#current = this.#group();
    try {
      return await this.registry.metrics();
    } finally {
      this.#current = undefined;
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
