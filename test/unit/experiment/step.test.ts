// The Experiment a canary `experiment` step asks for (reference §12.4).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anAnalysisTemplate, aPodTemplate, aRollout } from '../../fixtures/index.ts';
import type { RolloutExperimentStep } from '../../../functions/api/index.ts';
import { stepExperiment, stepExperimentName, type StepExperimentInput } from '../../../functions/experiment/index.ts';
import { validateExperiment } from '../../../functions/validate/index.ts';
import { World } from './world.ts';

const STEP: RolloutExperimentStep = {
  duration: '5m',
  scaleDownDelaySeconds: 10,
  dryRun: [{ metricName: 'latency' }],
  analysisRunMetadata: { labels: { team: 'pay' } },
  templates: [
    { name: 'baseline', specRef: 'stable', replicas: 2 },
    { name: 'canary', specRef: 'canary', metadata: { labels: { role: 'exp-canary' }, annotations: { note: 'x' } }, weight: 10 },
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

function input(extra: Partial<StepExperimentInput> = {}): StepExperimentInput {
  const rollout = aRollout().named('shop').inNamespace('team-a').withLabels({ app: 'shop', 'argo-rollouts.argoproj.io/controller-instance-id': 'one' }).withSpec({ progressDeadlineSeconds: 120 }).build();
  rollout.metadata = { ...rollout.metadata, uid: 'rollout-uid' };
  const rsLabels = (hash: string) => ({ app: 'shop', 'rollouts-pod-template-hash': hash });
  return {
    rollout,
    step: STEP,
    stepIndex: 3,
    podTemplateHash: 'newhash',
    revision: '4',
    canary: { template: aPodTemplate(rsLabels('newhash'), 'shop:2'), selector: { matchLabels: rsLabels('newhash') }, minReadySeconds: 5 },
    stable: { template: aPodTemplate(rsLabels('oldhash'), 'shop:1'), selector: { matchLabels: rsLabels('oldhash') } },
    stablePodTemplateHash: 'oldhash',
    ...extra,
  };
}

describe('canary experiment step › the Experiment', () => {
  it('name, owner, labels, annotations and copied settings', () => {
    const e = stepExperiment(input());
    assert.equal(e.metadata?.name, 'shop-newhash-4-3');
    assert.equal(e.metadata?.namespace, 'team-a');
    assert.deepEqual(e.metadata?.ownerReferences, [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop', uid: 'rollout-uid', controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(e.metadata?.labels, { app: 'shop', 'argo-rollouts.argoproj.io/controller-instance-id': 'one', 'rollouts-pod-template-hash': 'newhash' });
    assert.deepEqual(e.metadata?.annotations, { 'rollout.argoproj.io/revision': '4' });
    assert.equal(e.spec.duration, '5m');
    assert.equal(e.spec.progressDeadlineSeconds, 120);
    assert.equal(e.spec.scaleDownDelaySeconds, 10);
    assert.deepEqual(e.spec.dryRun, [{ metricName: 'latency' }]);
    assert.deepEqual(e.spec.analysisRunMetadata, { labels: { team: 'pay' } });
  });

  it('collision variants are <name>-1, -2, …', () => {
    assert.equal(stepExperiment(input({ attempt: 2 })).metadata?.name, 'shop-newhash-4-3-2');
    assert.equal(stepExperimentName('shop', 'h', '1', 0), 'shop-h-1-0');
  });

  it('templates copy their ReplicaSet without its hash; extra labels go to the pods and the selector; weight means a Service', () => {
    const [baseline, canary] = stepExperiment(input()).spec.templates;
    assert.equal(baseline?.replicas, 2);
    assert.equal(baseline?.template.spec?.containers[0]?.image, 'shop:1');
    assert.deepEqual(baseline?.selector, { matchLabels: { app: 'shop' } });
    assert.deepEqual(baseline?.template.metadata?.labels, { app: 'shop' });
    assert.equal(baseline?.service, undefined);
    assert.equal(canary?.replicas, 1);
    assert.equal(canary?.minReadySeconds, 5);
    assert.equal(canary?.template.spec?.containers[0]?.image, 'shop:2');
    assert.deepEqual(canary?.selector, { matchLabels: { app: 'shop', role: 'exp-canary' } });
    assert.deepEqual(canary?.template.metadata?.labels, { app: 'shop', role: 'exp-canary' });
    assert.deepEqual(canary?.template.metadata?.annotations, { note: 'x' });
    assert.deepEqual(canary?.service, {});
  });

  it('analysis args are resolved like a Rollout\'s', () => {
    const [analysis] = stepExperiment(input()).spec.analyses ?? [];
    assert.deepEqual(analysis, {
      name: 'compare',
      templateName: 'compare',
      requiredForCompletion: true,
      args: [
        { name: 'stable-hash', value: 'oldhash' },
        { name: 'canary-hash', value: 'newhash' },
        { name: 'app', value: 'shop' },
        { name: 'plain', value: 'v' },
      ],
    });
  });

  it('an arg that cannot be resolved throws, naming it', () => {
    assert.throws(() => stepExperiment(input({ stablePodTemplateHash: undefined })), /argument "stable-hash": the stable pod template hash is not known yet/);
  });

  it('passes admission validation, and the experiment controller runs it', () => {
    const experiment = stepExperiment(input());
    assert.deepEqual(validateExperiment(experiment), []);
    const world = new World(experiment, [anAnalysisTemplate().named('compare').withArgs({ name: 'stable-hash' }, { name: 'canary-hash' }, { name: 'app' }, { name: 'plain' }).inNamespace('team-a').build()]);
    world.step();
    assert.equal(world.status.phase, 'Running');
    assert.deepEqual(world.replicaSets.map((rs) => [rs.name, rs.replicas]), [['shop-newhash-4-3-baseline', 2], ['shop-newhash-4-3-canary', 1]]);
    assert.notEqual(world.replicaSets[1]!.labels?.['rollouts-pod-template-hash'], 'newhash', 'the experiment\'s ReplicaSets have their own hash');
    assert.equal(world.run('shop-newhash-4-3-compare').spec.args?.[0]?.value, 'oldhash');
  });
});
