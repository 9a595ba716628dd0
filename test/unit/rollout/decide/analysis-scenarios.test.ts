// AnalysisRuns and Experiments created by the Rollout decision, replayed through their phases:
// the decision builds each run from the templates in the snapshot, waits on it, and reacts to
// the phase the AnalysisRun controller (here: the test) gives it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aClusterAnalysisTemplate, anAnalysisTemplate, aRollout } from '../../../fixtures/index.ts';
import type { AnalysisRun, CanaryStep, Metric, RolloutAnalysis } from '../../../../functions/api/index.ts';
import { World } from './world.ts';

const ANALYSIS: RolloutAnalysis = { templates: [{ templateName: 'success-rate' }] };
const HEALTHY = { status: 'Healthy', message: '' };

function canaryWorld(steps: CanaryStep[], extra: { analysis?: RolloutAnalysis & { startingStep?: number } } = {}, replicas = 2): World {
  const world = new World(aRollout().withReplicas(replicas).withImage('demo:1').withCanarySteps(steps, extra).build());
  world.analysisTemplates.push(anAnalysisTemplate().named('success-rate').build());
  world.run();
  world.setImage('demo:2');
  world.run();
  return world;
}

function names(runs: readonly AnalysisRun[]): string[] {
  return runs.map((r) => r.metadata?.name ?? '');
}

