// Experiment analyses: AnalysisRuns created once the templates are available, their phase
// mirrored, requiredForCompletion, and how they end the experiment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anAnalysisTemplate, anExperiment, aClusterAnalysisTemplate } from '../../fixtures/index.ts';
import type { AnalysisPhase, AnalysisRun } from '../../../functions/api/index.ts';
import { World } from './world.ts';

const TEMPLATE = anAnalysisTemplate().named('smoke').build();
const RUN = 'demo-experiment-smoke';

function analysisWorld(extra: { required?: boolean; duration?: string; templates?: string[] } = {}): World {
  let builder = anExperiment().withDuration(extra.duration);
  for (const t of extra.templates ?? ['baseline']) builder = builder.withTemplate(t);
  builder = builder.withAnalysis('smoke', 'smoke', extra.required ? { requiredForCompletion: true } : {});
  return new World(builder.build(), [TEMPLATE]);
}

function createdRun(world: World): AnalysisRun | undefined {
  const action = world.applied.find((a) => a.kind === 'createAnalysisRun');
  return action?.kind === 'createAnalysisRun' ? action.analysisRun : undefined;
}

describe('experiment analyses › starting', () => {
  it('no run before every template is available; then <experiment>-<analysis>, owned by the Experiment', () => {
    const world = analysisWorld();
    world.reconcile();
    assert.equal(createdRun(world), undefined);
    assert.deepEqual(world.status.analysisRuns, [{ name: 'smoke', analysisRun: '', phase: 'Pending' }]);
    world.settle();
    world.reconcile();
    const run = createdRun(world);
    assert.equal(run?.metadata?.name, RUN);
    assert.equal(run?.metadata?.namespace, 'default');
    assert.deepEqual(run?.metadata?.ownerReferences, [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', name: 'demo-experiment', uid: 'experiment-uid', controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(run?.spec.metrics, TEMPLATE.spec.metrics);
    assert.deepEqual(world.status.analysisRuns, [{ name: 'smoke', analysisRun: RUN, phase: 'Pending' }]);
    assert.equal(world.status.phase, 'Running');
    assert.ok(world.events.some((e) => e.reason === 'AnalysisRunPending' && e.message === "AnalysisRun 'smoke' transitioned from  -> Pending" && e.alsoOnOwnerRollout));
  });

  it('the run gets dryRun, measurementRetention, analysisRunMetadata and the instance-id label', () => {
    const experiment = anExperiment()
      .withAnalysis('smoke', 'smoke')
      .withSpec({
        dryRun: [{ metricName: 'success-rate' }],
        measurementRetention: [{ metricName: '.*', limit: 3 }],
        analysisRunMetadata: { labels: { team: 'a' }, annotations: { note: 'x' } },
      })
      .build();
    experiment.metadata = { ...experiment.metadata, labels: { 'argo-rollouts.argoproj.io/controller-instance-id': 'shard-1' } };
    const world = new World(experiment, [TEMPLATE]);
    world.step();
    const run = createdRun(world);
    assert.deepEqual(run?.metadata?.labels, { 'argo-rollouts.argoproj.io/controller-instance-id': 'shard-1', team: 'a' });
    assert.deepEqual(run?.metadata?.annotations, { note: 'x' });
    assert.deepEqual(run?.spec.dryRun, [{ metricName: 'success-rate' }]);
    assert.deepEqual(run?.spec.measurementRetention, [{ metricName: '.*', limit: 3 }]);
  });

  it('args resolve the experiment placeholders; fieldRef reads the Experiment; secretKeyRef is passed on', () => {
    const template = anAnalysisTemplate()
      .named('smoke')
      .withArgs({ name: 'hash' }, { name: 'rs' }, { name: 'from' }, { name: 'until' }, { name: 'team' }, { name: 'token' })
      .build();
    const experiment = anExperiment()
      .withDuration('5m')
      .withAnalysis('smoke', 'smoke', {
        args: [
          { name: 'hash', value: '{{ templates.baseline.podTemplateHash }}' },
          { name: 'rs', value: 'rs={{templates.baseline.replicaset.name}}' },
          { name: 'from', value: '{{experiment.availableAt}}' },
          { name: 'until', value: '{{experiment.finishedAt}}' },
          { name: 'team', valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } },
          { name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
      })
      .build();
    experiment.metadata = { ...experiment.metadata, labels: { team: 'payments' } };
    const world = new World(experiment, [template]);
    world.advance(7);
    world.step();
    const hash = world.rs('demo-experiment-baseline').labels?.['rollouts-pod-template-hash'];
    assert.deepEqual(createdRun(world)?.spec.args, [
      { name: 'hash', value: hash },
      { name: 'rs', value: 'rs=demo-experiment-baseline' },
      { name: 'from', value: '2026-01-01T00:00:07Z' },
      { name: 'until', value: '2026-01-01T00:05:07Z' },
      { name: 'team', value: 'payments' },
      { name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ]);
  });

  const broken: Array<{ name: string; arrange: (w: World) => void; message: string }> = [
    {
      name: 'a missing AnalysisTemplate is an Error before the templates are even available',
      arrange: (w) => {
        w.analysisTemplates = [];
      },
      message: "AnalysisTemplate verification failed for analysis 'smoke': AnalysisTemplate 'smoke' not found",
    },
    {
      name: 'a missing ClusterAnalysisTemplate',
      arrange: (w) => {
        w.experiment.spec.analyses![0]!.clusterScope = true;
      },
      message: "ClusterAnalysisTemplate verification failed for analysis 'smoke': ClusterAnalysisTemplate 'smoke' not found",
    },
  ];
  for (const c of broken) {
    it(`${c.name} → the analysis and the experiment are Error`, () => {
      const world = analysisWorld({ duration: '1h' });
      c.arrange(world);
      world.step();
      assert.deepEqual(world.status.analysisRuns, [{ name: 'smoke', analysisRun: '', phase: 'Error', message: c.message }]);
      assert.equal(world.status.phase, 'Error');
      assert.equal(world.status.message, c.message);
      assert.equal(createdRun(world), undefined);
      assert.ok(world.events.some((e) => e.reason === 'AnalysisRunError' && e.type === 'Warning'));
    });
  }

  it('a ClusterAnalysisTemplate is found with clusterScope', () => {
    const world = analysisWorld();
    world.experiment.spec.analyses![0]!.clusterScope = true;
    world.clusterAnalysisTemplates = [aClusterAnalysisTemplate().named('smoke').build()];
    world.step();
    assert.equal(createdRun(world)?.metadata?.name, RUN);
  });

  const argProblems: Array<{ name: string; value: string; detail: string }> = [
    { name: 'an unknown template', value: '{{templates.nope.podTemplateHash}}', detail: 'argument "x": failed to resolve {{templates.nope.podTemplateHash}}: the experiment has no template "nope"' },
    { name: 'finishedAt without a duration', value: '{{experiment.finishedAt}}', detail: 'argument "x": failed to resolve {{experiment.finishedAt}}: the experiment has no spec.duration' },
    { name: 'an unknown placeholder', value: '{{args.y}}', detail: 'argument "x": failed to resolve {{args.y}}' },
  ];
  for (const c of argProblems) {
    it(`an arg with ${c.name} → the analysis is Error, no run`, () => {
      const world = new World(anExperiment().withDuration(undefined).withAnalysis('smoke', 'smoke', { args: [{ name: 'x', value: c.value }] }).build(), [
        anAnalysisTemplate().named('smoke').withArgs({ name: 'x' }).build(),
      ]);
      world.step();
      assert.equal(world.status.analysisRuns?.[0]?.phase, 'Error');
      assert.equal(world.status.analysisRuns?.[0]?.message, `Failed to create AnalysisRun for analysis 'smoke': ${c.detail}`);
      assert.equal(createdRun(world), undefined);
    });
  }

  it('a template arg nobody gives → Error "args.x was not resolved"', () => {
    const world = new World(anExperiment().withAnalysis('smoke', 'smoke').build(), [anAnalysisTemplate().named('smoke').withArgs({ name: 'x' }).build()]);
    world.step();
    assert.equal(world.status.analysisRuns?.[0]?.message, "Failed to create AnalysisRun for analysis 'smoke': args.x was not resolved");
  });

  it('a run name taken by a run the experiment does not control → <name>.1', () => {
    const world = analysisWorld();
    world.analysisRuns.push({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: { name: RUN, namespace: 'default' }, spec: { metrics: [] } });
    world.step();
    assert.equal(createdRun(world)?.metadata?.name, `${RUN}.1`);
    assert.equal(world.status.analysisRuns?.[0]?.analysisRun, `${RUN}.1`);
  });

  it('a run created but not yet recorded in status (the status write was lost) is found again, not created twice', () => {
    const world = analysisWorld();
    world.step();
    world.experiment.status!.analysisRuns = [{ name: 'smoke', analysisRun: '', phase: 'Pending' }];
    const decision = world.reconcile();
    assert.equal(decision.actions.length, 0);
    assert.equal(world.status.analysisRuns?.[0]?.analysisRun, RUN);
  });

  it('a recorded run that disappeared → Error', () => {
    const world = analysisWorld();
    world.step();
    world.analysisRuns = [];
    world.step();
    assert.deepEqual(world.status.analysisRuns?.[0], { name: 'smoke', analysisRun: RUN, phase: 'Error', message: `AnalysisRun "${RUN}" no longer exists` });
    assert.equal(world.status.phase, 'Error');
  });
});

describe('experiment analyses › outcome', () => {
  const outcomes: Array<{ name: string; required: boolean; duration?: string; run: AnalysisPhase; passDuration?: boolean; phase: string; message?: string }> = [
    { name: 'a run still running, no duration', required: false, run: 'Running', phase: 'Running' },
    { name: 'a successful run, not required, no duration: runs on until terminated', required: false, run: 'Successful', phase: 'Running' },
    { name: 'a successful required run ends the experiment', required: true, run: 'Successful', phase: 'Successful', message: 'Required AnalysisRuns completed' },
    { name: 'a failed run fails the experiment', required: false, run: 'Failed', phase: 'Failed', message: 'metric failed' },
    { name: 'an errored run', required: false, run: 'Error', phase: 'Error', message: 'metric failed' },
    { name: 'an inconclusive run', required: false, run: 'Inconclusive', phase: 'Inconclusive', message: 'metric failed' },
    { name: 'a failed required run', required: true, run: 'Failed', phase: 'Failed', message: 'metric failed' },
    { name: 'the duration passed, a non-required run still running: Successful', required: false, duration: '10s', run: 'Running', passDuration: true, phase: 'Successful' },
    { name: 'the duration passed, a required run still running: Running until it ends', required: true, duration: '10s', run: 'Running', passDuration: true, phase: 'Running' },
    { name: 'the duration passed, a non-required run failed', required: false, duration: '10s', run: 'Failed', passDuration: true, phase: 'Failed', message: 'metric failed' },
  ];
  for (const c of outcomes) {
    it(`${c.name} → ${c.phase}`, () => {
      const world = analysisWorld({ required: c.required, ...(c.duration ? { duration: c.duration } : {}) });
      world.step();
      world.setRunPhase(RUN, c.run, c.run === 'Running' || c.run === 'Successful' ? undefined : 'metric failed');
      if (c.passDuration) world.advance(10);
      world.reconcile();
      assert.equal(world.status.phase, c.phase);
      assert.equal(world.status.message, c.message);
      assert.equal(world.status.analysisRuns?.[0]?.phase, c.run);
    });
  }

  it('requiredForCompletion keeps the ReplicaSets running past the duration until the run ends, then scales down', () => {
    const world = analysisWorld({ required: true, duration: '10s' });
    world.experiment.spec.scaleDownDelaySeconds = 0;
    world.step();
    world.setRunPhase(RUN, 'Running');
    world.advance(60);
    world.step();
    assert.equal(world.status.phase, 'Running');
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Successful');
    assert.equal(world.rs('demo-experiment-baseline').replicas, 1);
    world.setRunPhase(RUN, 'Successful');
    world.step();
    assert.equal(world.status.phase, 'Successful');
    assert.equal(world.status.message, 'Required AnalysisRuns completed');
    assert.equal(world.rs('demo-experiment-baseline').replicas, 0);
  });

  it('a run that fails terminates the other runs and ends the experiment', () => {
    const world = new World(
      anExperiment().withDuration(undefined).withAnalysis('a', 'smoke').withAnalysis('b', 'smoke').build(),
      [TEMPLATE],
    );
    world.step();
    world.setRunPhase('demo-experiment-a', 'Failed', 'too many errors');
    world.setRunPhase('demo-experiment-b', 'Running');
    const decision = world.reconcile();
    assert.equal(world.status.phase, 'Failed');
    assert.equal(world.status.message, 'too many errors');
    assert.deepEqual(decision.actions.filter((a) => a.kind === 'terminateAnalysisRun'), [{ kind: 'terminateAnalysisRun', analysis: 'b', name: 'demo-experiment-b' }]);
    assert.ok(world.events.some((e) => e.reason === 'AnalysisRunFailed' && e.type === 'Warning' && e.message === "AnalysisRun 'a' transitioned from Pending -> Failed: too many errors"));
    assert.ok(world.events.some((e) => e.reason === 'ExperimentFailed' && e.type === 'Warning'));
    world.finishTerminatedRuns();
    world.step();
    assert.equal(world.status.analysisRuns?.[1]?.phase, 'Successful', 'the terminated run\'s end is still mirrored');
    assert.equal(world.status.phase, 'Failed', 'and does not change the final phase');
  });

  it('terminate: running runs get spec.terminate; with a required run the experiment ends when that run does', () => {
    const world = analysisWorld({ required: true });
    world.step();
    world.setRunPhase(RUN, 'Running');
    world.experiment.spec.terminate = true;
    const decision = world.reconcile();
    assert.deepEqual(decision.actions.filter((a) => a.kind === 'terminateAnalysisRun'), [{ kind: 'terminateAnalysisRun', analysis: 'smoke', name: RUN }]);
    assert.equal(world.status.phase, 'Running');
    assert.deepEqual(world.reconcile().actions.filter((a) => a.kind === 'terminateAnalysisRun'), [], 'asked once');
    world.finishTerminatedRuns();
    world.step();
    assert.equal(world.status.phase, 'Successful');
  });

  it('terminate before the templates are available: the analysis never starts and does not hold the experiment', () => {
    const experiment = anExperiment().withAnalysis('smoke', 'smoke', { requiredForCompletion: true }).build();
    experiment.spec.templates[0]!.template.metadata = { ...experiment.spec.templates[0]!.template.metadata, annotations: { 'ramp.dev/test-pod-outcome': 'never-ready' } };
    const world = new World(experiment, [TEMPLATE]);
    world.step();
    world.experiment.spec.terminate = true;
    world.step();
    assert.equal(world.status.phase, 'Successful');
    assert.equal(createdRun(world), undefined);
    assert.deepEqual(world.status.analysisRuns, [{ name: 'smoke', analysisRun: '', phase: 'Pending' }]);
  });

  it('a run\'s phase and message are mirrored until final', () => {
    const world = analysisWorld();
    world.step();
    world.setRunPhase(RUN, 'Running', 'measuring');
    world.reconcile();
    assert.deepEqual(world.status.analysisRuns, [{ name: 'smoke', analysisRun: RUN, phase: 'Running', message: 'measuring' }]);
  });
});
