// Multi-step blue-green scenarios replayed on an in-memory namespace, with Argo CD's view at
// each step.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../../fixtures/index.ts';
import type { BlueGreenStrategy } from '../../../../functions/api/index.ts';
import { World } from './world.ts';

function blueGreenWorld(replicas: number, blueGreen: Omit<BlueGreenStrategy, 'activeService'> = {}): World {
  const rollout = aRollout().withReplicas(replicas).withImage('demo:1').withBlueGreen('demo-active', blueGreen).build();
  return new World(rollout, ['demo-active', ...(blueGreen.previewService ? [blueGreen.previewService] : [])]);
}

/** (desired, current, updated, ready, available) as Argo's e2e fixtures read them. */
function counts(world: World): number[] {
  const s = world.rollout.status ?? {};
  return [world.rollout.spec.replicas ?? 1, s.replicas ?? 0, s.updatedReplicas ?? 0, s.readyReplicas ?? 0, s.availableReplicas ?? 0];
}

describe('blue-green scenario › auto-promotion and scale-down delay', () => {
  it('previewReplicaCount 1, autoPromotionSeconds 10, scaleDownDelaySeconds 5 (Argo e2e kitchen sink without analysis)', () => {
    const world = blueGreenWorld(2, { previewService: 'demo-preview', previewReplicaCount: 1, autoPromotionSeconds: 10, scaleDownDelaySeconds: 5 });
    world.run();
    const v1 = world.rollout.status?.stableRS;
    assert.equal(world.selectorOf('demo-active'), v1);
    assert.equal(world.selectorOf('demo-preview'), v1);
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    assert.equal(world.rollout.status?.selector, `app=demo,rollouts-pod-template-hash=${v1}`);
    assert.equal(world.rollout.status?.currentStepIndex, undefined);

    world.setImage('demo:2');
    world.run();
    const v2 = world.rollout.status?.currentPodHash;
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:2': 1 });
    assert.equal(world.selectorOf('demo-preview'), v2, 'preview follows the new ReplicaSet at once');
    assert.equal(world.selectorOf('demo-active'), v1);
    assert.deepEqual(counts(world), [2, 3, 1, 2, 2]);
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'BlueGreenPause' });
    assert.equal(world.rollout.status?.controllerPause, true);
    assert.equal(world.rollout.status?.blueGreen?.activeSelector, v1);
    assert.equal(world.rollout.status?.blueGreen?.previewSelector, v2);
    assert.equal(world.lastDecision?.requeueAfterMs, 10_000);

    world.advance(10);
    const resumed = world.reconcile();
    assert.equal(resumed.status.blueGreen?.scaleUpPreviewCheckPoint, true);
    assert.equal(resumed.status.pauseConditions, undefined);
    world.settle();
    world.run();
    assert.equal(world.selectorOf('demo-active'), v2);
    assert.equal(world.rollout.status?.stableRS, v2);
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:2': 2 }, 'the old active stays up during the delay');
    const old = world.byHash(v1);
    assert.equal(old.annotations?.['scale-down-deadline'], '2026-01-01T00:00:15Z');
    assert.equal(old.annotations?.['argo-rollouts.argoproj.io/scale-down-deadline'], undefined, 'the bare key is written');
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    assert.equal(world.lastDecision?.requeueAfterMs, 5_000);
    assert.equal(world.rollout.status?.blueGreen?.scaleUpPreviewCheckPoint, undefined, 'reset on promotion');

    world.advance(5);
    world.run();
    assert.deepEqual(world.pods(), { 'demo:2': 2 });
    assert.equal(old.annotations?.['scale-down-deadline'], undefined, 'the deadline goes with the scale-down');
    assert.deepEqual(counts(world), [2, 2, 2, 2, 2]);
  });

  it('without autoPromotionSeconds the active Service switches as soon as the new ReplicaSet is saturated', () => {
    const world = blueGreenWorld(3);
    world.run();
    world.setImage('demo:2');
    const phases: string[] = [];
    world.run(100, (w) => phases.push(w.health().status));
    assert.ok(!phases.includes('Suspended'));
    assert.equal(world.selectorOf('demo-active'), world.rollout.status?.currentPodHash);
    assert.deepEqual(world.pods(), { 'demo:1': 3, 'demo:2': 3 }, 'old active kept for the default 30 s');
    world.advance(30);
    world.run();
    assert.deepEqual(world.pods(), { 'demo:2': 3 });
  });
});