describe('canary › step analysis', () => {
  it('creates the run at the step (name, labels, annotations, owner, metrics, args), mirrors it, and completes the step when it is Successful', () => {
    const analysis: RolloutAnalysis = {
      templates: [{ templateName: 'success-rate' }, { templateName: 'latency', clusterScope: true }],
      args: [
        { name: 'service', value: 'demo-canary' },
        { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
        { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
        { name: 'app', valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } },
      ],
      dryRun: [{ metricName: 'latency' }],
      analysisRunMetadata: { labels: { owner: 'payments' }, annotations: { note: 'step' } },
    };
    const rollout = aRollout().withReplicas(2).withImage('demo:1').withLabels({ team: 'checkout' }).withCanarySteps([{ setWeight: 50 }, { analysis }]).build();
    const world = new World(rollout);
    world.analysisTemplates.push(
      anAnalysisTemplate()
        .named('success-rate')
        .withArgs({ name: 'service' }, { name: 'canary-hash' }, { name: 'stable-hash' }, { name: 'app' }, { name: 'threshold', value: '0.95' })
        .build(),
    );
    world.clusterAnalysisTemplates.push(aClusterAnalysisTemplate().named('latency').withMetrics(latencyMetric()).build());
    world.run();
    const v1 = world.rollout.status?.stableRS;
    world.setImage('demo:2');
    world.run();
    const v2 = world.rollout.status?.currentPodHash;

    assert.equal(world.rollout.status?.currentStepIndex, 1);
    assert.equal(world.analysisRuns.length, 1, 'exactly one run, created once');
    const run = world.analysisRuns[0]!;
    assert.equal(run.metadata?.name, `demo-${v2}-2-1`);
    assert.equal(run.metadata?.namespace, 'default');
    assert.deepEqual(run.metadata?.labels, {
      'rollouts-pod-template-hash': v2,
      'rollout-type': 'Step',
      'step-index': '1',
      owner: 'payments',
      app: 'demo',
    });
    assert.deepEqual(run.metadata?.annotations, { 'rollout.argoproj.io/revision': '2', note: 'step' });
    assert.deepEqual(run.metadata?.ownerReferences, [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'demo', uid: 'rollout-uid', controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(run.spec.metrics.map((m) => m.name), ['success-rate', 'latency']);
    assert.deepEqual(run.spec.args, [
      { name: 'service', value: 'demo-canary' },
      { name: 'canary-hash', value: v2 },
      { name: 'stable-hash', value: v1 },
      { name: 'app', value: 'checkout' },
      { name: 'threshold', value: '0.95' },
    ]);
    assert.deepEqual(run.spec.dryRun, [{ metricName: 'latency' }]);
    assert.deepEqual(world.rollout.status?.canary?.currentStepAnalysisRunStatus, { name: run.metadata?.name, status: 'Pending' });

    world.setPhase(run, 'Running');
    world.run();
    assert.deepEqual(world.rollout.status?.canary?.currentStepAnalysisRunStatus, { name: run.metadata?.name, status: 'Running' });
    assert.deepEqual(world.events.filter((e) => e.reason === 'AnalysisRunRunning'), [
      { type: 'Normal', reason: 'AnalysisRunRunning', message: `Step Analysis Run '${run.metadata?.name}' Status New: 'Running' Previous: 'Pending'` },
    ]);
    assert.equal(world.health().status, 'Progressing');

    world.setPhase(run, 'Successful');
    world.run();
    assert.deepEqual(world.health(), HEALTHY);
    assert.deepEqual(world.pods(), { 'demo:2': 2 });
    assert.equal(world.rollout.status?.canary?.currentStepAnalysisRunStatus, undefined);
    assert.equal(world.analysisRuns.length, 1, 'no run is created after the step');
    assert.ok(world.reasons().includes('AnalysisRunSuccessful'));
  });

  it('no run before the step is reached, and none on the initial deploy', () => {
    const world = new World(aRollout().withReplicas(4).withImage('demo:1').withCanarySteps([{ analysis: ANALYSIS }]).build());
    world.analysisTemplates.push(anAnalysisTemplate().build());
    world.run();
    assert.deepEqual(world.analysisRuns, [], 'initial deploy skips the steps');

    const later = canaryWorld([{ setWeight: 50 }, { pause: {} }, { analysis: ANALYSIS }]);
    assert.equal(later.rollout.status?.currentStepIndex, 1);
    assert.deepEqual(later.analysisRuns, []);
    later.promote();
    later.run();
    assert.deepEqual(names(later.analysisRuns), [`demo-${later.rollout.status?.currentPodHash}-2-2`]);
  });

  it('a Failed run aborts to Degraded and is terminated; retry creates a fresh run (<name>.1) which decides again', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    const first = world.currentRun('Step', 1);
    world.setPhase(first, 'Failed', 'Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)');
    world.run();
    assert.deepEqual(world.health(), {
      status: 'Degraded',
      message:
        'RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase failed: Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)',
    });
    assert.deepEqual(world.pods(), { 'demo:1': 2 });
    assert.equal(first.spec.terminate, true);
    assert.deepEqual(world.rollout.status?.canary?.currentStepAnalysisRunStatus?.status, 'Failed', 'the status still shows what failed');
    assert.equal(world.analysisRuns.length, 1, 'nothing is created while aborted');
    assert.ok(world.events.some((e) => e.type === 'Warning' && e.reason === 'AnalysisRunFailed'));

    world.retry();
    world.run();
    assert.equal(world.rollout.status?.currentStepIndex, 1);
    const second = world.currentRun('Step', 1);
    assert.equal(second.metadata?.name, `${first.metadata?.name}.1`);
    world.setPhase(second, 'Successful');
    world.run();
    assert.deepEqual(world.health(), HEALTHY);
  });

  it('Error aborts like Failed', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    world.setPhase(world.currentRun('Step', 1), 'Error', 'Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4)');
    world.run();
    assert.equal(world.health().status, 'Degraded');
    assert.match(world.health().message, /Step-based analysis phase error: Metric "success-rate" assessed Error/);
  });

  it('Inconclusive pauses (no scaling); a resume that clears the pause conditions replaces the run; the new one decides', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    const first = world.currentRun('Step', 1);
    world.setPhase(first, 'Inconclusive');
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'InconclusiveAnalysisRun' });
    assert.deepEqual(world.rollout.status?.pauseConditions?.map((c) => c.reason), ['InconclusiveAnalysisRun']);
    assert.equal(world.rollout.status?.controllerPause, true);

    // Argo CD's resume action: clear the pause conditions, nothing else.
    delete world.rollout.status?.pauseConditions;
    world.reconcile();
    assert.equal(first.spec.terminate, true, 'the inconclusive run is terminated');
    const second = world.currentRun('Step', 1);
    assert.equal(second.metadata?.name, `${first.metadata?.name}.1`, 'and a new one created in the same pass');
    world.settle();
    world.run();
    assert.equal(world.health().status, 'Progressing');
    world.setPhase(second, 'Successful');
    world.run();
    assert.deepEqual(world.health(), HEALTHY);
  });

  it('Inconclusive, then promote as the CLI does (controllerPause false, next step): the step is skipped, no new run', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }, { pause: {} }]);
    world.setPhase(world.currentRun('Step', 1), 'Inconclusive');
    world.run();
    assert.equal(world.health().status, 'Suspended');
    const status = world.rollout.status!;
    delete status.pauseConditions;
    status.controllerPause = false;
    status.currentStepIndex = 2;
    world.run();
    assert.equal(world.analysisRuns.length, 1);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
  });

  it('promote --full terminates the running step run and promotes', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    const run = world.currentRun('Step', 1);
    world.setPhase(run, 'Running');
    world.run();
    world.promoteFull();
    world.run();
    assert.equal(run.spec.terminate, true);
    assert.deepEqual(world.health(), HEALTHY);
    assert.equal(world.analysisRuns.length, 1);
  });

  it('a user promote past a running step run terminates it', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }, { pause: {} }]);
    const run = world.currentRun('Step', 1);
    world.setPhase(run, 'Running');
    world.run();
    world.promote();
    world.run();
    assert.equal(run.spec.terminate, true);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
  });

  it('a new template mid-analysis starts over: the next run belongs to the new hash and revision', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    const first = world.currentRun('Step', 1);
    world.setPhase(first, 'Running');
    world.run();
    world.setImage('demo:3');
    world.run();
    const v3 = world.rollout.status?.currentPodHash;
    const latest = world.currentRun('Step', 1);
    assert.equal(latest.metadata?.name, `demo-${v3}-3-1`);
    assert.equal(world.rollout.status?.canary?.currentStepAnalysisRunStatus?.name, latest.metadata?.name);
  });

  it('the --instance-id label of the Rollout is copied onto its runs', () => {
    const rollout = aRollout().withReplicas(2).withImage('demo:1').withLabels({ 'argo-rollouts.argoproj.io/controller-instance-id': 'shard-a' }).withCanarySteps([{ setWeight: 50 }, { analysis: ANALYSIS }]).build();
    const world = new World(rollout);
    world.analysisTemplates.push(anAnalysisTemplate().build());
    world.run();
    world.setImage('demo:2');
    world.run();
    assert.equal(world.currentRun('Step', 1).metadata?.labels?.['argo-rollouts.argoproj.io/controller-instance-id'], 'shard-a');
  });
});

