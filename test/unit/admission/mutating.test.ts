import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admit } from '../../../functions/admission/index.ts';
import { aRollout, anAnalysisTemplate, anExperiment } from '../../fixtures/index.ts';
import { aPolicy } from '../policy/policy-fixtures.ts';
import { aReview, patched, patchOf, responseOf } from './reviews.ts';

type Json = Record<string, any>;
const none = { mode: 'mutate' as const, policies: [] };

describe('mutating webhook', () => {
  it('answers with an RFC 6902 JSON Patch (base64) that fills the defaults', () => {
    const rollout = aRollout().withReplicas(undefined).build();
    const answer = admit(aReview({ object: rollout }), none);
    const response = responseOf(answer);
    assert.equal(response.allowed, true);
    assert.equal(response.patchType, 'JSONPatch');
    assert.equal(answer.outcome, 'patched');
    for (const op of patchOf(answer)) {
      assert.equal(op.op, 'add');
      assert.ok(op.path.startsWith('/spec/'), op.path);
    }
    const stored = patched(rollout, answer) as Json;
    assert.equal(stored['spec'].replicas, 1);
    assert.equal(stored['spec'].revisionHistoryLimit, 10);
    assert.equal(stored['spec'].strategy.canary.maxSurge, '25%');
  });

  it('is idempotent: the patched object gets no patch (reinvocationPolicy IfNeeded)', () => {
    const policies = [aPolicy('p', { defaults: { rollout: { progressDeadlineSeconds: 900, strategy: { canary: { analysis: { templates: [{ templateName: 't' }] } } } } } })];
    const context = { mode: 'mutate' as const, policies };
    for (const rollout of [aRollout().withReplicas(undefined).build(), aRollout().withBlueGreen('active').build()]) {
      const first = admit(aReview({ object: rollout }), context);
      const again = admit(aReview({ object: patched(rollout, first) }), context);
      assert.equal(responseOf(again).patch, undefined);
      assert.equal(again.outcome, 'allowed');
    }
  });

  it('applies policy defaults before the built-in ones, and records them in an audit annotation', () => {
    const policies = [aPolicy('platform', { defaults: { rollout: { revisionHistoryLimit: 3, progressDeadlineAbort: true } } })];
    const rollout = aRollout().build();
    const answer = admit(aReview({ object: rollout }), { mode: 'mutate', policies, namespaceLabels: {} });
    const stored = patched(rollout, answer) as Json;
    assert.equal(stored['spec'].revisionHistoryLimit, 3);
    assert.equal(stored['spec'].progressDeadlineAbort, true);
    assert.equal(stored['spec'].progressDeadlineSeconds, 600);
    assert.deepEqual(responseOf(answer).auditAnnotations, { 'policy-defaults': 'spec.revisionHistoryLimit=platform,spec.progressDeadlineAbort=platform' });
  });

  it('warns about conflicting policy defaults and leaves the field to the built-in default', () => {
    const policies = [aPolicy('a', { defaults: { rollout: { revisionHistoryLimit: 3 } } }), aPolicy('b', { defaults: { rollout: { revisionHistoryLimit: 4 } } })];
    const rollout = aRollout().build();
    const answer = admit(aReview({ object: rollout }), { mode: 'mutate', policies });
    assert.equal((patched(rollout, answer) as Json)['spec'].revisionHistoryLimit, 10);
    assert.match(responseOf(answer).warnings?.[0] ?? '', /spec\.revisionHistoryLimit: conflicting policy defaults at priority 0/);
  });

  it('defaults Experiments', () => {
    const experiment = anExperiment().withTemplate('a').build();
    const answer = admit(aReview({ kind: { group: 'argoproj.io', version: 'v1alpha1', kind: 'Experiment' }, object: experiment }), none);
    assert.equal((patched(experiment, answer) as Json)['spec'].progressDeadlineSeconds, 600);
  });

  it('leaves the analysis kinds and RolloutPolicies alone', () => {
    const answer = admit(aReview({ kind: { group: 'argoproj.io', version: 'v1alpha1', kind: 'AnalysisTemplate' }, object: anAnalysisTemplate().build() }), none);
    assert.equal(responseOf(answer).patch, undefined);
    const policy = aPolicy('p', { rules: [] });
    assert.equal(responseOf(admit(aReview({ kind: { group: 'ramp.dev', version: 'v1alpha1', kind: 'RolloutPolicy' }, object: policy }), none)).patch, undefined);
  });

  it('does not patch updates that leave the spec as it was', () => {
    const rollout = aRollout().build();
    const updated = { ...structuredClone(rollout), status: { phase: 'Healthy' } };
    assert.equal(responseOf(admit(aReview({ operation: 'UPDATE', object: updated, oldObject: rollout }), none)).patch, undefined);
  });

  it('patches a real update', () => {
    const rollout = aRollout().build();
    const updated = aRollout().withImage('registry.example/demo:2.0').build();
    assert.notEqual(responseOf(admit(aReview({ operation: 'UPDATE', object: updated, oldObject: rollout }), none)).patch, undefined);
  });

  it('never throws on odd objects; answers with or without a patch', () => {
    for (const object of [{}, { spec: 'x' }, { spec: { strategy: { canary: [] } } }, { spec: { strategy: { canary: { steps: [null, 1, 'x', { experiment: { templates: [null] } }] } } } }]) {
      const answer = admit(aReview({ object }), none);
      assert.equal(answer.httpStatus, 200, JSON.stringify(object));
    }
  });
});
