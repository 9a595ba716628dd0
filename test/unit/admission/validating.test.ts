import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admit } from '../../../functions/admission/index.ts';
import { aRollout, anAnalysisTemplate } from '../../fixtures/index.ts';
import { aPolicy } from '../policy/policy-fixtures.ts';
import { aReview, responseOf } from './reviews.ts';

type Json = Record<string, any>;

const prodPolicy = aPolicy('production-safety', {
  match: { kinds: ['Rollout'], namespaceSelector: { matchLabels: { env: 'prod' } } },
  rules: [
    { name: 'must-run-analysis', message: 'Rollouts in namespaces labelled env=prod must run analysis', enforcementAction: 'deny', require: { runsAnalysis: true } },
    { name: 'small-steps', message: 'no setWeight step may jump more than 25', enforcementAction: 'warn', require: { maxWeightIncrease: 25 } },
    { name: 'abort-on-deadline', message: 'should abort on deadline', enforcementAction: 'audit', require: { field: 'spec.progressDeadlineAbort', equals: true } },
  ],
});
const prod = { mode: 'validate' as const, policies: [prodPolicy], namespaceLabels: { env: 'prod' } };
const none = { mode: 'validate' as const, policies: [] };

function invalidRollout(): Json {
  const rollout = aRollout().withCanarySteps([{ setWeight: 120 }, { pause: { duration: '-5s' } }]).build() as Json;
  delete rollout['spec'].selector;
  return rollout;
}

describe('validating webhook › Argo kinds', () => {
  it('an invalid Rollout is refused with every problem and its field path (422 Invalid)', () => {
    const response = responseOf(admit(aReview({ object: invalidRollout() }), none));
    assert.equal(response.allowed, false);
    assert.equal(response.status?.code, 422);
    assert.equal(response.status?.reason, 'Invalid');
    const message = response.status?.message ?? '';
    assert.match(message, /^Rollout "demo" is invalid: /);
    for (const path of ['spec.selector', 'spec.strategy.canary.steps[0].setWeight', 'spec.strategy.canary.steps[1].pause.duration']) {
      assert.ok(message.includes(`${path}: `), `${path} in ${message}`);
      assert.ok(response.status?.details?.causes?.some((c) => c.field === path), `cause for ${path}`);
    }
  });

  it('a valid Rollout is allowed without warnings', () => {
    const response = responseOf(admit(aReview({ object: aRollout().build() }), none));
    assert.equal(response.allowed, true);
    assert.equal(response.warnings, undefined);
    assert.equal(response.status, undefined);
  });

  it('other Argo kinds are validated too', () => {
    const template = anAnalysisTemplate().build() as Json;
    template['spec'].metrics = [];
    const response = responseOf(admit(aReview({ kind: { group: 'argoproj.io', version: 'v1alpha1', kind: 'AnalysisTemplate' }, object: template }), none));
    assert.equal(response.allowed, false);
    assert.match(response.status?.message ?? '', /spec\.metrics/);
  });

  it('a deny rule refuses (403 Forbidden) with the policy, the rule, its message and the path', () => {
    const response = responseOf(admit(aReview({ object: aRollout().build() }), prod));
    assert.equal(response.allowed, false);
    assert.equal(response.status?.code, 403);
    assert.equal(response.status?.reason, 'Forbidden');
    assert.match(
      response.status?.message ?? '',
      /^Rollout "demo" is refused by policy: RolloutPolicy "production-safety" rule "must-run-analysis": Rollouts in namespaces labelled env=prod must run analysis \(spec\.strategy: runs no analysis/,
    );
  });

  it('field errors and policy denials are reported together', () => {
    const response = responseOf(admit(aReview({ object: invalidRollout() }), prod));
    assert.equal(response.status?.code, 422);
    assert.match(response.status?.message ?? '', /is invalid: .*; and it is refused by policy: RolloutPolicy "production-safety"/);
  });

  it('a warn rule admits with a warning; an audit rule admits silently', () => {
    const rollout = aRollout().withCanarySteps([{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'rate' }] } }]).build();
    const response = responseOf(admit(aReview({ object: rollout }), prod));
    assert.equal(response.allowed, true);
    assert.equal(response.warnings?.length, 1);
    assert.match(response.warnings?.[0] ?? '', /RolloutPolicy "production-safety" rule "small-steps": no setWeight step may jump more than 25 \(spec\.strategy\.canary\.steps\[0\]\.setWeight: raises the weight from 0 to 50/);
    assert.ok(!JSON.stringify(response).includes('abort-on-deadline'));
  });

  it('a policy for other namespaces does not apply', () => {
    const response = responseOf(admit(aReview({ object: aRollout().build() }), { ...prod, namespaceLabels: { env: 'dev' } }));
    assert.equal(response.allowed, true);
  });

  it('unknown namespace labels: admitted, with a warning naming what was not evaluated', () => {
    const response = responseOf(admit(aReview({ object: aRollout().build() }), { mode: 'validate', policies: [prodPolicy] }));
    assert.equal(response.allowed, true);
    assert.ok(response.warnings?.some((w) => /RolloutPolicy "production-safety\/must-run-analysis" was not evaluated: the labels of namespace "default" are unknown/.test(w)));
  });

  describe('never refused', () => {
    const invalid = invalidRollout();
    it('DELETE', () => assert.equal(responseOf(admit(aReview({ operation: 'DELETE', oldObject: invalid }), prod)).allowed, true));
    it('a status subresource write', () =>
      assert.equal(responseOf(admit(aReview({ operation: 'UPDATE', subResource: 'status', object: invalid, oldObject: invalid }), prod)).allowed, true));
    it('a status-only write on the main resource (AnalysisRun/Experiment style)', () => {
      const updated = { ...structuredClone(invalid), status: { phase: 'Degraded' } };
      assert.equal(responseOf(admit(aReview({ operation: 'UPDATE', object: updated, oldObject: invalid }), prod)).allowed, true);
    });
    it('a metadata-only write (labels, annotations, finalizers)', () => {
      const updated = structuredClone(invalid);
      updated['metadata'].labels = { team: 'x' };
      updated['metadata'].finalizers = [];
      assert.equal(responseOf(admit(aReview({ operation: 'UPDATE', object: updated, oldObject: invalid }), prod)).allowed, true);
    });
    for (const [action, change] of [
      ['pause / resume (spec.paused)', { paused: true }],
      ['restart (spec.restartAt)', { restartAt: '2026-01-01T00:00:00Z' }],
      ["the controller's spec.replicas write", { replicas: 1 }],
    ] as const) {
      it(`an Argo CD / CLI action: ${action}`, () => {
        const updated = structuredClone(invalid);
        Object.assign(updated['spec'], change);
        assert.equal(responseOf(admit(aReview({ operation: 'UPDATE', object: updated, oldObject: invalid }), prod)).allowed, true);
      });
    }
    it('terminating an AnalysisRun (spec.terminate)', () => {
      const run = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: { name: 'r' }, spec: { metrics: [] } };
      const terminated = { ...run, spec: { ...run.spec, terminate: true } };
      const kind = { group: 'argoproj.io', version: 'v1alpha1', kind: 'AnalysisRun' };
      assert.equal(responseOf(admit(aReview({ kind, operation: 'UPDATE', object: terminated, oldObject: run }), none)).allowed, true);
    });
    it('an object being deleted (finalizer removal)', () => {
      const updated = structuredClone(invalid);
      updated['metadata'].deletionTimestamp = '2026-01-01T00:00:00Z';
      updated['spec'].replicas = 7;
      updated['spec'].minReadySeconds = 3;
      assert.equal(responseOf(admit(aReview({ operation: 'UPDATE', object: updated, oldObject: invalid }), prod)).allowed, true);
    });
  });

  it('a real spec change on an invalid object is checked', () => {
    const old = invalidRollout();
    const updated = structuredClone(old);
    updated['spec'].minReadySeconds = 5;
    assert.equal(responseOf(admit(aReview({ operation: 'UPDATE', object: updated, oldObject: old }), none)).allowed, false);
  });

  it('dryRun requests get the same answer (the decision has no side effects)', () => {
    const a = admit(aReview({ object: invalidRollout() }), prod);
    const b = admit(aReview({ object: invalidRollout(), dryRun: true }), prod);
    assert.deepEqual(a, b);
  });
});

