// One decision at a time: the blue-green rules (reference §9).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../../fixtures/index.ts';
import type { BlueGreenStrategy } from '../../../../functions/api/index.ts';
import { World } from './world.ts';

function updating(replicas: number, blueGreen: Omit<BlueGreenStrategy, 'activeService'> = {}): World {
  const services = ['active', ...(blueGreen.previewService ? [blueGreen.previewService] : [])];
  const world = new World(aRollout().withReplicas(replicas).withImage('demo:1').withBlueGreen('active', blueGreen).build(), services);
  world.run();
  world.setImage('demo:2');
  return world;
}

describe('blue-green › Services', () => {
  it('the preview Service follows the new ReplicaSet in the pass that creates it', () => {
    const world = updating(2, { previewService: 'preview' });
    const decision = world.decide();
    const hash = decision.status.currentPodHash;
    const kinds = decision.actions.map((a) => a.kind);
    assert.ok(kinds.indexOf('createReplicaSet') < kinds.indexOf('patchServiceSelector'), 'created before the Service points at it');
    assert.deepEqual(
      decision.actions.find((a) => a.kind === 'patchServiceSelector'),
      { kind: 'patchServiceSelector', service: 'preview', hash, managedBy: 'demo' },
    );
    assert.equal(decision.status.blueGreen?.previewSelector, hash);
  });

  it('the active Service waits until the new ReplicaSet is saturated (spec = available = replicas)', () => {
    const world = updating(3);
    world.reconcile(); // created at 3
    const rs = world.byHash(world.rollout.status?.currentPodHash);
    rs.status = { replicas: 3, readyReplicas: 2, availableReplicas: 2 };
    assert.equal(world.decide().actions.filter((a) => a.kind === 'patchServiceSelector').length, 0);
    rs.status = { replicas: 3, readyReplicas: 3, availableReplicas: 3 };
    const decision = world.decide();
    assert.deepEqual(
      decision.actions.filter((a) => a.kind === 'patchServiceSelector').map((a) => a.kind === 'patchServiceSelector' && a.service),
      ['active'],
    );
    assert.ok(decision.events.some((e) => e.reason === 'SwitchService'));
  });

  it('spec.paused keeps both Services and the ReplicaSet sizes where they are', () => {
    const world = updating(2, { previewService: 'preview' });
    world.pause();
    const decision = world.decide();
    assert.deepEqual(decision.actions.map((a) => a.kind).filter((k) => k !== 'createReplicaSet' && k !== 'annotateRollout'), []);
    assert.equal(decision.status.phase, 'Paused');
    assert.equal(decision.status.message, 'manually paused');
  });
});

describe('blue-green › sizes', () => {
  it('previewReplicaCount sizes the new ReplicaSet until the pause is over, then it grows to replicas', () => {
    const world = updating(4, { previewReplicaCount: 1, autoPromotionEnabled: false });
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 4, 'demo:2': 1 });
    world.promote();
    world.run();
    assert.deepEqual(world.pods(), { 'demo:1': 4, 'demo:2': 4 });
  });

  it('the stable ReplicaSet is kept at replicas while an update waits', () => {
    const world = updating(3, { autoPromotionEnabled: false });
    world.run();
    world.byHash(world.rollout.status?.stableRS).replicas = 1; // someone scaled it by hand
    const decision = world.decide();
    const scale = decision.actions.find((a) => a.kind === 'scaleReplicaSet');
    assert.ok(scale?.kind === 'scaleReplicaSet');
    assert.deepEqual([scale.from, scale.replicas], [1, 3]);
  });
});

describe('blue-green › auto-promotion', () => {
  const cases: Array<[rule: string, blueGreen: Omit<BlueGreenStrategy, 'activeService'>, paused: boolean]> = [
    ['auto-promotion without seconds does not pause', {}, false],
    ['autoPromotionSeconds pauses', { autoPromotionSeconds: 30 }, true],
    ['autoPromotionEnabled false pauses', { autoPromotionEnabled: false }, true],
    ['autoPromotionEnabled false ignores autoPromotionSeconds (still a manual pause)', { autoPromotionEnabled: false, autoPromotionSeconds: 5 }, true],
  ];
  for (const [rule, blueGreen, paused] of cases) {
    it(rule, () => {
      const world = updating(1, blueGreen);
      world.run();
      assert.equal(world.rollout.status?.pauseConditions?.[0]?.reason, paused ? 'BlueGreenPause' : undefined);
    });
  }

  it('autoPromotionSeconds counts from the pause start time', () => {
    const world = updating(1, { autoPromotionSeconds: 30 });
    world.run();
    world.advance(29);
    assert.equal(world.decide().requeueAfterMs, 1_000);
    world.advance(1);
    world.run();
    assert.equal(world.selectorOf('active'), world.rollout.status?.currentPodHash);

    const manual = updating(1, { autoPromotionEnabled: false, autoPromotionSeconds: 5 });
    manual.run();
    manual.advance(60);
    manual.run();
    assert.equal(manual.rollout.status?.pauseConditions?.[0]?.reason, 'BlueGreenPause');
  });
});