function latencyMetric(): Metric {
  return { name: 'latency', successCondition: 'result < 300', provider: { web: { url: 'http://metrics.example/latency' } } };
}

describe('canary › templates that are missing or cannot make a run', () => {
  it('a missing AnalysisTemplate is InvalidSpec (Degraded, nothing done); it recovers once the template exists', () => {
    const world = new World(aRollout().withReplicas(2).withImage('demo:1').withCanarySteps([{ setWeight: 50 }, { analysis: ANALYSIS }]).build());
    const decision = world.reconcile();
    assert.deepEqual(decision.actions, []);
    assert.equal(decision.requeueAfterMs, 20_000);
    assert.deepEqual(world.health(), {
      status: 'Degraded',
      message:
        'InvalidSpec: The Rollout "demo" is invalid: spec.strategy.canary.steps[1].analysis.templates[0].templateName: Invalid value: "success-rate": AnalysisTemplate \'success-rate\' not found',
    });
    world.analysisTemplates.push(anAnalysisTemplate().build());
    world.run();
    assert.deepEqual(world.health(), HEALTHY);
  });

  it('a missing ClusterAnalysisTemplate, a template nested in another, and a background analysis are checked too', () => {
    const cluster = new World(
      aRollout().withCanarySteps([{ setWeight: 50 }], { analysis: { templates: [{ templateName: 'global', clusterScope: true }] } }).build(),
    );
    cluster.reconcile();
    assert.match(cluster.health().message, /spec\.strategy\.canary\.analysis\.templates\[0\]\.templateName: Invalid value: "global": ClusterAnalysisTemplate 'global' not found$/);

    const nested = new World(aRollout().withCanarySteps([{ analysis: ANALYSIS }]).build());
    nested.analysisTemplates.push(anAnalysisTemplate().withSpec({ templates: [{ templateName: 'base' }] }).build());
    nested.reconcile();
    assert.match(nested.health().message, /spec\.strategy\.canary\.steps\[0\]\.analysis\.templates: Invalid value: \["success-rate"\]: AnalysisTemplate 'base' not found$/);
  });

  it('an arg no one gives a value, and a step metric that would never end, are InvalidSpec', () => {
    const unresolved = new World(aRollout().withCanarySteps([{ analysis: ANALYSIS }]).build());
    unresolved.analysisTemplates.push(anAnalysisTemplate().withArgs({ name: 'service' }).build());
    unresolved.reconcile();
    assert.match(unresolved.health().message, /spec\.strategy\.canary\.steps\[0\]\.analysis: Invalid value: \["success-rate"\]: args\.service was not resolved$/);

    const endless = new World(aRollout().withCanarySteps([{ analysis: ANALYSIS }]).build());
    endless.analysisTemplates.push(anAnalysisTemplate().withMetrics({ ...latencyMetric(), interval: '1m' }).build());
    endless.reconcile();
    assert.match(endless.health().message, /AnalysisTemplate success-rate has metric latency which runs indefinitely\. Invalid value for count: <nil>$/);

    // The same template is fine for background analysis, which runs until the update ends.
    const background = new World(aRollout().withCanarySteps([{ setWeight: 50 }], { analysis: ANALYSIS }).build());
    background.analysisTemplates.push(anAnalysisTemplate().withMetrics({ ...latencyMetric(), interval: '1m' }).build());
    background.run();
    assert.deepEqual(background.health(), HEALTHY);
  });

  it('a Stable hash arg gets the stable ReplicaSet\'s hash', () => {
    const analysis: RolloutAnalysis = { ...ANALYSIS, args: [{ name: 'stable', valueFrom: { podTemplateHashValue: 'Stable' } }] };
    const world = new World(aRollout().withReplicas(2).withImage('demo:1').withCanarySteps([{ setWeight: 50 }, { analysis }]).build());
    world.analysisTemplates.push(anAnalysisTemplate().withArgs({ name: 'stable' }).build());
    world.run();
    world.setImage('demo:2');
    world.run();
    assert.deepEqual(world.currentRun('Step', 1).spec.args, [{ name: 'stable', value: world.rollout.status?.stableRS }]);
  });
});

