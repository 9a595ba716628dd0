// Test helper: an in-memory namespace that replays experiment decisions. `reconcile()` runs
// decideExperiment on the current objects and applies its actions and status the way the
// controller does; `settle()` lets the ReplicaSet controller and the kubelet catch up (every
// ReplicaSet gets its pods, Ready at once unless the template is marked never-ready);
// `advance()` moves the clock; `finishRun()` plays the AnalysisRun controller.
import assert from 'node:assert/strict';
import {
  type AnalysisPhase,
  type AnalysisRun,
  type AnalysisTemplate,
  type ClusterAnalysisTemplate,
  type Experiment,
} from '../../../functions/api/index.ts';
import {
  decideExperiment,
  type ExperimentAction,
  type ExperimentDecision,
  type ExperimentEvent,
  type ExperimentServiceView,
  type ReplicaSetView,
} from '../../../functions/experiment/index.ts';
import { metaTime } from '../../../functions/values/meta-time.ts';

export const T0 = new Date('2026-01-01T00:00:00Z');
export const NEVER_READY = { 'ramp.dev/test-pod-outcome': 'never-ready' };

export class World {
  experiment: Experiment;
  replicaSets: ReplicaSetView[] = [];
  services: ExperimentServiceView[] = [];
  analysisRuns: AnalysisRun[] = [];
  analysisTemplates: AnalysisTemplate[] = [];
  clusterAnalysisTemplates: ClusterAnalysisTemplate[] = [];
  now: Date = T0;
  events: ExperimentEvent[] = [];
  /** Every action applied, in order. */
  applied: ExperimentAction[] = [];
  lastDecision: ExperimentDecision | undefined;
  #serial = 0;

  constructor(experiment: Experiment, templates: AnalysisTemplate[] = []) {
    this.experiment = structuredClone(experiment);
    this.experiment.metadata = { uid: 'experiment-uid', namespace: 'default', ...(this.experiment.metadata ?? {}) };
    this.analysisTemplates = structuredClone(templates);
  }

  get status() {
    return this.experiment.status ?? {};
  }

  decide(): ExperimentDecision {
    return decideExperiment({
      experiment: structuredClone(this.experiment),
      replicaSets: structuredClone(this.replicaSets),
      services: structuredClone(this.services),
      analysisRuns: structuredClone(this.analysisRuns),
      analysisTemplates: structuredClone(this.analysisTemplates),
      clusterAnalysisTemplates: structuredClone(this.clusterAnalysisTemplates),
      now: this.now,
    });
  }

  reconcile(): ExperimentDecision {
    const decision = this.decide();
    for (const action of decision.actions) this.apply(action);
    this.experiment.status = structuredClone(decision.status);
    this.events.push(...decision.events);
    this.lastDecision = decision;
    return decision;
  }

  apply(action: ExperimentAction): void {
    this.applied.push(structuredClone(action));
    switch (action.kind) {
      case 'createReplicaSet': {
        const m = action.replicaSet;
        assert.ok(!this.replicaSets.some((rs) => rs.name === m.metadata.name), `ReplicaSet ${m.metadata.name} created twice`);
        this.replicaSets.push({
          name: m.metadata.name,
          uid: `rs-${++this.#serial}`,
          labels: { ...m.metadata.labels },
          annotations: { ...m.metadata.annotations },
          selector: structuredClone(m.spec.selector),
          template: structuredClone(m.spec.template),
          replicas: m.spec.replicas,
          status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
          ownerReferences: structuredClone(m.metadata.ownerReferences),
          creationTimestamp: metaTime(this.now),
        });
        return;
      }
      case 'scaleReplicaSet': {
        const rs = this.rs(action.name);
        assert.equal(rs.replicas, action.from, `scale precondition of ${action.name}`);
        rs.replicas = action.replicas;
        return;
      }
      case 'annotateReplicaSet': {
        const rs = this.rs(action.name);
        const annotations = { ...(rs.annotations ?? {}) };
        for (const key of action.annotations.remove ?? []) delete annotations[key];
        Object.assign(annotations, action.annotations.set ?? {});
        rs.annotations = annotations;
        return;
      }
      case 'createService': {
        const m = action.service;
        assert.ok(!this.services.some((s) => s.name === m.metadata.name), `Service ${m.metadata.name} created twice`);
        this.services.push({ name: m.metadata.name, uid: `svc-${++this.#serial}`, annotations: { ...m.metadata.annotations }, ownerReferences: structuredClone(m.metadata.ownerReferences) });
        return;
      }
      case 'deleteService':
        this.services = this.services.filter((s) => s.name !== action.name);
        return;
      case 'createAnalysisRun': {
        const run = structuredClone(action.analysisRun);
        assert.ok(!this.analysisRuns.some((r) => r.metadata?.name === run.metadata?.name), `AnalysisRun ${run.metadata?.name} created twice`);
        run.metadata = { ...run.metadata, uid: `run-${++this.#serial}`, creationTimestamp: metaTime(this.now) };
        this.analysisRuns.push(run);
        return;
      }
      case 'terminateAnalysisRun':
        this.run(action.name).spec.terminate = true;
        return;
    }
  }

  rs(name: string): ReplicaSetView {
    const rs = this.replicaSets.find((r) => r.name === name);
    assert.ok(rs, `no ReplicaSet ${name}`);
    return rs;
  }

  run(name: string): AnalysisRun {
    const run = this.analysisRuns.find((r) => r.metadata?.name === name);
    assert.ok(run, `no AnalysisRun ${name}`);
    return run;
  }

  /** The ReplicaSet controller and kubelet catch up: pods exist, Ready unless never-ready. */
  settle(): void {
    for (const rs of this.replicaSets) {
      const neverReady = rs.template.metadata?.annotations?.['ramp.dev/test-pod-outcome'] === 'never-ready';
      rs.status = { replicas: rs.replicas, readyReplicas: neverReady ? 0 : rs.replicas, availableReplicas: neverReady ? 0 : rs.replicas };
    }
  }

  /** reconcile → settle → reconcile, until a reconcile applies nothing (at most 10 rounds). */
  step(): void {
    for (let i = 0; i < 10; i++) {
      const decision = this.reconcile();
      this.settle();
      if (decision.actions.length === 0) {
        const again = this.decide();
        if (again.actions.length === 0 && JSON.stringify(again.status) === JSON.stringify(this.experiment.status)) return;
      }
    }
    assert.fail('the experiment did not settle in 10 rounds');
  }

  advance(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }

  /** What the AnalysisRun controller would write. */
  setRunPhase(name: string, phase: AnalysisPhase, message?: string): void {
    this.run(name).status = { phase, ...(message ? { message } : {}) };
  }

  /** Terminated runs end Successful ("Run Terminated"), as the analysis controller ends them. */
  finishTerminatedRuns(): void {
    for (const run of this.analysisRuns) {
      if (run.spec.terminate && !['Successful', 'Failed', 'Error', 'Inconclusive'].includes(run.status?.phase ?? '')) {
        run.status = { phase: 'Successful', message: 'Run Terminated' };
      }
    }
  }

  /** Events by reason. */
  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}
