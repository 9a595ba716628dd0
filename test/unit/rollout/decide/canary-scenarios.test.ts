// Multi-step canary scenarios: decisions replayed on an in-memory namespace (world.ts), with
// what Argo CD would show checked at each step.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../../fixtures/index.ts';
import { rollingUpdateBounds } from '../../../../functions/rollout/surge-and-unavailable.ts';
import type { CanaryStep, CanaryStrategy } from '../../../../functions/api/index.ts';
import { World } from './world.ts';

function canaryWorld(replicas: number, steps: CanaryStep[], canary: Omit<CanaryStrategy, 'steps'> = {}, services: string[] = []): World {
  const rollout = aRollout().withReplicas(replicas).withImage('demo:1').withCanarySteps(steps, canary).build();
  return new World(rollout, services);
}

/** Checks maxSurge / maxUnavailable after every pass once the rollout was first healthy. */
function surgeAndAvailability(world: World): void {
  const canary = world.rollout.spec.strategy?.canary;
  const replicas = world.rollout.spec.replicas ?? 1;
  const { maxTotalReplicas, minAvailableReplicas } = rollingUpdateBounds(replicas, canary?.maxSurge, canary?.maxUnavailable);
  const total = world.replicaSets.reduce((sum, rs) => sum + rs.replicas, 0);
  const available = world.replicaSets.reduce((sum, rs) => sum + Math.min(rs.replicas, rs.status.availableReplicas), 0);
  assert.ok(total <= maxTotalReplicas, `${total} pods exceed ${maxTotalReplicas}: ${JSON.stringify(world.pods())}`);
  assert.ok(available >= minAvailableReplicas, `${available} available is below ${minAvailableReplicas}: ${JSON.stringify(world.pods())}`);
}

describe('canary scenario › initial deploy, steps, promotion', () => {
  it('walks setWeight 20 → pause → setWeight 60 → pause 30s → full promotion', () => {
    const world = canaryWorld(5, [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '30s' } }], {
      stableService: 'demo-stable',
      canaryService: 'demo-canary',
    }, ['demo-stable', 'demo-canary']);

    // Initial deploy: one ReplicaSet at full size at once, stable at once, no steps.
    const first = world.reconcile();
    const created = first.actions.filter((a) => a.kind === 'createReplicaSet');
    assert.equal(created.length, 1);
    assert.equal(created[0]?.kind === 'createReplicaSet' && created[0].replicaSet.spec.replicas, 5);
    assert.equal(first.status.stableRS, first.status.currentPodHash);
    assert.equal(first.status.currentStepIndex, 4);
    assert.deepEqual(world.health().status, 'Progressing');
    world.settle();
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 5 });
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    const v1 = world.rollout.status?.stableRS;
    assert.equal(world.selectorOf('demo-stable'), v1);
    assert.equal(world.selectorOf('demo-canary'), v1);

    // Update: 20 % ≈ 1 of 5 pods, then the indefinite pause.
    world.setImage('demo:2');
    world.run(100, surgeAndAvailability);
    const v2 = world.rollout.status?.currentPodHash;
    assert.notEqual(v2, v1);
    assert.deepEqual(world.pods(), { 'demo:1': 4, 'demo:2': 1 });
    assert.equal(world.rollout.status?.currentStepIndex, 1);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
    assert.equal(world.selectorOf('demo-stable'), v1);
    assert.equal(world.selectorOf('demo-canary'), v2);
    assert.equal(world.lastDecision?.requeueAfterMs, undefined, 'an indefinite pause has nothing to wake up for');

    // Waiting changes nothing.
    world.advance(3600);
    world.run();
    assert.equal(world.rollout.status?.currentStepIndex, 1);

    // Promote: 60 % ≈ 3 of 5, then a 30 s pause that ends by itself.
    world.promote();
    world.run(100, surgeAndAvailability);
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:2': 3 });
    assert.equal(world.rollout.status?.currentStepIndex, 3);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
    assert.equal(world.lastDecision?.requeueAfterMs, 30_000);

    world.advance(29);
    world.run();
    assert.equal(world.rollout.status?.currentStepIndex, 3, 'the pause is not over after 29 s');
    assert.equal(world.lastDecision?.requeueAfterMs, 1_000);

    world.advance(1);
    world.run(100, (w) => {
      surgeAndAvailability(w);
      const health = w.health().status;
      assert.ok(health === 'Progressing' || health === 'Healthy', `unexpected ${health} while finishing`);
    });
    assert.deepEqual(world.pods(), { 'demo:2': 5 });
    assert.equal(world.rollout.status?.stableRS, v2);
    assert.equal(world.rollout.status?.currentStepIndex, 4);
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    assert.equal(world.selectorOf('demo-stable'), v2);
    assert.ok(world.reasons().includes('RolloutCompleted'));
    const completed = world.events.filter((e) => e.reason === 'RolloutCompleted').at(-1);
    assert.match(completed?.message ?? '', /^Rollout completed update to revision 2 \(\w+\): Completed all 4 canary steps$/);
  });

  it('a rollout without steps is a rolling update inside maxSurge / maxUnavailable', () => {
    const world = canaryWorld(10, [], { maxSurge: 3, maxUnavailable: 2 });
    world.run();
    world.setImage('demo:2');
    const seen: string[] = [];
    world.run(100, (w) => {
      surgeAndAvailability(w);
      seen.push(JSON.stringify(w.pods()));
    });
    assert.deepEqual(world.pods(), { 'demo:2': 10 });
    assert.ok(seen.some((pods) => pods.includes('demo:1') && pods.includes('demo:2')), 'old and new run side by side for a while');
    assert.equal(world.rollout.status?.currentStepIndex, undefined);
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
  });
});

