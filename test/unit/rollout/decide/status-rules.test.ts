// The status written with every decision (reference §3): value formats, counts, conditions
// and when they change.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../../fixtures/index.ts';
import type { RolloutStatus } from '../../../../functions/api/index.ts';
import { World } from './world.ts';

function conditions(status: RolloutStatus | undefined): Record<string, string> {
  return Object.fromEntries((status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}`]));
}

describe('status › formats', () => {
  it('observedGeneration is the generation as a string; canary and blueGreen are always present', () => {
    const world = new World(aRollout().withGeneration(7).build());
    const decision = world.decide();
    assert.equal(decision.status.observedGeneration, '7');
    assert.deepEqual(decision.status.canary, {});
    assert.deepEqual(decision.status.blueGreen, {});
  });

  it('canary counts sum every ReplicaSet; HPAReplicas and selector are the whole rollout', () => {
    const world = new World(aRollout().withReplicas(4).withImage('demo:1').withCanarySteps([{ setWeight: 50 }, { pause: {} }]).build());
    world.run();
    world.setImage('demo:2');
    world.run();
    const s = world.rollout.status;
    assert.deepEqual([s?.replicas, s?.updatedReplicas, s?.readyReplicas, s?.availableReplicas, s?.HPAReplicas], [4, 2, 4, 4, 4]);
    assert.equal(s?.selector, 'app=demo');
  });

  it('blue-green counts are the active ReplicaSet; the selector includes its hash', () => {
    const world = new World(aRollout().withReplicas(2).withImage('demo:1').withBlueGreen('a', { autoPromotionEnabled: false }).build(), ['a']);
    world.run();
    world.setImage('demo:2');
    world.run();
    const s = world.rollout.status;
    assert.deepEqual([s?.replicas, s?.updatedReplicas, s?.readyReplicas, s?.availableReplicas, s?.HPAReplicas], [4, 2, 2, 2, 2]);
    assert.equal(s?.selector, `app=demo,rollouts-pod-template-hash=${s?.stableRS}`);
    assert.equal(s?.currentStepIndex, undefined);
    assert.equal(s?.currentStepHash, undefined);
  });
});

describe('status › conditions through an update', () => {
  it('track creation, progress, pause, resume and completion', () => {
    const world = new World(aRollout().withReplicas(2).withImage('demo:1').withCanarySteps([{ setWeight: 50 }, { pause: {} }]).build());
    const created = world.reconcile();
    assert.deepEqual(conditions(created.status), {
      Progressing: 'True NewReplicaSetCreated',
      Available: 'False AvailableReason',
      Healthy: 'False RolloutHealthy',
      Completed: 'True RolloutCompleted',
    });
    world.settle();
    world.run();
    assert.deepEqual(conditions(world.rollout.status), {
      Progressing: 'True NewReplicaSetAvailable',
      Available: 'True AvailableReason',
      Healthy: 'True RolloutHealthy',
      Completed: 'True RolloutCompleted',
    });

    world.setImage('demo:2');
    world.run();
    assert.deepEqual(conditions(world.rollout.status), {
      Progressing: 'Unknown RolloutPaused',
      Available: 'True AvailableReason',
      Healthy: 'False RolloutHealthy',
      Completed: 'False RolloutCompleted',
      Paused: 'True RolloutPaused',
    });
    const pausedAt = world.rollout.status?.conditions?.find((c) => c.type === 'Paused')?.lastTransitionTime;

    world.advance(60);
    world.run();
    assert.equal(world.rollout.status?.conditions?.find((c) => c.type === 'Paused')?.lastTransitionTime, pausedAt, 'unchanged while still paused');

    world.promote();
    const resumed = world.reconcile();
    assert.equal(conditions(resumed.status)['Progressing'], 'Unknown RolloutResumed');
    assert.equal(conditions(resumed.status)['Paused'], 'False RolloutPaused');
    assert.equal(resumed.status.conditions?.find((c) => c.type === 'Paused')?.lastTransitionTime, '2026-01-01T00:01:00Z', 'moves when the status flips');
    world.settle();
    world.run();
    assert.deepEqual(conditions(world.rollout.status), {
      Progressing: 'True NewReplicaSetAvailable',
      Available: 'True AvailableReason',
      Healthy: 'True RolloutHealthy',
      Completed: 'True RolloutCompleted',
      Paused: 'False RolloutPaused',
    });
  });

  it('a healthy rollout that loses pods reports ReplicaSetNotAvailable and Available False', () => {
    const world = new World(aRollout().withReplicas(3).withImage('demo:1').build());
    world.run();
    const rs = world.replicaSets[0];
    assert.ok(rs);
    rs.status = { ...rs.status, readyReplicas: 2, availableReplicas: 2 };
    const decision = world.reconcile();
    assert.equal(conditions(decision.status)['Progressing'], 'True ReplicaSetNotAvailable');
    assert.equal(conditions(decision.status)['Available'], 'False AvailableReason');
    assert.equal(decision.status.phase, 'Progressing');
  });
});

describe('status › wake-ups', () => {
  it('the earliest pending timer wins: a pause ending before the progress deadline', () => {
    const world = new World(aRollout().withReplicas(2).withImage('demo:1').withCanarySteps([{ setWeight: 50 }, { pause: { duration: 20 } }]).build());
    world.run();
    world.setImage('demo:2');
    world.run();
    assert.equal(world.lastDecision?.requeueAfterMs, 20_000);
  });

  it('an update in flight wakes up at its progress deadline', () => {
    const world = new World(aRollout().withReplicas(2).withImage('demo:1').withCanarySteps([{ setWeight: 50 }]).build());
    world.rollout.spec.progressDeadlineSeconds = 120;
    world.run();
    world.brokenImages.add('demo:2');
    world.setImage('demo:2');
    world.run();
    world.advance(100);
    assert.equal(world.decide().requeueAfterMs, 20_001);
  });

  it('a future restartAt is woken up for and acknowledged in status.restartedAt once due', () => {
    const world = new World(aRollout().withReplicas(1).build());
    world.run();
    world.rollout.spec.restartAt = '2026-01-01T00:05:00Z';
    world.bumpGeneration();
    world.run();
    assert.equal(world.lastDecision?.requeueAfterMs, 300_000);
    assert.equal(world.rollout.status?.phase, 'Progressing');
    assert.equal(world.rollout.status?.message, 'rollout is restarting');
    world.advance(300);
    world.run();
    assert.equal(world.rollout.status?.restartedAt, '2026-01-01T00:05:00Z');
    assert.equal(world.rollout.status?.phase, 'Healthy');
  });
});

describe('status › restart with pods in the snapshot', () => {
  it('evicts pods created before restartAt within maxUnavailable, then records restartedAt', () => {
    const world = new World(aRollout().withReplicas(4).withImage('demo:1').build());
    world.trackPods();
    world.run();
    world.advance(60);
    world.rollout.spec.restartAt = '2026-01-01T00:01:00Z';
    world.bumpGeneration();
    const evictions: number[] = [];
    world.run(100, (w) => {
      evictions.push(w.lastDecision?.evictPods?.length ?? 0);
      if (w.rollout.status?.restartedAt === undefined) {
        assert.equal(w.rollout.status?.message, 'rollout is restarting');
        assert.equal(w.lastDecision?.requeueAfterMs, 30_000);
      }
    });
    // maxUnavailable 25 % of 4 = 1: one pod at a time.
    assert.deepEqual(evictions.filter((n) => n > 0), [1, 1, 1, 1]);
    assert.equal(world.rollout.status?.restartedAt, '2026-01-01T00:01:00Z');
    assert.ok(world.pods_?.every((p) => p.creationTimestamp >= '2026-01-01T00:01:00Z'));
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
  });

  it('pods that are not available go at once; available ones wait for the budget', () => {
    const world = new World(aRollout().withReplicas(2).withImage('demo:1').withCanary({ maxUnavailable: 0, maxSurge: 1 }).build());
    world.trackPods();
    world.run();
    const [sick] = world.pods_ ?? [];
    assert.ok(sick);
    sick.available = false;
    world.advance(60);
    world.rollout.spec.restartAt = '2026-01-01T00:01:00Z';
    const decision = world.decide();
    // available 1, wanted 2, maxUnavailable 0 → at least one may go: budget 1 − (2 − 1) = 0 for available pods.
    assert.deepEqual(decision.evictPods, [sick.name]);
  });
});