describe('validating webhook › RolloutPolicy', () => {
  const kind = { group: 'ramp.dev', version: 'v1alpha1', kind: 'RolloutPolicy' };

  it('a valid policy is admitted', () => {
    const response = responseOf(admit(aReview({ kind, namespace: '', object: prodPolicy }), none));
    assert.equal(response.allowed, true);
  });

  it('an invalid policy is refused with every problem', () => {
    const bad = aPolicy('bad', { priority: 'high', rules: [{ name: 'r', message: 'm', enforcementAction: 'block', require: { field: 'spec..x', present: true } }] });
    const response = responseOf(admit(aReview({ kind, object: bad, name: 'bad' }), none));
    assert.equal(response.allowed, false);
    assert.equal(response.status?.code, 422);
    const message = response.status?.message ?? '';
    assert.match(message, /^RolloutPolicy "bad" is invalid: /);
    for (const path of ['spec.priority', 'spec.rules[0].enforcementAction', 'spec.rules[0].require.field']) assert.ok(message.includes(path), path);
  });

  it('a policy that conflicts with one in the cluster is admitted with a warning', () => {
    const existing = aPolicy('platform', { defaults: { rollout: { revisionHistoryLimit: 3 } } });
    const incoming = aPolicy('team', { defaults: { rollout: { revisionHistoryLimit: 5 } } });
    const response = responseOf(admit(aReview({ kind, object: incoming, name: 'team' }), { mode: 'validate', policies: [existing] }));
    assert.equal(response.allowed, true);
    assert.match(response.warnings?.[0] ?? '', /spec\.revisionHistoryLimit: conflicting policy defaults at priority 0 \(RolloutPolicy "platform" says 3, RolloutPolicy "team" says 5\)/);
  });

  it('updating a policy does not conflict with its own stored version', () => {
    const policy = aPolicy('team', { defaults: { rollout: { revisionHistoryLimit: 5 } } });
    const updated = aPolicy('team', { defaults: { rollout: { revisionHistoryLimit: 6 } } });
    const response = responseOf(admit(aReview({ kind, operation: 'UPDATE', object: updated, oldObject: policy, name: 'team' }), { mode: 'validate', policies: [policy] }));
    assert.equal(response.warnings, undefined);
  });
});
