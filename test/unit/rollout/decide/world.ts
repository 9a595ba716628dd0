// Test helper: an in-memory namespace that replays decisions. `reconcile()` runs
// decideRollout on the current objects and applies the actions and status the way the
// controller would; `settle()` lets the ReplicaSet controller and the kubelet catch up (every
// RS gets the pods it asks for, Ready at once unless its image is marked broken); `advance()`
// moves the clock. User commands patch exactly what §13 of the reference says the CLI patches.
import assert from 'node:assert/strict';
import {
  MANAGED_BY_ROLLOUTS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  type AnalysisPhase,
  type AnalysisRun,
  type AnalysisTemplate,
  type ClusterAnalysisTemplate,
  type Experiment,
  type Rollout,
} from '../../../../functions/api/index.ts';
import { decideRollout } from '../../../../functions/rollout/decide/index.ts';
import { metaTime } from '../../../../functions/values/meta-time.ts';
import type { Action, Decision, PodView, ReplicaSetView, RolloutEvent, ServiceView, WorkloadView } from '../../../../functions/rollout/decide/index.ts';
import { argoCdHealth, type ArgoCdHealth } from './argo-cd-health.ts';

export const T0 = new Date('2026-01-01T00:00:00Z');

export class World {
  rollout: Rollout;
  replicaSets: ReplicaSetView[] = [];
  services: ServiceView[] = [];
  analysisRuns: AnalysisRun[] = [];
  experiments: Experiment[] = [];
  analysisTemplates: AnalysisTemplate[] = [];
  clusterAnalysisTemplates: ClusterAnalysisTemplate[] = [];
  now: Date = T0;
  /** Images whose pods never become Ready. */
  brokenImages = new Set<string>();
  events: RolloutEvent[] = [];
  lastDecision: Decision | undefined;
  /** Pods, tracked only after `trackPods()` (then they are part of the snapshot). */
  pods_: PodView[] | undefined;
  /** The Deployment / PodTemplate the Rollout's workloadRef names (absent: not found). */
  workload: WorkloadView | undefined;
  #podSerial = 0;

  constructor(rollout: Rollout, services: string[] = []) {
    this.rollout = structuredClone(rollout);
    this.rollout.metadata = { uid: 'rollout-uid', generation: 1, ...(this.rollout.metadata ?? {}) };
    this.services = services.map((name) => ({ name, selector: { app: this.rollout.metadata?.name ?? 'demo' } }));
  }

  // ---- the controller ---------------------------------------------------------------------

  decide(): Decision {
    return decideRollout({
      rollout: structuredClone(this.rollout),
      replicaSets: structuredClone(this.replicaSets),
      services: structuredClone(this.services),
      analysisRuns: structuredClone(this.analysisRuns),
      experiments: structuredClone(this.experiments),
      analysisTemplates: structuredClone(this.analysisTemplates),
      clusterAnalysisTemplates: structuredClone(this.clusterAnalysisTemplates),
      ...(this.pods_ !== undefined ? { pods: structuredClone(this.pods_) } : {}),
      ...(this.workload !== undefined ? { workload: structuredClone(this.workload) } : {}),
      now: this.now,
    });
  }

  reconcile(): Decision {
    const decision = this.decide();
    for (const action of decision.actions) this.apply(action);
    for (const pod of decision.evictPods ?? []) {
      assert.ok(this.pods_?.some((p) => p.name === pod), `Pod ${pod} exists`);
      this.pods_ = this.pods_?.filter((p) => p.name !== pod);
    }
    this.rollout.status = structuredClone(decision.status);
    this.events.push(...decision.events);
    this.lastDecision = decision;
    return decision;
  }