describe('blue-green scenario › manual promotion', () => {
  it('autoPromotionEnabled false pauses until promote, however long', () => {
    const world = blueGreenWorld(2, { previewService: 'demo-preview', autoPromotionEnabled: false });
    world.run();
    world.setImage('demo:2');
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'BlueGreenPause' });
    assert.equal(world.lastDecision?.requeueAfterMs, undefined);
    world.advance(86_400);
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'BlueGreenPause' });
    assert.notEqual(world.selectorOf('demo-active'), world.rollout.status?.currentPodHash);

    world.promote();
    world.run();
    assert.equal(world.selectorOf('demo-active'), world.rollout.status?.currentPodHash);
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    assert.ok(world.reasons().includes('RolloutResumed'));
  });

  it('promote --full while paused switches at once', () => {
    const world = blueGreenWorld(2, { autoPromotionEnabled: false });
    world.run();
    world.setImage('demo:2');
    world.run();
    world.promoteFull();
    world.run();
    assert.equal(world.selectorOf('demo-active'), world.rollout.status?.currentPodHash);
    assert.equal(world.rollout.status?.promoteFull, undefined);
    assert.match(world.events.filter((e) => e.reason === 'RolloutCompleted').at(-1)?.message ?? '', /Full promotion requested$/);
  });
});

describe('blue-green scenario › fast rollback', () => {
  it('re-applying the previous template inside scaleDownDelaySeconds flips the active Service back without a pause', () => {
    const world = blueGreenWorld(2, { autoPromotionEnabled: false, scaleDownDelaySeconds: 60 });
    world.run();
    const v1 = world.rollout.status?.stableRS;
    world.setImage('demo:2');
    world.run();
    world.promote();
    world.run();
    const v2 = world.rollout.status?.stableRS;
    assert.notEqual(v1, v2);
    assert.ok(world.byHash(v1).annotations?.['scale-down-deadline'], 'v1 waits for its scale-down');

    world.advance(20);
    world.setImage('demo:1');
    world.events = [];
    world.run(100, (w) => assert.notEqual(w.health().status, 'Suspended'));
    assert.equal(world.selectorOf('demo-active'), v1);
    assert.equal(world.rollout.status?.stableRS, v1);
    assert.equal(world.byHash(v1).annotations?.['scale-down-deadline'], undefined, 'the rollback target no longer waits to be scaled down');
    assert.equal(world.byHash(v2).annotations?.['scale-down-deadline'], '2026-01-01T00:01:20Z');
    assert.ok(world.events.some((e) => e.reason === 'RolloutCompleted' && e.message.endsWith(': Fast rollback')));
    assert.ok(!world.events.some((e) => e.reason === 'NewReplicaSetCreated'), 'the old ReplicaSet is reused');
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
  });

  it('after the delay has passed, the same change is an ordinary update with its pause', () => {
    const world = blueGreenWorld(2, { autoPromotionEnabled: false, scaleDownDelaySeconds: 10 });
    world.run();
    world.setImage('demo:2');
    world.run();
    world.promote();
    world.run();
    world.advance(10);
    world.run();
    assert.deepEqual(world.pods(), { 'demo:2': 2 });
    world.setImage('demo:1');
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'BlueGreenPause' });
  });
});

