// One decision at a time: the canary rules, each set up by replaying a world to the moment
// that matters and then looking at the next decision.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../../fixtures/index.ts';
import type { CanaryStep, CanaryStrategy } from '../../../../functions/api/index.ts';
import { World } from './world.ts';

function updating(replicas: number, steps: CanaryStep[], canary: Omit<CanaryStrategy, 'steps'> = {}, services: string[] = []): World {
  const world = new World(aRollout().withReplicas(replicas).withImage('demo:1').withCanarySteps(steps, canary).build(), services);
  world.run();
  world.setImage('demo:2');
  return world;
}

describe('canary › pause steps', () => {
  it('pause without duration waits for promote: CanaryPauseStep from now, controllerPause, no wake-up', () => {
    const world = updating(2, [{ pause: {} }]);
    const decision = world.decide();
    assert.deepEqual(decision.status.pauseConditions, [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }]);
    assert.equal(decision.status.controllerPause, true);
    assert.equal(decision.status.phase, 'Paused');
    assert.equal(decision.status.message, 'CanaryPauseStep');
    assert.equal(decision.requeueAfterMs, undefined);
    assert.ok(decision.events.some((e) => e.reason === 'RolloutPaused' && e.message === 'Rollout is paused (CanaryPauseStep)'));
  });

  const durations: Array<[duration: number | string, ms: number]> = [
    [30, 30_000],
    ['45', 45_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
  ];
  for (const [duration, ms] of durations) {
    it(`pause ${JSON.stringify(duration)} wakes up after ${ms} ms`, () => {
      const world = updating(2, [{ pause: { duration } }]);
      assert.equal(world.decide().requeueAfterMs, ms);
    });
  }

  it('pause 0 completes at once', () => {
    const world = updating(2, [{ pause: { duration: 0 } }, { pause: {} }]);
    const decision = world.decide();
    assert.equal(decision.status.currentStepIndex, 1);
  });

  it('a resumed pause (controllerPause with no conditions left) completes and clears controllerPause', () => {
    const world = updating(2, [{ pause: {} }, { setWeight: 50 }]);
    world.run();
    delete world.rollout.status?.pauseConditions; // Argo CD's resume action
    const decision = world.decide();
    assert.equal(decision.status.currentStepIndex, 1);
    assert.equal(decision.status.controllerPause, undefined);
    assert.ok(decision.events.some((e) => e.reason === 'RolloutResumed'));
    assert.ok(decision.events.some((e) => e.reason === 'RolloutStepCompleted' && e.message === 'Rollout step 1/2 completed (pause)'));
  });
});

describe('canary › setWeight steps', () => {
  it('one ReplicaSet change per pass, stable first (R=10, setWeight 20, defaults: stable 10→8, then canary 0→2)', () => {
    const world = updating(10, [{ setWeight: 20 }, { pause: {} }]);
    const first = world.reconcile();
    assert.deepEqual(
      first.actions.filter((a) => a.kind === 'scaleReplicaSet').map((a) => a.kind === 'scaleReplicaSet' && `${a.from}→${a.replicas}`),
      ['10→8'],
    );
    world.settle();
    const second = world.reconcile();
    assert.deepEqual(
      second.actions.filter((a) => a.kind === 'scaleReplicaSet').map((a) => a.kind === 'scaleReplicaSet' && `${a.from}→${a.replicas}`),
      ['0→2'],
    );
    assert.equal(second.status.currentStepIndex, 0, 'not done before the canary pods are available');
    world.settle();
    const third = world.reconcile();
    assert.equal(third.status.currentStepIndex, 1);
    assert.ok(third.events.some((e) => e.message === 'Rollout step 1/2 completed (setWeight: 20)'));
  });

  it('a scale records spec.replicas in the desired-replicas annotation (how scaling events are recognised)', () => {
    const world = new World(aRollout().withReplicas(4).build());
    world.run();
    world.rollout.spec.replicas = 6;
    world.bumpGeneration();
    const decision = world.decide();
    const scale = decision.actions.find((a) => a.kind === 'scaleReplicaSet');
    assert.ok(scale?.kind === 'scaleReplicaSet');
    assert.deepEqual([scale.from, scale.replicas, scale.annotations.set?.['rollout.argoproj.io/desired-replicas']], [4, 6, '6']);
  });
});