describe('canary › background analysis', () => {
  it('starts at startingStep, runs beside the steps, and a Failed run aborts the update mid-rollout', () => {
    const world = canaryWorld([{ setWeight: 25 }, { pause: {} }, { setWeight: 75 }, { pause: {} }], { analysis: { ...ANALYSIS, startingStep: 1 } }, 4);
    assert.equal(world.rollout.status?.currentStepIndex, 1);
    const run = world.currentRun('Background');
    assert.equal(run.metadata?.name, `demo-${world.rollout.status?.currentPodHash}-2`);
    assert.equal(run.metadata?.labels?.['rollout-type'], 'Background');
    assert.equal(run.metadata?.labels?.['step-index'], undefined);
    world.setPhase(run, 'Running');
    world.promote();
    world.run();
    assert.equal(world.rollout.status?.currentStepIndex, 3);
    assert.deepEqual(world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus, { name: run.metadata?.name, status: 'Running' });
    assert.deepEqual(world.pods(), { 'demo:1': 1, 'demo:2': 3 });

    world.setPhase(run, 'Failed', 'Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)');
    world.run();
    assert.deepEqual(world.health(), {
      status: 'Degraded',
      message:
        'RolloutAborted: Rollout aborted update to revision 2: Background analysis phase failed: Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)',
    });
    assert.deepEqual(world.pods(), { 'demo:1': 4 });
    assert.equal(world.analysisRuns.length, 1);
  });

  it('is not created before startingStep', () => {
    const world = canaryWorld([{ setWeight: 50 }, { pause: {} }, { setWeight: 75 }], { analysis: { ...ANALYSIS, startingStep: 2 } });
    assert.deepEqual(world.analysisRuns, []);
    world.promote();
    world.run();
    assert.equal(world.runsOf('Background').length, 1);
  });

  it('a still-running background run is terminated when the rollout completes', () => {
    const world = canaryWorld([{ setWeight: 50 }, { pause: {} }], { analysis: ANALYSIS });
    const run = world.currentRun('Background');
    world.setPhase(run, 'Running');
    world.promote();
    world.run();
    assert.deepEqual(world.health(), HEALTHY);
    assert.equal(run.spec.terminate, true);
    // The mirror keeps following the run until it ends.
    world.setPhase(run, 'Successful', 'Run Terminated');
    world.run();
    assert.deepEqual(world.rollout.status?.canary?.currentBackgroundAnalysisRunStatus, { name: run.metadata?.name, status: 'Successful', message: 'Run Terminated' });
  });

  it('Inconclusive pauses; a resume replaces it with a new background run', () => {
    const world = canaryWorld([{ setWeight: 50 }, { pause: {} }, { setWeight: 75 }, { pause: {} }], { analysis: ANALYSIS }, 4);
    const first = world.currentRun('Background');
    world.setPhase(first, 'Inconclusive');
    world.run();
    assert.deepEqual(world.rollout.status?.pauseConditions?.map((c) => c.reason).sort(), ['CanaryPauseStep', 'InconclusiveAnalysisRun']);
    delete world.rollout.status?.pauseConditions;
    world.run();
    assert.equal(first.spec.terminate, true);
    assert.equal(world.currentRun('Background').metadata?.name, `${first.metadata?.name}.1`);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' }, 'the resume also ended the pause step');
    assert.equal(world.rollout.status?.currentStepIndex, 3);
  });
});