  apply(action: Action): void {
    switch (action.kind) {
      case 'createReplicaSet': {
        const m = action.replicaSet;
        assert.ok(!this.replicaSets.some((rs) => rs.name === m.metadata.name), `ReplicaSet ${m.metadata.name} already exists`);
        this.replicaSets.push({
          name: m.metadata.name,
          uid: `uid-${m.metadata.name}`,
          labels: { ...m.metadata.labels },
          annotations: { ...m.metadata.annotations },
          selector: structuredClone(m.spec.selector),
          template: structuredClone(m.spec.template),
          replicas: m.spec.replicas,
          status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
          creationTimestamp: metaTime(this.now),
          ownerReferences: structuredClone(m.metadata.ownerReferences),
        });
        break;
      }
      case 'scaleReplicaSet': {
        const rs = this.replicaSet(action.name);
        assert.equal(rs.replicas, action.from, `scale of ${action.name} expected ${action.from} replicas`);
        rs.replicas = action.replicas;
        rs.annotations = changeAnnotations(rs.annotations, action.annotations);
        break;
      }
      case 'annotateReplicaSet': {
        const rs = this.replicaSet(action.name);
        rs.annotations = changeAnnotations(rs.annotations, action.annotations);
        break;
      }
      case 'adoptReplicaSet':
        this.replicaSet(action.name).ownerReferences = [action.ownerReference];
        break;
      case 'deleteReplicaSet':
        this.replicaSets = this.replicaSets.filter((rs) => rs.name !== action.name);
        break;
      case 'patchServiceSelector': {
        const service = this.service(action.service);
        service.selector = { ...(service.selector ?? {}), [POD_TEMPLATE_HASH_LABEL]: action.hash };
        service.annotations = { ...(service.annotations ?? {}), [MANAGED_BY_ROLLOUTS_ANNOTATION]: action.managedBy };
        break;
      }
      case 'terminateAnalysisRun': {
        const run = this.analysisRuns.find((r) => r.metadata?.name === action.name);
        assert.ok(run, `AnalysisRun ${action.name} exists`);
        run.spec.terminate = true;
        break;
      }
      case 'terminateExperiment': {
        const experiment = this.experiments.find((e) => e.metadata?.name === action.name);
        assert.ok(experiment, `Experiment ${action.name} exists`);
        experiment.spec.terminate = true;
        break;
      }
      case 'createAnalysisRun': {
        const run = structuredClone(action.analysisRun);
        const name = run.metadata?.name ?? '';
        assert.ok(!this.analysisRuns.some((r) => r.metadata?.name === name), `AnalysisRun ${name} already exists`);
        run.metadata = { ...run.metadata, uid: `uid-${name}`, creationTimestamp: metaTime(this.now) };
        this.analysisRuns.push(run);
        break;
      }
      case 'deleteAnalysisRun':
        assert.ok(this.analysisRuns.some((r) => r.metadata?.name === action.name), `AnalysisRun ${action.name} exists`);
        this.analysisRuns = this.analysisRuns.filter((r) => r.metadata?.name !== action.name);
        break;
      case 'createExperiment': {
        const experiment = structuredClone(action.experiment);
        const name = experiment.metadata?.name ?? '';
        assert.ok(!this.experiments.some((e) => e.metadata?.name === name), `Experiment ${name} already exists`);
        experiment.metadata = { ...experiment.metadata, uid: `uid-${name}`, creationTimestamp: metaTime(this.now) };
        this.experiments.push(experiment);
        break;
      }
      case 'deleteExperiment':
        assert.ok(this.experiments.some((e) => e.metadata?.name === action.name), `Experiment ${action.name} exists`);
        this.experiments = this.experiments.filter((e) => e.metadata?.name !== action.name);
        break;
      case 'scaleDeployment': {
        const workload = this.workload;
        assert.ok(workload?.kind === 'Deployment' && workload.name === action.name, `Deployment ${action.name} exists`);
        assert.equal(workload.replicas, action.from, `scale of Deployment ${action.name} expected ${action.from} replicas`);
        workload.replicas = action.replicas;
        break;
      }
      case 'annotateRollout':
        this.rollout.metadata = {
          ...(this.rollout.metadata ?? {}),
          annotations: changeAnnotations(this.rollout.metadata?.annotations, action.annotations),
        };
        break;
    }
  }

  /** The ReplicaSet controller and kubelet catch up: pods exist, and are Ready unless their image is broken. */
  settle(): void {
    if (this.pods_ !== undefined) this.settlePods();
    for (const rs of this.replicaSets) {
      const image = rs.template.spec?.containers[0]?.image ?? '';
      const ready = this.brokenImages.has(image) ? 0 : rs.replicas;
      rs.status = { replicas: rs.replicas, readyReplicas: ready, availableReplicas: ready };
    }
  }

  /** From now on, pods are tracked: one per replica, created when their ReplicaSet needs them. */
  trackPods(): void {
    this.pods_ = [];
    this.settlePods();
  }

  /** The ReplicaSet controller: drop the newest pods above spec, create missing ones now. */
  settlePods(): void {
    const pods = (this.pods_ ?? []).filter((p) => this.replicaSets.some((rs) => rs.name === p.replicaSet));
    const next: PodView[] = [];
    for (const rs of this.replicaSets) {
      const image = rs.template.spec?.containers[0]?.image ?? '';
      const mine = pods.filter((p) => p.replicaSet === rs.name).sort((a, b) => a.creationTimestamp.localeCompare(b.creationTimestamp));
      const kept = mine.slice(0, rs.replicas);
      while (kept.length < rs.replicas) {
        this.#podSerial += 1;
        kept.push({ name: `${rs.name}-pod${this.#podSerial}`, replicaSet: rs.name, creationTimestamp: metaTime(this.now), available: true });
      }
      next.push(...kept.map((p) => ({ ...p, available: !this.brokenImages.has(image) })));
    }
    this.pods_ = next;
  }