describe('canary scenario › abort, retry, promote', () => {
  it('abort → Degraded with the canary at 0; retry → paused again; the timed pause completes (Argo e2e timeline)', () => {
    const world = canaryWorld(1, [{ setWeight: 50 }, { pause: { duration: '3s' } }]);
    world.run();
    assert.deepEqual(world.reasons(), ['NewReplicaSetCreated', 'RolloutUpdated', 'RolloutNotCompleted', 'RolloutCompleted', 'ScalingReplicaSet']);
    world.events = [];

    world.setImage('demo:2');
    world.run();
    // R=1 at weight 50 uses the surge pod: stable 1 + canary 1.
    assert.deepEqual(world.pods(), { 'demo:1': 1, 'demo:2': 1 });
    assert.deepEqual(world.reasons(), ['NewReplicaSetCreated', 'RolloutUpdated', 'RolloutNotCompleted', 'ScalingReplicaSet', 'RolloutStepCompleted', 'RolloutPaused']);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
    world.events = [];

    world.abort();
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 1 });
    assert.deepEqual(world.health(), { status: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2' });
    const status = world.rollout.status;
    assert.equal(status?.abort, true);
    assert.equal(status?.abortedAt, '2026-01-01T00:00:00Z');
    assert.equal(status?.currentStepIndex, 0);
    assert.equal(status?.pauseConditions, undefined);
    assert.equal(status?.controllerPause, undefined);
    assert.deepEqual(world.reasons(), ['RolloutAborted', 'ScalingReplicaSet']);
    world.events = [];

    world.retry();
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 1, 'demo:2': 1 });
    assert.equal(world.rollout.status?.abortedAt, undefined);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
    assert.deepEqual(world.reasons(), ['ScalingReplicaSet', 'RolloutStepCompleted', 'RolloutPaused']);
    world.events = [];

    world.advance(3);
    world.run();
    assert.deepEqual(world.pods(), { 'demo:2': 1 });
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    assert.deepEqual([...world.reasons()].sort(), ['RolloutCompleted', 'RolloutResumed', 'RolloutStepCompleted', 'ScalingReplicaSet']);
  });

  it('promote --full from the first pause skips the remaining steps and pauses', () => {
    const world = canaryWorld(4, [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { pause: {} }], { maxSurge: 1, maxUnavailable: 0 });
    world.run();
    world.setImage('demo:2');
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 3, 'demo:2': 1 });
    world.promoteFull();
    world.run(100, (w) => {
      surgeAndAvailability(w);
      assert.notEqual(w.health().status, 'Suspended', 'no pause after promote --full');
    });
    assert.deepEqual(world.pods(), { 'demo:2': 4 });
    assert.equal(world.rollout.status?.promoteFull, undefined, 'cleared once promoted');
    assert.equal(world.rollout.status?.currentStepIndex, 4);
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    assert.match(world.events.filter((e) => e.reason === 'RolloutCompleted').at(-1)?.message ?? '', /Full promotion requested$/);
  });

  it('promote without a pause condition skips the current step (the CLI increments currentStepIndex)', () => {
    const world = canaryWorld(4, [{ setWeight: 25 }, { pause: {} }, { setWeight: 75 }, { pause: {} }]);
    world.run();
    world.setImage('demo:2');
    world.run();
    world.pause();
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'manually paused' });
    world.promote(); // clears spec.paused and, with pauseConditions present, only clears them
    world.run();
    assert.equal(world.rollout.status?.currentStepIndex, 3);
    assert.deepEqual(world.pods(), { 'demo:1': 1, 'demo:2': 3 });
  });

  it('spec.paused halts scaling and step progress until resumed', () => {
    const world = canaryWorld(4, [{ setWeight: 50 }, { pause: {} }]);
    world.run();
    world.pause();
    world.setImage('demo:2');
    world.run();
    assert.equal(world.pods()['demo:2'], undefined, 'the new ReplicaSet exists but is not scaled');
    assert.equal(world.rollout.status?.currentStepIndex, 0);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'manually paused' });
    world.rollout.spec.paused = false;
    world.bumpGeneration();
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:2': 2 });
  });
});

