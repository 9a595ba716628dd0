// spec.duration ends the experiment; its ReplicaSets are scaled to zero after
// scaleDownDelaySeconds; terminate ends it at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anExperiment } from '../../fixtures/index.ts';
import { World } from './world.ts';

const RS = 'demo-experiment-baseline';

describe('experiment › duration', () => {
  it('runs for the duration counted from availableAt, then is Successful', () => {
    const world = new World(anExperiment().withDuration('1m').build());
    world.advance(3);
    world.step();
    assert.equal(world.status.phase, 'Running');
    assert.equal(world.status.availableAt, '2026-01-01T00:00:03Z');
    assert.equal(world.lastDecision?.requeueAfterMs, 60_000, 'wakes up when the duration ends');
    world.advance(59);
    world.step();
    assert.equal(world.status.phase, 'Running');
    assert.equal(world.lastDecision?.requeueAfterMs, 1_000);
    world.advance(1);
    world.step();
    assert.equal(world.status.phase, 'Successful');
    assert.equal(world.status.message, undefined);
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Successful');
  });

  const durations: Array<[string, number]> = [['90s', 90], ['1m30s', 90], ['1h', 3600], ['500ms', 0.5]];
  for (const [duration, seconds] of durations) {
    it(`duration "${duration}" is ${seconds} s`, () => {
      const world = new World(anExperiment().withDuration(duration).build());
      world.step();
      assert.equal(world.lastDecision?.requeueAfterMs, seconds * 1000);
    });
  }

  it('without a duration the experiment runs until terminated', () => {
    const world = new World(anExperiment().withDuration(undefined).build());
    world.step();
    world.advance(86_400);
    world.step();
    assert.equal(world.status.phase, 'Running');
    assert.equal(world.lastDecision?.requeueAfterMs, undefined, 'nothing to wait for');
    world.experiment.spec.terminate = true;
    world.step();
    assert.equal(world.status.phase, 'Successful');
  });
});