  /** reconcile + settle until a reconcile changes nothing (no action, same status); returns the passes run. */
  run(maxPasses = 100, check?: (world: World) => void): number {
    for (let pass = 1; pass <= maxPasses; pass++) {
      const before = JSON.stringify(this.rollout.status ?? null);
      const decision = this.reconcile();
      check?.(this);
      this.settle();
      if (decision.actions.length === 0 && decision.evictPods === undefined && JSON.stringify(decision.status) === before) return pass;
    }
    throw new Error(`no steady state after ${maxPasses} passes; last actions: ${JSON.stringify(this.lastDecision?.actions)}`);
  }

  advance(seconds: number): void {
    this.now = new Date(this.now.getTime() + seconds * 1000);
  }

  // ---- what users do ----------------------------------------------------------------------

  setImage(image: string): void {
    const container = this.rollout.spec.template?.spec?.containers[0];
    assert.ok(container);
    container.image = image;
    this.bumpGeneration();
  }

  bumpGeneration(): void {
    this.rollout.metadata = { ...(this.rollout.metadata ?? {}), generation: (this.rollout.metadata?.generation ?? 1) + 1 };
  }

  /** `kubectl argo rollouts promote` (reference §13). */
  promote(): void {
    const status = (this.rollout.status ??= {});
    if (this.rollout.spec.paused) {
      this.rollout.spec.paused = false;
      this.bumpGeneration();
    }
    if ((status.pauseConditions ?? []).length > 0) {
      delete status.pauseConditions;
    } else if (this.rollout.spec.strategy?.canary !== undefined) {
      const steps = this.rollout.spec.strategy.canary.steps ?? [];
      status.currentStepIndex = Math.min((status.currentStepIndex ?? 0) + 1, steps.length);
    }
  }

  /** `promote --full` */
  promoteFull(): void {
    const status = (this.rollout.status ??= {});
    if (this.rollout.spec.paused) {
      this.rollout.spec.paused = false;
      this.bumpGeneration();
    }
    if (status.currentPodHash !== status.stableRS) status.promoteFull = true;
  }

  abort(): void {
    (this.rollout.status ??= {}).abort = true;
  }

  retry(): void {
    (this.rollout.status ??= {}).abort = false;
  }

  pause(): void {
    this.rollout.spec.paused = true;
    this.bumpGeneration();
  }

  // ---- what the AnalysisRun and Experiment controllers do ---------------------------------

  /** Sets the phase (and message) of a run or experiment, as its controller would. */
  setPhase(object: AnalysisRun | Experiment, phase: AnalysisPhase, message?: string): void {
    object.status = { ...(object.status ?? {}), phase, ...(message !== undefined ? { message } : {}) };
  }

  // ---- reading ----------------------------------------------------------------------------

  /** The AnalysisRuns of one `rollout-type` (Step, Background, PrePromotion, PostPromotion), oldest first. */
  runsOf(type: string, stepIndex?: number): AnalysisRun[] {
    return this.analysisRuns.filter(
      (r) => r.metadata?.labels?.['rollout-type'] === type && (stepIndex === undefined || r.metadata?.labels?.['step-index'] === String(stepIndex)),
    );
  }

  /** The newest AnalysisRun of one type that is not terminated. */
  currentRun(type: string, stepIndex?: number): AnalysisRun {
    const run = this.runsOf(type, stepIndex).filter((r) => r.spec.terminate !== true).at(-1);
    assert.ok(run, `a current ${type} AnalysisRun${stepIndex !== undefined ? ` for step ${stepIndex}` : ''} exists`);
    return run;
  }

  replicaSet(name: string): ReplicaSetView {
    const rs = this.replicaSets.find((r) => r.name === name);
    assert.ok(rs, `ReplicaSet ${name} exists`);
    return rs;
  }

  service(name: string): ServiceView {
    const service = this.services.find((s) => s.name === name);
    assert.ok(service, `Service ${name} exists`);
    return service;
  }

  byHash(hash: string | undefined): ReplicaSetView {
    const rs = this.replicaSets.find((r) => r.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
    assert.ok(rs, `ReplicaSet with hash ${hash} exists`);
    return rs;
  }

  /** Spec replicas per image, e.g. { 'demo:1': 2, 'demo:2': 1 } (ReplicaSets with 0 left out). */
  pods(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const rs of this.replicaSets) {
      if (rs.replicas === 0) continue;
      const image = rs.template.spec?.containers[0]?.image ?? '?';
      out[image] = (out[image] ?? 0) + rs.replicas;
    }
    return out;
  }

  health(): ArgoCdHealth {
    return argoCdHealth(this.rollout);
  }

  selectorOf(service: string): string | undefined {
    return this.service(service).selector?.[POD_TEMPLATE_HASH_LABEL];
  }

  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}

function changeAnnotations(
  current: Readonly<Record<string, string>> | undefined,
  changes: { set?: Record<string, string>; remove?: string[] },
): Record<string, string> {
  const next = { ...(current ?? {}) };
  for (const key of changes.remove ?? []) delete next[key];
  return { ...next, ...(changes.set ?? {}) };
}
