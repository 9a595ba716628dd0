// Analysis and experiment steps as gates: the decision waits on the AnalysisRuns and
// Experiments it finds by label (something else creates them) and reacts to their phase.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../../fixtures/index.ts';
import type { AnalysisPhase, AnalysisRun, CanaryStep, Experiment, RolloutAnalysis } from '../../../../functions/api/index.ts';
import { World } from './world.ts';

const ANALYSIS: RolloutAnalysis = { templates: [{ templateName: 'success-rate' }] };

function owner(world: World) {
  return [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'demo', uid: world.rollout.metadata?.uid ?? '', controller: true }];
}

let serial = 0;
function addRun(world: World, type: string, phase: AnalysisPhase, stepIndex?: number, message?: string): AnalysisRun {
  serial += 1;
  const hash = world.rollout.status?.currentPodHash ?? '';
  const run: AnalysisRun = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name: `demo-${hash}-2-${stepIndex ?? type.toLowerCase()}-${serial}`,
      namespace: 'default',
      creationTimestamp: world.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      labels: {
        'rollouts-pod-template-hash': hash,
        'rollout-type': type,
        ...(stepIndex !== undefined ? { 'step-index': String(stepIndex) } : {}),
      },
      ownerReferences: owner(world),
    },
    spec: { metrics: [{ name: 'success-rate', provider: { web: { url: 'http://example/' } } }] },
    status: { phase, ...(message !== undefined ? { message } : {}) },
  };
  world.analysisRuns.push(run);
  return run;
}

function setPhase(run: AnalysisRun | Experiment, phase: AnalysisPhase, message?: string): void {
  run.status = { ...(run.status ?? {}), phase, ...(message !== undefined ? { message } : {}) };
}

function canaryWorld(steps: CanaryStep[], extra: { analysis?: RolloutAnalysis & { startingStep?: number } } = {}): World {
  const world = new World(aRollout().withReplicas(2).withImage('demo:1').withCanarySteps(steps, extra).build());
  world.run();
  world.setImage('demo:2');
  world.run();
  return world;
}

describe('canary › analysis step', () => {
  it('waits for its AnalysisRun, without a progress deadline, and completes when it is Successful', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    world.rollout.spec.progressDeadlineSeconds = 30;
    assert.equal(world.rollout.status?.currentStepIndex, 1);
    assert.deepEqual(world.health(), { status: 'Progressing', message: 'more replicas need to be updated' });
    world.advance(60);
    world.run();
    assert.equal(world.health().status, 'Progressing', 'an analysis step is not timed by the progress deadline');

    const run = addRun(world, 'Step', 'Running', 1);
    world.run();
    assert.deepEqual(world.rollout.status?.canary?.currentStepAnalysisRunStatus, { name: run.metadata?.name, status: 'Running' });
    setPhase(run, 'Successful');
    world.run();
    assert.deepEqual(world.pods(), { 'demo:2': 2 });
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    assert.equal(world.rollout.status?.canary?.currentStepAnalysisRunStatus, undefined);
  });

  it('a run for another step or another hash is not waited on', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    addRun(world, 'Step', 'Successful', 0);
    const other = addRun(world, 'Step', 'Successful', 1);
    other.metadata = { ...other.metadata, labels: { ...other.metadata?.labels, 'rollouts-pod-template-hash': 'other' } };
    world.run();
    assert.equal(world.rollout.status?.currentStepIndex, 1);
  });

  it('a Failed run aborts with its message; after retry the decision waits for a fresh run', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    const run = addRun(world, 'Step', 'Failed', 1, 'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)');
    world.run();
    assert.deepEqual(world.health(), {
      status: 'Degraded',
      message:
        'RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase failed: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    });
    assert.deepEqual(world.pods(), { 'demo:1': 2 });
    assert.equal(run.spec.terminate, true, 'the runs of the aborted update are terminated');

    world.retry();
    world.run();
    assert.equal(world.health().status, 'Progressing');
    assert.equal(world.rollout.status?.currentStepIndex, 1, 'back at the analysis step, waiting');
    addRun(world, 'Step', 'Successful', 1);
    world.run();
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
  });

  it('an Inconclusive run pauses; resuming terminates it and waits for a new run', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    const run = addRun(world, 'Step', 'Inconclusive', 1);
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'InconclusiveAnalysisRun' });
    // Argo CD's resume action: clear the pause conditions, nothing else.
    delete world.rollout.status?.pauseConditions;
    world.run();
    assert.equal(run.spec.terminate, true);
    assert.equal(world.health().status, 'Progressing');
    addRun(world, 'Step', 'Successful', 1);
    world.run();
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
  });
});