describe('experiment › scale-down', () => {
  it('after the duration: scale-down-deadline = now + 30 s (the default), replicas kept until then, then 0', () => {
    const world = new World(anExperiment().withTemplate('baseline', 'app:1', 2).withDuration('10s').build());
    world.step();
    world.advance(10);
    const ending = world.reconcile();
    assert.equal(world.status.phase, 'Successful');
    assert.deepEqual(ending.actions, [
      { kind: 'annotateReplicaSet', template: 'baseline', name: RS, annotations: { set: { 'scale-down-deadline': '2026-01-01T00:00:40Z' } } },
    ]);
    assert.equal(ending.requeueAfterMs, 30_000);
    world.settle();
    world.advance(29);
    const waiting = world.reconcile();
    assert.deepEqual(waiting.actions, []);
    assert.equal(waiting.requeueAfterMs, 1_000);
    assert.equal(world.rs(RS).replicas, 2);
    world.advance(1);
    const down = world.reconcile();
    assert.deepEqual(down.actions, [{ kind: 'scaleReplicaSet', template: 'baseline', name: RS, from: 2, replicas: 0 }]);
    assert.ok(down.events.some((e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled down ReplicaSet ${RS} from 2 to 0`));
    world.settle();
    assert.deepEqual(world.reconcile().actions, [], 'stays down');
    assert.equal(world.status.templateStatuses?.[0]?.replicas, 0);
  });

  it('scaleDownDelaySeconds: 0 scales down in the pass that ends the experiment', () => {
    const world = new World(anExperiment().withDuration('10s').withSpec({ scaleDownDelaySeconds: 0 }).build());
    world.step();
    world.advance(10);
    const decision = world.reconcile();
    assert.deepEqual(decision.actions, [{ kind: 'scaleReplicaSet', template: 'baseline', name: RS, from: 1, replicas: 0 }]);
  });

  it('a custom delay', () => {
    const world = new World(anExperiment().withDuration('10s').withSpec({ scaleDownDelaySeconds: 5 }).build());
    world.step();
    world.advance(10);
    const decision = world.reconcile();
    assert.equal(decision.actions[0]?.kind === 'annotateReplicaSet' && decision.actions[0].annotations.set?.['scale-down-deadline'], '2026-01-01T00:00:15Z');
  });

  it('an unreadable deadline counts as passed', () => {
    const world = new World(anExperiment().withDuration('10s').build());
    world.step();
    world.advance(10);
    world.step();
    world.rs(RS).replicas = 1;
    world.rs(RS).annotations = { ...world.rs(RS).annotations, 'scale-down-deadline': 'soon' };
    const decision = world.reconcile();
    assert.deepEqual(decision.actions, [{ kind: 'scaleReplicaSet', template: 'baseline', name: RS, from: 1, replicas: 0 }]);
  });

  it('the prefixed deadline key is honoured too', () => {
    const world = new World(anExperiment().withDuration('10s').build());
    world.step();
    world.advance(10);
    world.experiment.status = world.decide().status;
    world.rs(RS).annotations = { ...world.rs(RS).annotations, 'argo-rollouts.argoproj.io/scale-down-deadline': '2026-01-01T00:00:12Z' };
    const decision = world.reconcile();
    assert.deepEqual(decision.actions, []);
    assert.equal(decision.requeueAfterMs, 2_000);
  });

  it('a ReplicaSet of a template removed from the spec is scaled to zero at once', () => {
    const world = new World(anExperiment().withTemplate('baseline').withTemplate('extra').withDuration(undefined).build());
    world.step();
    world.experiment.spec.templates = world.experiment.spec.templates.filter((t) => t.name === 'baseline');
    const decision = world.reconcile();
    assert.deepEqual(decision.actions, [{ kind: 'scaleReplicaSet', template: 'extra', name: 'demo-experiment-extra', from: 1, replicas: 0 }]);
    assert.deepEqual(world.status.templateStatuses?.map((t) => t.name), ['baseline']);
  });
});

describe('experiment › terminate', () => {
  it('spec.terminate ends a running experiment at once: Successful, ReplicaSets scaled down after the delay', () => {
    const world = new World(anExperiment().withDuration('1h').withSpec({ scaleDownDelaySeconds: 0 }).build());
    world.step();
    world.advance(5);
    world.experiment.spec.terminate = true;
    const decision = world.reconcile();
    assert.equal(world.status.phase, 'Successful');
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Successful');
    assert.deepEqual(decision.actions, [{ kind: 'scaleReplicaSet', template: 'baseline', name: RS, from: 1, replicas: 0 }]);
    assert.equal(decision.requeueAfterMs, undefined, 'no duration to wait for any more');
  });

  it('terminate before the pods are ready ends the experiment without waiting for them', () => {
    const experiment = anExperiment().build();
    experiment.spec.templates[0]!.template.metadata = { ...experiment.spec.templates[0]!.template.metadata, annotations: { 'ramp.dev/test-pod-outcome': 'never-ready' } };
    const world = new World(experiment);
    world.step();
    assert.equal(world.status.phase, 'Pending');
    world.experiment.spec.terminate = true;
    world.step();
    assert.equal(world.status.phase, 'Successful');
    assert.equal(world.status.availableAt, undefined);
  });

  it('terminate before anything was created creates nothing', () => {
    const world = new World(anExperiment().withSpec({ terminate: true }).build());
    const decision = world.reconcile();
    assert.deepEqual(decision.actions, []);
    assert.equal(world.status.phase, 'Successful');
  });

  it('a finished experiment stays finished', () => {
    const world = new World(anExperiment().withDuration('10s').build());
    world.step();
    world.advance(10);
    world.step();
    world.experiment.spec.duration = '1h';
    world.advance(100);
    world.step();
    assert.equal(world.status.phase, 'Successful');
    assert.equal(world.rs(RS).replicas, 0);
  });
});