describe('canary › experiment step', () => {
  const steps: CanaryStep[] = [
    { setWeight: 50 },
    {
      experiment: {
        duration: '10m',
        templates: [
          { name: 'baseline', specRef: 'stable', replicas: 1, metadata: { labels: { role: 'baseline' } } },
          { name: 'canary', specRef: 'canary', service: { name: 'canary-preview' } },
        ],
        analyses: [
          { name: 'compare', templateName: 'success-rate', requiredForCompletion: true, args: [{ name: 'baseline-hash', valueFrom: { podTemplateHashValue: 'Stable' } }] },
        ],
        scaleDownDelaySeconds: 5,
      },
    },
  ];

  function experimentWorld(): World {
    const world = new World(aRollout().withReplicas(2).withImage('demo:1').withCanarySteps(steps).withSpec({ progressDeadlineSeconds: 300 }).build());
    world.analysisTemplates.push(anAnalysisTemplate().withArgs({ name: 'baseline-hash' }).build());
    world.run();
    world.setImage('demo:2');
    world.run();
    return world;
  }

  it('creates the Experiment from the stable and canary ReplicaSets and completes the step when it is Successful', () => {
    const world = experimentWorld();
    const v1 = world.rollout.status?.stableRS;
    const v2 = world.rollout.status?.currentPodHash;
    assert.equal(world.experiments.length, 1);
    const experiment = world.experiments[0]!;
    assert.equal(experiment.metadata?.name, `demo-${v2}-2-1`);
    assert.deepEqual(experiment.metadata?.labels, { 'rollouts-pod-template-hash': v2 });
    assert.deepEqual(experiment.metadata?.annotations, { 'rollout.argoproj.io/revision': '2' });
    assert.equal(experiment.metadata?.ownerReferences?.[0]?.kind, 'Rollout');
    assert.equal(experiment.metadata?.ownerReferences?.[0]?.controller, true);
    assert.equal(experiment.spec.duration, '10m');
    assert.equal(experiment.spec.progressDeadlineSeconds, 300);
    assert.equal(experiment.spec.scaleDownDelaySeconds, 5);
    const [baseline, canary] = experiment.spec.templates;
    assert.equal(baseline?.template.spec?.containers[0]?.image, 'demo:1');
    assert.equal(baseline?.template.metadata?.labels?.['role'], 'baseline');
    assert.equal(baseline?.selector.matchLabels?.['role'], 'baseline');
    assert.equal(baseline?.selector.matchLabels?.['rollouts-pod-template-hash'], v1);
    assert.equal(baseline?.replicas, 1);
    assert.equal(canary?.template.spec?.containers[0]?.image, 'demo:2');
    assert.deepEqual(canary?.service, { name: 'canary-preview' });
    assert.deepEqual(experiment.spec.analyses, [
      { name: 'compare', templateName: 'success-rate', args: [{ name: 'baseline-hash', value: v1 }], requiredForCompletion: true },
    ]);
    assert.equal(world.rollout.status?.canary?.currentExperiment, experiment.metadata?.name);

    world.setPhase(experiment, 'Running');
    world.run();
    assert.equal(world.health().status, 'Progressing');
    world.setPhase(experiment, 'Successful');
    world.run();
    assert.deepEqual(world.health(), HEALTHY);
    assert.equal(world.rollout.status?.canary?.currentExperiment, undefined);
    assert.equal(world.experiments.length, 1);
  });

  it('a Failed Experiment aborts; after retry a new Experiment (<name>-1) is created', () => {
    const world = experimentWorld();
    const first = world.experiments[0]!;
    world.setPhase(first, 'Failed', 'Template baseline exceeded its progressDeadlineSeconds');
    world.run();
    assert.equal(world.health().status, 'Degraded');
    assert.match(world.health().message, /Experiment analysis phase is failed: Template baseline/);
    assert.equal(first.spec.terminate, true);
    world.retry();
    world.run();
    assert.deepEqual(world.experiments.map((e) => e.metadata?.name), [first.metadata?.name, `${first.metadata?.name}-1`]);
  });

  it('Inconclusive pauses with InconclusiveExperiment', () => {
    const world = experimentWorld();
    world.setPhase(world.experiments[0]!, 'Inconclusive');
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'InconclusiveExperiment' });
  });

  it('a template weight without traffic routing is InvalidSpec', () => {
    const world = new World(
      aRollout().withCanarySteps([{ experiment: { templates: [{ name: 'canary', specRef: 'canary', weight: 10 }] } }]).build(),
    );
    world.reconcile();
    assert.equal(
      world.health().message,
      'InvalidSpec: The Rollout "demo" is invalid: spec.strategy.canary.steps[0].experiment.templates[0].weight: Invalid value: 10: Experiment template weight cannot be set unless TrafficRouting is enabled',
    );
  });
});