describe('canary › Services', () => {
  it('a Service taken over for the first time waits until the target is fully available', () => {
    const world = new World(
      aRollout().withReplicas(2).withImage('demo:1').withCanarySteps([{ setWeight: 50 }], { stableService: 's', canaryService: 'c' }).build(),
      ['s', 'c'],
    );
    const first = world.reconcile();
    assert.deepEqual(first.actions.filter((a) => a.kind === 'patchServiceSelector'), []);
    world.settle();
    const second = world.reconcile();
    const hash = second.status.stableRS ?? '';
    assert.deepEqual(
      second.actions.filter((a) => a.kind === 'patchServiceSelector'),
      [
        { kind: 'patchServiceSelector', service: 's', hash, managedBy: 'demo' },
        { kind: 'patchServiceSelector', service: 'c', hash, managedBy: 'demo' },
      ],
    );
  });

  it('while aborted the canary Service selects the stable ReplicaSet', () => {
    const world = updating(2, [{ setWeight: 50 }, { pause: {} }], { stableService: 's', canaryService: 'c' }, ['s', 'c']);
    world.run();
    const stable = world.rollout.status?.stableRS;
    assert.notEqual(world.selectorOf('c'), stable);
    world.abort();
    world.run();
    assert.equal(world.selectorOf('c'), stable);
    assert.equal(world.selectorOf('s'), stable);
  });
});

describe('canary › user switches', () => {
  it('abort on a fully promoted rollout is dropped', () => {
    const world = new World(aRollout().withReplicas(2).build());
    world.run();
    world.abort();
    const decision = world.decide();
    assert.equal(decision.status.abort, undefined);
    assert.equal(decision.status.phase, 'Healthy');
  });

  it('retry clears abortedAt and reports RolloutRetry', () => {
    const world = updating(2, [{ setWeight: 50 }, { pause: {} }]);
    world.run();
    world.abort();
    world.run();
    world.retry();
    const decision = world.decide();
    assert.equal(decision.status.abortedAt, undefined);
    assert.equal(decision.status.abort, undefined);
    const progressing = decision.status.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([progressing?.status, progressing?.reason, progressing?.message], ['Unknown', 'RolloutRetry', 'Retrying Rollout after abort']);
  });
});

describe('canary › replicaProgressThreshold', () => {
  const cases: Array<[rule: string, threshold: CanaryStrategy['replicaProgressThreshold'], available: number, done: boolean]> = [
    ['without a threshold every canary pod must be available', undefined, 3, false],
    ['Pods 3 of 4 is enough with 3 available', { type: 'Pods', value: 3 }, 3, true],
    ['Pods 3 of 4 is not met with 2', { type: 'Pods', value: 3 }, 2, false],
    ['Percent 50 of 4 is met with 2', { type: 'Percent', value: 50 }, 2, true],
  ];
  for (const [rule, threshold, available, done] of cases) {
    it(rule, () => {
      const world = updating(8, [{ setWeight: 50 }, { pause: {} }], { maxSurge: 4, maxUnavailable: 0, ...(threshold ? { replicaProgressThreshold: threshold } : {}) });
      world.run();
      // 4 canary pods wanted next to 4 stable ones; make only `available` of them available.
      world.rollout.status!.currentStepIndex = 0;
      delete world.rollout.status!.pauseConditions;
      delete world.rollout.status!.controllerPause;
      const canary = world.byHash(world.rollout.status?.currentPodHash);
      assert.equal(canary.replicas, 4);
      canary.status = { replicas: 4, readyReplicas: available, availableReplicas: available };
      assert.equal(world.decide().status.currentStepIndex, done ? 1 : 0);
    });
  }
});

describe('canary › stale pause conditions', () => {
  it('a CanaryPauseStep left behind when the index moved past the pause is dropped', () => {
    const world = updating(2, [{ setWeight: 50 }, { pause: {} }, { setWeight: 100 }]);
    world.run();
    assert.equal(world.rollout.status?.pauseConditions?.[0]?.reason, 'CanaryPauseStep');
    world.rollout.status!.currentStepIndex = 2; // moved by hand, conditions left as they were
    const decision = world.decide();
    assert.equal(decision.status.pauseConditions, undefined);
    assert.equal(decision.status.phase, 'Progressing');
  });
});