describe('canary scenario › template change mid-rollout', () => {
  it('a third version while the second is at its pause drains the second and restarts the steps', () => {
    const world = canaryWorld(4, [{ setWeight: 50 }, { pause: {} }]);
    world.run();
    world.setImage('demo:2');
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:2': 2 });

    world.setImage('demo:3');
    const reset = world.reconcile();
    assert.equal(reset.status.currentStepIndex, 0);
    assert.equal(reset.status.pauseConditions, undefined);
    world.settle();
    world.run(100, surgeAndAvailability);
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:3': 2 });
    assert.equal(world.rollout.status?.currentStepIndex, 1);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
    const revisions = world.replicaSets.map((rs) => rs.annotations?.['rollout.argoproj.io/revision']).sort();
    assert.deepEqual(revisions, ['1', '2', '3']);
  });

  it('going back to the stable template mid-rollout skips the steps and drains the canary', () => {
    const world = canaryWorld(4, [{ setWeight: 50 }, { pause: {} }]);
    world.run();
    const v1 = world.rollout.status?.stableRS;
    world.setImage('demo:2');
    world.run();
    world.events = [];
    world.setImage('demo:1');
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 4 });
    assert.equal(world.rollout.status?.currentPodHash, v1);
    assert.equal(world.rollout.status?.currentStepIndex, 2);
    assert.ok(world.events.some((e) => e.reason === 'SkipSteps' && e.message === 'Rollback to stable ReplicaSets'));
    assert.equal(world.byHash(v1).annotations?.['rollout.argoproj.io/revision'], '3', 'the old ReplicaSet takes the next revision');
    assert.equal(world.byHash(v1).annotations?.['rollout.argoproj.io/revision-history'], '1');
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
  });
});

describe('canary scenario › progress deadline', () => {
  it('pods that never become ready exceed the deadline: Degraded but not aborted; a fixed image recovers', () => {
    const world = canaryWorld(4, [{ setWeight: 50 }, { pause: {} }], {});
    world.rollout.spec.progressDeadlineSeconds = 60;
    world.run();
    world.brokenImages.add('demo:2');
    world.setImage('demo:2');
    world.run();
    assert.deepEqual(world.health().status, 'Progressing');
    assert.equal(world.lastDecision?.requeueAfterMs, 60_001);

    world.advance(61);
    world.run();
    assert.deepEqual(world.health(), {
      status: 'Degraded',
      message: `ProgressDeadlineExceeded: ReplicaSet "demo-${world.rollout.status?.currentPodHash}" has timed out progressing.`,
    });
    assert.equal(world.rollout.status?.abort, undefined);
    assert.ok((world.pods()['demo:2'] ?? 0) > 0, 'the canary keeps its pods');

    world.setImage('demo:3');
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
  });

  it('with progressDeadlineAbort the timed-out update is aborted and the canary scaled to 0', () => {
    const world = canaryWorld(4, [{ setWeight: 50 }, { pause: {} }], {});
    world.rollout.spec.progressDeadlineSeconds = 60;
    world.rollout.spec.progressDeadlineAbort = true;
    world.run();
    world.brokenImages.add('demo:2');
    world.setImage('demo:2');
    world.run();
    world.advance(61);
    world.run();
    assert.equal(world.rollout.status?.abort, true);
    const hash = world.rollout.status?.currentPodHash;
    assert.deepEqual(world.health(), {
      status: 'Degraded',
      message: `RolloutAborted: Rollout aborted update to revision 2: ReplicaSet "demo-${hash}" has timed out progressing.`,
    });
    assert.deepEqual(world.pods(), { 'demo:1': 4 });
  });

  it('a pause longer than the deadline does not time out', () => {
    const world = canaryWorld(2, [{ setWeight: 50 }, { pause: { duration: '1h' } }]);
    world.rollout.spec.progressDeadlineSeconds = 60;
    world.run();
    world.setImage('demo:2');
    world.run();
    world.advance(1800);
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
    world.advance(1800);
    world.run();
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
  });
});

describe('canary scenario › scaling', () => {
  it('a scaling event while paused at setWeight 25 keeps the split (Argo e2e: 1→8 gives 2/6)', () => {
    const world = canaryWorld(1, [{ setWeight: 25 }, { pause: {} }]);
    world.run();
    world.setImage('demo:2');
    world.run();
    world.rollout.spec.replicas = 8;
    world.bumpGeneration();
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 6, 'demo:2': 2 });
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' });
  });
});

describe('canary scenario › rollbackWindow', () => {
  it('a basic canary drains old revisions, so a rollback inside the window finds no pods and is an ordinary update', () => {
    const world = canaryWorld(2, [{ setWeight: 50 }, { pause: {} }]);
    world.rollout.spec.rollbackWindow = { revisions: 2 };
    world.run();
    world.advance(1);
    world.setImage('demo:2');
    world.run();
    world.advance(1);
    world.setImage('demo:3');
    world.run();
    world.promote();
    world.run();
    assert.deepEqual(world.pods(), { 'demo:3': 2 });
    // demo:2 never became stable and was drained; demo:1 (stable before demo:3) has no pods either.
    world.events = [];
    world.setImage('demo:1');
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'CanaryPauseStep' }, 'a rollback to a ReplicaSet without pods is an ordinary update');
  });
});