describe('blue-green › pre- and post-promotion analysis', () => {
  function blueGreenWorld(extra: Parameters<ReturnType<typeof aRollout>['withBlueGreen']>[1]): World {
    const world = new World(aRollout().withReplicas(2).withImage('demo:1').withBlueGreen('demo-active', extra).build(), ['demo-active', 'demo-preview']);
    world.analysisTemplates.push(anAnalysisTemplate().build());
    world.run();
    return world;
  }

  it('pre-promotion starts when the preview is up and blocks the switch until Successful; post-promotion blocks the stable switch', () => {
    const world = blueGreenWorld({ previewService: 'demo-preview', prePromotionAnalysis: ANALYSIS, postPromotionAnalysis: ANALYSIS });
    assert.deepEqual(world.analysisRuns, [], 'no analysis on the initial deploy');
    const v1 = world.rollout.status?.stableRS;
    world.setImage('demo:2');
    const first = world.reconcile();
    assert.ok(!first.actions.some((a) => a.kind === 'createAnalysisRun'), 'not before the new ReplicaSet is up');
    world.settle();
    world.run();
    const v2 = world.rollout.status?.currentPodHash;
    const pre = world.currentRun('PrePromotion');
    assert.equal(pre.metadata?.name, `demo-${v2}-2-pre`);
    assert.equal(world.selectorOf('demo-active'), v1);
    assert.equal(world.selectorOf('demo-preview'), v2);
    world.setPhase(pre, 'Running');
    world.run();
    assert.deepEqual(world.rollout.status?.blueGreen?.prePromotionAnalysisRunStatus, { name: pre.metadata?.name, status: 'Running' });
    assert.equal(world.selectorOf('demo-active'), v1, 'no switch while it runs');

    world.setPhase(pre, 'Successful');
    world.run();
    assert.equal(world.selectorOf('demo-active'), v2);
    const post = world.currentRun('PostPromotion');
    assert.equal(post.metadata?.name, `demo-${v2}-2-post`);
    assert.equal(world.rollout.status?.stableRS, v1);
    assert.deepEqual(world.health(), { status: 'Progressing', message: 'waiting for analysis to complete' });
    world.setPhase(post, 'Successful');
    world.run();
    assert.equal(world.rollout.status?.stableRS, v2);
    assert.deepEqual(world.health(), HEALTHY);
    assert.equal(world.analysisRuns.length, 2);
  });

  it('with previewReplicaCount the pre-promotion run starts at the preview size', () => {
    const world = blueGreenWorld({ previewReplicaCount: 1, prePromotionAnalysis: ANALYSIS });
    world.setImage('demo:2');
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:2': 1 });
    world.setPhase(world.currentRun('PrePromotion'), 'Successful');
    world.run();
    assert.deepEqual(world.health(), HEALTHY);
    assert.deepEqual(world.pods(), { 'demo:2': 2, 'demo:1': 2 }, 'the old one waits out its scale-down delay');
  });

  it('a Failed pre-promotion run aborts; the active Service never moves; retry runs a new one', () => {
    const world = blueGreenWorld({ prePromotionAnalysis: ANALYSIS });
    const v1 = world.rollout.status?.stableRS;
    world.setImage('demo:2');
    world.run();
    const pre = world.currentRun('PrePromotion');
    world.setPhase(pre, 'Failed', 'boom');
    world.run();
    assert.equal(world.selectorOf('demo-active'), v1);
    assert.deepEqual(world.health(), {
      status: 'Degraded',
      message: 'RolloutAborted: Rollout aborted update to revision 2: Blue/green pre-promotion analysis phase failed: boom',
    });
    world.retry();
    world.run();
    assert.equal(world.currentRun('PrePromotion').metadata?.name, `${pre.metadata?.name}.1`);
  });

  it('an Inconclusive pre-promotion run pauses; a resume replaces it', () => {
    const world = blueGreenWorld({ prePromotionAnalysis: ANALYSIS });
    world.setImage('demo:2');
    world.run();
    const pre = world.currentRun('PrePromotion');
    world.setPhase(pre, 'Inconclusive');
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'InconclusiveAnalysisRun' });
    world.promote();
    world.run();
    assert.equal(pre.spec.terminate, true);
    world.setPhase(world.currentRun('PrePromotion'), 'Successful');
    world.run();
    assert.deepEqual(world.health(), HEALTHY);
  });

  it('promote --full skips pre-promotion analysis and terminates the running run', () => {
    const world = blueGreenWorld({ prePromotionAnalysis: ANALYSIS });
    world.setImage('demo:2');
    world.run();
    const pre = world.currentRun('PrePromotion');
    world.setPhase(pre, 'Running');
    world.promoteFull();
    world.run();
    assert.equal(pre.spec.terminate, true);
    assert.deepEqual(world.health(), HEALTHY);
  });

  it('a Failed post-promotion run aborts and points the active Service back at stable', () => {
    const world = blueGreenWorld({ postPromotionAnalysis: ANALYSIS });
    const v1 = world.rollout.status?.stableRS;
    world.setImage('demo:2');
    world.run();
    assert.notEqual(world.selectorOf('demo-active'), v1);
    world.setPhase(world.currentRun('PostPromotion'), 'Failed');
    world.run();
    assert.equal(world.selectorOf('demo-active'), v1);
    assert.match(world.health().message, /Blue\/green post-promotion analysis phase failed$/);
  });
});

