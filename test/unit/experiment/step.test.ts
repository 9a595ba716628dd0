// The Experiment a canary `experiment` step asks for (reference §12.4), as the Rollout decision
// builds it, and what the Experiment controller then does with it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anAnalysisTemplate, aRollout } from '../../fixtures/index.ts';
import type { AnalysisTemplate, Experiment, RolloutExperimentStep } from '../../../functions/api/index.ts';
import { validateExperiment } from '../../../functions/validate/index.ts';
import { World as RolloutWorld } from '../rollout/decide/world.ts';
import { World } from './world.ts';

const STEP: RolloutExperimentStep = {
  duration: '5m',
  scaleDownDelaySeconds: 10,
  dryRun: [{ metricName: 'latency' }],
  analysisRunMetadata: { labels: { team: 'pay' } },
  templates: [
    { name: 'baseline', specRef: 'stable', replicas: 2 },
    { name: 'canary', specRef: 'canary', metadata: { labels: { role: 'exp-canary' }, annotations: { note: 'x' } } },
  ],
  analyses: [
    {
      name: 'compare',
      templateName: 'compare',
      requiredForCompletion: true,
      args: [
        { name: 'stable-hash', valueFrom: { podTemplateHashValue: 'Stable' } },
        { name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } },
        { name: 'app', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'plain', value: 'v' },
      ],
    },
  ],
};

function compareTemplate(): AnalysisTemplate {
  return anAnalysisTemplate().named('compare').withArgs({ name: 'stable-hash' }, { name: 'canary-hash' }, { name: 'app' }, { name: 'plain' }).inNamespace('team-a').build();
}

/** A Rollout at revision 2 (image shop:2) that has reached its experiment step (index 1). */
function atExperimentStep(step: RolloutExperimentStep = STEP): RolloutWorld {
  const rollout = aRollout()
    .named('shop')
    .inNamespace('team-a')
    .withLabels({ app: 'shop', 'argo-rollouts.argoproj.io/controller-instance-id': 'one' })
    .withImage('shop:1')
    .withCanarySteps([{ setWeight: 50 }, { experiment: step }])
    .withSpec({ progressDeadlineSeconds: 120, minReadySeconds: 5 })
    .build();
  const world = new RolloutWorld(rollout);
  world.analysisTemplates.push(compareTemplate());
  world.run();
  world.setImage('shop:2');
  world.run();
  return world;
}

function theExperiment(world: RolloutWorld): Experiment {
  assert.equal(world.experiments.length, 1);
  return world.experiments[0]!;
}

describe('canary experiment step › the Experiment', () => {
  it('name, owner, labels, annotations and copied settings', () => {
    const world = atExperimentStep();
    const hash = world.rollout.status?.currentPodHash;
    const e = theExperiment(world);
    assert.equal(e.metadata?.name, `shop-${hash}-2-1`);
    assert.equal(e.metadata?.namespace, 'team-a');
    assert.deepEqual(e.metadata?.ownerReferences, [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop', uid: 'rollout-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(e.metadata?.labels, { 'argo-rollouts.argoproj.io/controller-instance-id': 'one', 'rollouts-pod-template-hash': hash });
    assert.deepEqual(e.metadata?.annotations, { 'rollout.argoproj.io/revision': '2' });
    assert.equal(e.spec.duration, '5m');
    assert.equal(e.spec.progressDeadlineSeconds, 120);
    assert.equal(e.spec.scaleDownDelaySeconds, 10);
    assert.deepEqual(e.spec.dryRun, [{ metricName: 'latency' }]);
    assert.deepEqual(e.spec.analysisRunMetadata, { labels: { team: 'pay' } });
  });

  it('templates copy their ReplicaSet; extra labels go to the pods and the selector, annotations to the pods', () => {
    const world = atExperimentStep();
    const [baseline, canary] = theExperiment(world).spec.templates;
    assert.equal(baseline?.replicas, 2);
    assert.equal(baseline?.minReadySeconds, 5);
    assert.equal(baseline?.template.spec?.containers[0]?.image, 'shop:1');
    assert.deepEqual(baseline?.selector, { matchLabels: { app: 'shop', 'rollouts-pod-template-hash': world.rollout.status?.stableRS } });
    assert.equal(baseline?.service, undefined);
    assert.equal(canary?.template.spec?.containers[0]?.image, 'shop:2');
    assert.deepEqual(canary?.selector, { matchLabels: { app: 'shop', 'rollouts-pod-template-hash': world.rollout.status?.currentPodHash, role: 'exp-canary' } });
    assert.equal(canary?.template.metadata?.labels?.['role'], 'exp-canary');
    assert.deepEqual(canary?.template.metadata?.annotations, { note: 'x' });
  });

  it('analysis args are resolved like a Rollout\'s', () => {
    const world = atExperimentStep();
    const [analysis] = theExperiment(world).spec.analyses ?? [];
    assert.deepEqual(analysis, {
      name: 'compare',
      templateName: 'compare',
      requiredForCompletion: true,
      args: [
        { name: 'stable-hash', value: world.rollout.status?.stableRS },
        { name: 'canary-hash', value: world.rollout.status?.currentPodHash },
        { name: 'app', value: 'shop' },
        { name: 'plain', value: 'v' },
      ],
    });
  });

  it('an arg that cannot be resolved creates nothing and says why, naming it', () => {
    const missing = structuredClone(STEP);
    missing.analyses![0]!.args!.push({ name: 'team', valueFrom: { fieldRef: { fieldPath: "metadata.labels['team']" } } });
    const world = atExperimentStep(missing);
    assert.deepEqual(world.experiments, []);
    assert.ok(world.events.some((e) => e.type === 'Warning' && /argument "team": field metadata\.labels\['team'\] not found in the Rollout/.test(e.message)), JSON.stringify(world.events));
  });

  it('passes admission validation, and the experiment controller runs it', () => {
    const rollout = atExperimentStep();
    const hash = rollout.rollout.status?.currentPodHash;
    const experiment = theExperiment(rollout);
    assert.deepEqual(validateExperiment(experiment), []);
    const world = new World(experiment, [compareTemplate()]);
    world.step();
    assert.equal(world.status.phase, 'Running');
    assert.deepEqual(world.replicaSets.map((rs) => [rs.name, rs.replicas]), [[`shop-${hash}-2-1-baseline`, 2], [`shop-${hash}-2-1-canary`, 1]]);
    assert.notEqual(world.replicaSets[1]!.labels?.['rollouts-pod-template-hash'], hash, 'the experiment\'s ReplicaSets have their own hash');
    assert.equal(world.run(`shop-${hash}-2-1-compare`).spec.args?.[0]?.value, experiment.spec.analyses?.[0]?.args?.[0]?.value);
  });
});
