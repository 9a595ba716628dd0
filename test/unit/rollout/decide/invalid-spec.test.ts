// An unusable spec: InvalidSpec condition, phase Degraded, no actions, a look again in 20 s.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../../fixtures/index.ts';
import type { Rollout } from '../../../../functions/api/index.ts';
import { decideRollout } from '../../../../functions/rollout/decide/index.ts';
import type { ServiceView } from '../../../../functions/rollout/decide/index.ts';
import { argoCdHealth } from './argo-cd-health.ts';
import { T0, World } from './world.ts';

function decide(rollout: Rollout, services: ServiceView[] = []) {
  return decideRollout({ rollout, replicaSets: [], services, analysisRuns: [], experiments: [], now: T0 });
}

const cases: Array<[rule: string, rollout: () => Rollout, services: ServiceView[], error: string]> = [
  [
    'no strategy',
    () => aRollout().withSpec({ strategy: {} }).build(),
    [],
    "spec.strategy.strategy: Required value: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'",
  ],
  [
    'both strategies',
    () => aRollout().withSpec({ strategy: { canary: {}, blueGreen: { activeService: 'a' } } }).build(),
    [],
    'spec.strategy: Forbidden: Multiple Strategies can not be listed',
  ],
  [
    'selector that does not match the template labels',
    () => aRollout().withSpec({ selector: { matchLabels: { app: 'other' } } }).build(),
    [],
    'spec.template.metadata.labels: Invalid value: {"app":"demo"}: selector does not match template labels',
  ],
  ['no selector', () => aRollout().withSpec({ selector: undefined }).build(), [], "spec.selector: Required value: Rollout has missing field '.spec.selector'"],
  [
    'setWeight above 100',
    () => aRollout().withCanarySteps([{ setWeight: 120 }]).build(),
    [],
    'spec.strategy.canary.steps[0].setWeight: Invalid value: 120: SetWeight needs to be between 0 and 100',
  ],
  [
    'a step with two actions',
    () => aRollout().withCanarySteps([{ setWeight: 10, pause: {} }]).build(),
    [],
    'spec.strategy.canary.steps[0]: Invalid value: {"setWeight":10,"pause":{}}: Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause',
  ],
  [
    'traffic routing (not supported yet)',
    () => aRollout().withCanarySteps([{ setWeight: 10 }], { trafficRouting: { nginx: { stableIngress: 'i' } } }).build(),
    [],
    'spec.strategy.canary.trafficRouting: Forbidden: traffic routing is not supported by Ramp yet; remove it to run a basic (replica-weighted) canary',
  ],
  [
    'the same active and preview Service',
    () => aRollout().withBlueGreen('svc', { previewService: 'svc' }).build(),
    [],
    'spec.strategy.blueGreen.activeService: Invalid value: "svc": This rollout uses the same service for the active and preview services, but two different services are required.',
  ],
  [
    'an active Service that does not exist',
    () => aRollout().withBlueGreen('missing').build(),
    [],
    'spec.strategy.blueGreen.activeService: Invalid value: "missing": services "missing" not found',
  ],
  [
    'a Service selecting labels the pods do not have',
    () => aRollout().withBlueGreen('active').build(),
    [{ name: 'active', selector: { app: 'demo', tier: 'web' } }],
    'spec.strategy.blueGreen.activeService: Invalid value: "active": Service "active" has unmatch label "tier" in rollout',
  ],
  [
    'a Service managed by another Rollout',
    () => aRollout().withBlueGreen('active').build(),
    [{ name: 'active', selector: { app: 'demo' }, annotations: { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'other' } }],
    'spec.strategy.blueGreen.activeService: Invalid value: "active": Service "active" is managed by another Rollout',
  ],
];

describe('invalid spec › first problem becomes the InvalidSpec condition, nothing is done', () => {
  for (const [rule, build, services, error] of cases) {
    it(rule, () => {
      const rollout = build();
      rollout.metadata = { ...rollout.metadata, generation: 3 };
      const decision = decide(rollout, services);
      const message = `The Rollout "demo" is invalid: ${error}`;
      assert.deepEqual(decision.actions, []);
      assert.equal(decision.requeueAfterMs, 20_000);
      assert.equal(decision.status.phase, 'Degraded');
      assert.equal(decision.status.message, `InvalidSpec: ${message}`);
      assert.equal(decision.status.observedGeneration, '3');
      const condition = decision.status.conditions?.find((c) => c.type === 'InvalidSpec');
      assert.deepEqual(
        { status: condition?.status, reason: condition?.reason, message: condition?.message },
        { status: 'True', reason: 'InvalidSpec', message },
      );
      assert.deepEqual(argoCdHealth({ ...rollout, status: decision.status }), { status: 'Degraded', message: `InvalidSpec: ${message}` });
    });
  }
});

describe('invalid spec › recovery', () => {
  it('fixing the spec removes the condition and the rollout deploys', () => {
    const world = new World(aRollout().withSpec({ selector: { matchLabels: { app: 'other' } } }).build());
    world.run();
    assert.equal(world.health().status, 'Degraded');
    assert.equal(world.replicaSets.length, 0);
    world.rollout.spec.selector = { matchLabels: { app: 'demo' } };
    world.bumpGeneration();
    world.run();
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    assert.equal(world.rollout.status?.conditions?.find((c) => c.type === 'InvalidSpec'), undefined);
  });

  it('a custom validator is consulted first', () => {
    const rollout = aRollout().build();
    const decision = decideRollout(
      { rollout, replicaSets: [], services: [], analysisRuns: [], experiments: [], now: T0 },
      { validate: () => [{ path: 'spec.replicas', type: 'Invalid', value: 3, detail: 'policy allows at most 2' }] },
    );
    assert.equal(decision.status.message, 'InvalidSpec: The Rollout "demo" is invalid: spec.replicas: Invalid value: 3: policy allows at most 2');
  });
});