describe('canary › background analysis', () => {
  it('a Failed background run aborts the update', () => {
    const world = canaryWorld([{ setWeight: 50 }, { pause: {} }], { analysis: ANALYSIS });
    addRun(world, 'Background', 'Running');
    world.run();
    assert.deepEqual(world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus?.status, 'Running');
    setPhase(world.analysisRuns[0] as AnalysisRun, 'Error', 'timeout');
    world.run();
    assert.deepEqual(world.health(), {
      status: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error: timeout',
    });
  });
});

describe('canary › experiment step', () => {
  function addExperiment(world: World, phase: AnalysisPhase): Experiment {
    const hash = world.rollout.status?.currentPodHash ?? '';
    const experiment: Experiment = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Experiment',
      metadata: { name: `demo-${hash}-2-1`, labels: { 'rollouts-pod-template-hash': hash }, ownerReferences: owner(world) },
      spec: { templates: [] },
      status: { phase },
    };
    world.experiments.push(experiment);
    return experiment;
  }
  const steps: CanaryStep[] = [{ setWeight: 50 }, { experiment: { templates: [{ name: 'baseline', specRef: 'stable' }] } }];

  it('waits for the Experiment and completes when it is Successful', () => {
    const world = canaryWorld(steps);
    const experiment = addExperiment(world, 'Running');
    world.run();
    assert.equal(world.rollout.status?.canary?.currentExperiment, experiment.metadata?.name);
    setPhase(experiment, 'Successful');
    world.run();
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
  });

  it('a Failed Experiment aborts the update', () => {
    const world = canaryWorld(steps);
    addExperiment(world, 'Failed');
    world.run();
    assert.equal(world.rollout.status?.abort, true);
    assert.match(world.health().message, /Experiment analysis phase is failed$/);
  });
});

describe('blue-green › pre- and post-promotion analysis', () => {
  it('the switch waits for pre-promotion, the stable switch for post-promotion analysis', () => {
    const rollout = aRollout()
      .withReplicas(2)
      .withImage('demo:1')
      .withBlueGreen('demo-active', { prePromotionAnalysis: ANALYSIS, postPromotionAnalysis: ANALYSIS })
      .build();
    const world = new World(rollout, ['demo-active']);
    world.run();
    const v1 = world.rollout.status?.stableRS;
    world.setImage('demo:2');
    world.run();
    const v2 = world.rollout.status?.currentPodHash;
    assert.equal(world.selectorOf('demo-active'), v1, 'no switch before pre-promotion analysis');
    assert.deepEqual(world.health(), { status: 'Progressing', message: 'active service cutover pending' });

    const pre = addRun(world, 'PrePromotion', 'Running');
    world.run();
    assert.equal(world.rollout.status?.blueGreen?.prePromotionAnalysisRunStatus?.status, 'Running');
    setPhase(pre, 'Successful');
    world.run();
    assert.equal(world.selectorOf('demo-active'), v2);
    assert.equal(world.rollout.status?.stableRS, v1);
    assert.deepEqual(world.health(), { status: 'Progressing', message: 'waiting for analysis to complete' });
    assert.equal(world.rollout.status?.phase, 'Progressing');
    assert.equal(world.rollout.status?.message, 'waiting for analysis to complete');

    const post = addRun(world, 'PostPromotion', 'Running');
    world.run();
    assert.equal(world.rollout.status?.stableRS, v1);
    setPhase(post, 'Successful');
    world.run();
    assert.equal(world.rollout.status?.stableRS, v2);
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
  });

  it('a Failed post-promotion run aborts and points the active Service back at stable', () => {
    const rollout = aRollout().withReplicas(2).withImage('demo:1').withBlueGreen('demo-active', { postPromotionAnalysis: ANALYSIS }).build();
    const world = new World(rollout, ['demo-active']);
    world.run();
    const v1 = world.rollout.status?.stableRS;
    world.setImage('demo:2');
    world.run();
    assert.notEqual(world.selectorOf('demo-active'), v1);
    addRun(world, 'PostPromotion', 'Failed');
    world.run();
    assert.equal(world.selectorOf('demo-active'), v1);
    assert.match(world.health().message, /Blue\/green post-promotion analysis phase failed$/);
  });
});