describe('blue-green scenario › abort', () => {
  it('abort keeps the active on stable, the preview on the new ReplicaSet, and scales the new one down after abortScaleDownDelaySeconds', () => {
    const world = blueGreenWorld(2, { previewService: 'demo-preview', autoPromotionEnabled: false, abortScaleDownDelaySeconds: 10 });
    world.run();
    const v1 = world.rollout.status?.stableRS;
    world.setImage('demo:2');
    world.run();
    const v2 = world.rollout.status?.currentPodHash;
    world.abort();
    world.run();
    assert.deepEqual(world.health(), { status: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2' });
    assert.equal(world.selectorOf('demo-active'), v1);
    assert.equal(world.selectorOf('demo-preview'), v2);
    assert.equal(world.byHash(v2).annotations?.['scale-down-deadline'], '2026-01-01T00:00:10Z');
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:2': 2 });
    assert.equal(world.lastDecision?.requeueAfterMs, 10_000);

    world.advance(10);
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 2 });
    assert.deepEqual(world.health().status, 'Degraded');

    world.retry();
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:2': 2 });
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'BlueGreenPause' });
  });

  it('abortScaleDownDelaySeconds 0 leaves the new ReplicaSet up', () => {
    const world = blueGreenWorld(2, { autoPromotionEnabled: false, abortScaleDownDelaySeconds: 0 });
    world.run();
    world.setImage('demo:2');
    world.run();
    world.abort();
    world.run();
    world.advance(3600);
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 2, 'demo:2': 2 });
  });

  it('progressDeadlineAbort aborts a new ReplicaSet that never becomes ready and scales it down (Argo e2e)', () => {
    const world = blueGreenWorld(1, { abortScaleDownDelaySeconds: 5 });
    world.rollout.spec.progressDeadlineSeconds = 30;
    world.rollout.spec.progressDeadlineAbort = true;
    world.run();
    world.brokenImages.add('demo:2');
    world.setImage('demo:2');
    world.run();
    world.advance(31);
    world.run();
    assert.equal(world.rollout.status?.abort, true);
    assert.equal(world.health().status, 'Degraded');
    world.advance(5);
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 1 });
  });

  it('without progressDeadlineAbort the timed-out update is Degraded but keeps its pods', () => {
    const world = blueGreenWorld(1);
    world.rollout.spec.progressDeadlineSeconds = 30;
    world.run();
    world.brokenImages.add('demo:2');
    world.setImage('demo:2');
    world.run();
    world.advance(31);
    world.run();
    assert.equal(world.rollout.status?.abort, undefined);
    assert.match(world.health().message, /^ProgressDeadlineExceeded: /);
    assert.deepEqual(world.pods(), { 'demo:1': 1, 'demo:2': 1 });
  });
});

describe('blue-green scenario › old ReplicaSets', () => {
  it('scaleDownDelayRevisionLimit 1 keeps only the newest old ReplicaSet waiting', () => {
    const world = blueGreenWorld(1, { scaleDownDelaySeconds: 600, scaleDownDelayRevisionLimit: 1 });
    world.run();
    for (const image of ['demo:2', 'demo:3', 'demo:4']) {
      world.setImage(image);
      world.run();
      world.advance(1);
    }
    assert.deepEqual(world.pods(), { 'demo:3': 1, 'demo:4': 1 });
  });

  it('revisionHistoryLimit deletes the oldest empty ReplicaSets', () => {
    const world = blueGreenWorld(1, { scaleDownDelaySeconds: 0 });
    world.rollout.spec.revisionHistoryLimit = 1;
    world.run();
    for (const image of ['demo:2', 'demo:3', 'demo:4']) {
      world.setImage(image);
      world.run();
      world.advance(1);
    }
    const images = world.replicaSets.map((rs) => rs.template.spec?.containers[0]?.image).sort();
    assert.deepEqual(images, ['demo:3', 'demo:4']);
  });
});

describe('blue-green scenario › rollbackWindow', () => {
  it('a rollback to the previous revision inside the window skips the pause even after its pods are gone', () => {
    const world = blueGreenWorld(1, { autoPromotionEnabled: false, scaleDownDelaySeconds: 5 });
    world.rollout.spec.rollbackWindow = { revisions: 1 };
    world.run();
    world.advance(1);
    world.setImage('demo:2');
    world.run();
    world.promote();
    world.run();
    world.advance(5);
    world.run();
    assert.deepEqual(world.pods(), { 'demo:2': 1 });
    world.events = [];
    world.setImage('demo:1');
    world.run(100, (w) => assert.notEqual(w.health().status, 'Suspended'));
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    assert.ok(world.events.some((e) => e.reason === 'RolloutCompleted' && e.message.endsWith(': Rollback within window')));
  });

  it('outside the window the same rollback pauses', () => {
    const world = blueGreenWorld(1, { autoPromotionEnabled: false, scaleDownDelaySeconds: 5 });
    world.rollout.spec.rollbackWindow = { revisions: 1 };
    world.run();
    for (const image of ['demo:2', 'demo:3']) {
      world.advance(1);
      world.setImage(image);
      world.run();
      world.promote();
      world.run();
      world.advance(5);
      world.run();
    }
    world.setImage('demo:1');
    world.run();
    assert.deepEqual(world.health(), { status: 'Suspended', message: 'BlueGreenPause' });
  });
});