describe('history limits', () => {
  it('completed runs beyond successfulRunHistoryLimit / unsuccessfulRunHistoryLimit are deleted, newest kept; they never pile up', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    world.rollout.spec.analysis = { successfulRunHistoryLimit: 1, unsuccessfulRunHistoryLimit: 2 };
    for (let attempt = 0; attempt < 6; attempt++) {
      world.advance(10);
      world.setPhase(world.currentRun('Step', 1), 'Failed');
      world.run();
      world.retry();
      world.run();
      const failed = world.analysisRuns.filter((r) => r.status?.phase === 'Failed');
      assert.ok(failed.length <= 2, `at most 2 unsuccessful runs kept, saw ${failed.length}`);
    }
    // The two newest failures and the current (not yet measured) run; freed names are used again.
    assert.equal(world.analysisRuns.length, 3, names(world.analysisRuns).join(', '));
    assert.equal(world.analysisRuns.filter((r) => r.status?.phase === undefined).length, 1);
    world.setPhase(world.currentRun('Step', 1), 'Successful');
    world.run();
    assert.deepEqual(world.health(), HEALTHY);

    // Five more updates, each with a Successful run: only the newest one is kept.
    for (let revision = 3; revision <= 7; revision++) {
      world.advance(10);
      world.setImage(`demo:${revision}`);
      world.run();
      world.setPhase(world.currentRun('Step', 1), 'Successful');
      world.run();
      assert.ok(world.analysisRuns.filter((r) => r.status?.phase === 'Successful').length <= 1);
    }
    assert.equal(world.analysisRuns.filter((r) => r.status?.phase === 'Successful').length, 1);
    assert.ok(world.analysisRuns.length <= 3);
  });

  it('default limits keep 5 and 5; running runs are never deleted', () => {
    const world = canaryWorld([{ setWeight: 50 }, { analysis: ANALYSIS }]);
    for (let attempt = 0; attempt < 8; attempt++) {
      world.advance(10);
      world.setPhase(world.currentRun('Step', 1), 'Inconclusive');
      world.run();
      delete world.rollout.status?.pauseConditions;
      world.run();
    }
    assert.equal(world.analysisRuns.filter((r) => r.status?.phase === 'Inconclusive').length, 5);
    assert.equal(world.analysisRuns.filter((r) => r.status?.phase === undefined).length, 1, 'the current one is kept');
  });
});
