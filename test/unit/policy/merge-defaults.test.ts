import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPolicyDefaults, formatConflict } from '../../../functions/policy/index.ts';
import { aRollout, anExperiment } from '../../fixtures/index.ts';
import { aPolicy, rolloutTarget } from './policy-fixtures.ts';

type Json = Record<string, any>;

describe('policy defaults › merge', () => {
  it('fills only fields the object left empty', () => {
    const policy = aPolicy('p', { defaults: { rollout: { progressDeadlineSeconds: 900, revisionHistoryLimit: 3 } } });
    const rollout = aRollout().withSpec({ revisionHistoryLimit: 7 }).build();
    const result = applyPolicyDefaults([policy], rolloutTarget(), rollout);
    const spec = (result.object as Json)['spec'];
    assert.equal(spec.progressDeadlineSeconds, 900);
    assert.equal(spec.revisionHistoryLimit, 7);
    assert.deepEqual(result.applied, [{ path: 'spec.progressDeadlineSeconds', policy: 'p', value: 900 }]);
    assert.deepEqual(result.conflicts, []);
  });

  it('does not modify its input', () => {
    const rollout = aRollout().build();
    const before = structuredClone(rollout);
    applyPolicyDefaults([aPolicy('p', { defaults: { rollout: { progressDeadlineAbort: true } } })], rolloutTarget(), rollout);
    assert.deepEqual(rollout, before);
  });

  it('the higher spec.priority wins, whatever the names', () => {
    const low = aPolicy('a-low', { priority: 1, defaults: { rollout: { revisionHistoryLimit: 1 } } });
    const high = aPolicy('z-high', { priority: 10, defaults: { rollout: { revisionHistoryLimit: 20 } } });
    for (const order of [[low, high], [high, low]]) {
      const result = applyPolicyDefaults(order, rolloutTarget(), aRollout().build());
      assert.equal((result.object as Json)['spec'].revisionHistoryLimit, 20);
      assert.deepEqual(result.applied, [{ path: 'spec.revisionHistoryLimit', policy: 'z-high', value: 20 }]);
      assert.deepEqual(result.conflicts, []);
    }
  });

  it('same priority, different values: a reported conflict, and neither value applied', () => {
    const a = aPolicy('team-a', { defaults: { rollout: { progressDeadlineSeconds: 300, revisionHistoryLimit: 4 } } });
    const b = aPolicy('team-b', { defaults: { rollout: { progressDeadlineSeconds: 1200 } } });
    const result = applyPolicyDefaults([b, a], rolloutTarget(), aRollout().build());
    const spec = (result.object as Json)['spec'];
    assert.equal('progressDeadlineSeconds' in spec, false);
    assert.equal(spec.revisionHistoryLimit, 4);
    assert.deepEqual(result.conflicts, [
      {
        path: 'spec.progressDeadlineSeconds',
        priority: 0,
        candidates: [
          { policy: 'team-a', value: 300 },
          { policy: 'team-b', value: 1200 },
        ],
      },
    ]);
    assert.match(formatConflict(result.conflicts[0]!), /spec\.progressDeadlineSeconds: conflicting policy defaults at priority 0 \(RolloutPolicy "team-a" says 300, RolloutPolicy "team-b" says 1200\)/);
  });

  it('a conflict at the top priority is not settled by a lower-priority policy either', () => {
    const a = aPolicy('a', { priority: 5, defaults: { rollout: { revisionHistoryLimit: 1 } } });
    const b = aPolicy('b', { priority: 5, defaults: { rollout: { revisionHistoryLimit: 2 } } });
    const c = aPolicy('c', { priority: 0, defaults: { rollout: { revisionHistoryLimit: 3 } } });
    const result = applyPolicyDefaults([a, b, c], rolloutTarget(), aRollout().build());
    assert.equal('revisionHistoryLimit' in (result.object as Json)['spec'], false);
    assert.equal(result.conflicts.length, 1);
  });

  it('same priority, same value: no conflict', () => {
    const a = aPolicy('a', { defaults: { rollout: { progressDeadlineSeconds: 300 } } });
    const b = aPolicy('b', { defaults: { rollout: { progressDeadlineSeconds: 300 } } });
    const result = applyPolicyDefaults([a, b], rolloutTarget(), aRollout().build());
    assert.equal((result.object as Json)['spec'].progressDeadlineSeconds, 300);
    assert.deepEqual(result.conflicts, []);
  });

  it('no conflict is reported for a field the object sets itself', () => {
    const a = aPolicy('a', { defaults: { rollout: { progressDeadlineSeconds: 300 } } });
    const b = aPolicy('b', { defaults: { rollout: { progressDeadlineSeconds: 900 } } });
    const result = applyPolicyDefaults([a, b], rolloutTarget(), aRollout().withSpec({ progressDeadlineSeconds: 60 }).build());
    assert.deepEqual(result.conflicts, []);
  });

  it('a default background analysis is set as a whole, and never merged into the user\'s own', () => {
    const analysis = { templates: [{ templateName: 'success-rate', clusterScope: true }], args: [{ name: 'service', value: 'x' }] };
    const policy = aPolicy('analysis', { defaults: { rollout: { strategy: { canary: { analysis } } } } });
    const bare = applyPolicyDefaults([policy], rolloutTarget(), aRollout().build());
    assert.deepEqual((bare.object as Json)['spec'].strategy.canary.analysis, analysis);
    const own = { templates: [{ templateName: 'mine' }] };
    const withOwn = applyPolicyDefaults([policy], rolloutTarget(), aRollout().withCanarySteps([{ setWeight: 10 }], { analysis: own }).build());
    assert.deepEqual((withOwn.object as Json)['spec'].strategy.canary.analysis, own);
    assert.deepEqual(withOwn.applied, []);
  });

  it('canary defaults never turn a blue-green Rollout into a canary', () => {
    const policy = aPolicy('p', { defaults: { rollout: { strategy: { canary: { maxSurge: 1 }, blueGreen: { autoPromotionEnabled: false } } } } });
    const bg = applyPolicyDefaults([policy], rolloutTarget(), aRollout().withBlueGreen('active').build());
    assert.deepEqual(Object.keys((bg.object as Json)['spec'].strategy), ['blueGreen']);
    assert.equal((bg.object as Json)['spec'].strategy.blueGreen.autoPromotionEnabled, false);
    assert.deepEqual(bg.skipped, [{ path: 'spec.strategy.canary.maxSurge', policy: 'p', reason: 'the object has no spec.strategy.canary' }]);
  });

  it('skips canary scale-down delays where validation would refuse them (no traffic routing)', () => {
    const policy = aPolicy('p', { defaults: { rollout: { strategy: { canary: { scaleDownDelaySeconds: 60 } } } } });
    const basic = applyPolicyDefaults([policy], rolloutTarget(), aRollout().build());
    assert.equal('scaleDownDelaySeconds' in (basic.object as Json)['spec'].strategy.canary, false);
    assert.equal(basic.skipped[0]?.reason, 'only applies with trafficRouting');
    const routed = aRollout().withCanarySteps([{ setWeight: 10 }], { canaryService: 'c', stableService: 's', trafficRouting: { nginx: { stableIngress: 'i' } } }).build();
    assert.equal((applyPolicyDefaults([policy], rolloutTarget(), routed).object as Json)['spec'].strategy.canary.scaleDownDelaySeconds, 60);
  });

  it('ignores forbidden defaults (selector, template, steps) even in a policy that slipped past validation', () => {
    const policy = aPolicy('p', { defaults: { rollout: { selector: { matchLabels: { x: 'y' } }, strategy: { canary: { steps: [{ setWeight: 1 }] } } } } });
    const rollout = aRollout().build() as Json;
    delete rollout['spec'].selector;
    const result = applyPolicyDefaults([policy], rolloutTarget(), rollout);
    assert.equal('selector' in (result.object as Json)['spec'], false);
    assert.deepEqual((result.object as Json)['spec'].strategy.canary.steps, [{ setWeight: 20 }, { pause: {} }]);
  });

  it('creates intermediate objects that are not strategy choices (spec.analysis)', () => {
    const policy = aPolicy('p', { defaults: { rollout: { analysis: { successfulRunHistoryLimit: 2 } } } });
    const result = applyPolicyDefaults([policy], rolloutTarget(), aRollout().build());
    assert.deepEqual((result.object as Json)['spec'].analysis, { successfulRunHistoryLimit: 2 });
  });

  it('experiment defaults apply to Experiments, rollout defaults do not', () => {
    const policy = aPolicy('p', { defaults: { rollout: { progressDeadlineSeconds: 1 }, experiment: { progressDeadlineSeconds: 2, scaleDownDelaySeconds: 5 } } });
    const result = applyPolicyDefaults([policy], rolloutTarget({ kind: 'Experiment' }), anExperiment().withTemplate('a').build());
    assert.equal((result.object as Json)['spec'].progressDeadlineSeconds, 2);
    assert.equal((result.object as Json)['spec'].scaleDownDelaySeconds, 5);
  });

  it('applying twice equals applying once', () => {
    const policies = [
      aPolicy('a', { defaults: { rollout: { progressDeadlineSeconds: 300, strategy: { canary: { analysis: { templates: [{ templateName: 't' }] } } } } } }),
      aPolicy('b', { defaults: { rollout: { progressDeadlineSeconds: 900 } } }),
    ];
    const once = applyPolicyDefaults(policies, rolloutTarget(), aRollout().build());
    const twice = applyPolicyDefaults(policies, rolloutTarget(), once.object);
    assert.deepEqual(twice.object, once.object);
    assert.deepEqual(twice.applied, []);
  });
});

describe('policy defaults › match', () => {
  const policy = (match: Record<string, unknown>) => aPolicy('p', { match, defaults: { rollout: { revisionHistoryLimit: 2 } } });
  const applied = (match: Record<string, unknown>, target = rolloutTarget()) =>
    applyPolicyDefaults([policy(match)], target, aRollout().build()).applied.length === 1;

  const table: Array<[string, Record<string, unknown>, boolean]> = [
    ['no match block: everything', {}, true],
    ['kinds includes Rollout', { kinds: ['Rollout'] }, true],
    ['kinds without Rollout', { kinds: ['Experiment'] }, false],
    ['namespaces includes shop', { namespaces: ['shop', 'other'] }, true],
    ['namespaces without shop', { namespaces: ['other'] }, false],
    ['namespaceSelector env=prod', { namespaceSelector: { matchLabels: { env: 'prod' } } }, true],
    ['namespaceSelector env=dev', { namespaceSelector: { matchLabels: { env: 'dev' } } }, false],
    ['namespaceSelector env In (prod, staging)', { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] } }, true],
    ['namespaceSelector env NotIn (prod)', { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }, false],
    ['namespaceSelector team Exists', { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }, false],
    ['namespaceSelector team DoesNotExist', { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }, true],
    ['objectSelector app=demo', { objectSelector: { matchLabels: { app: 'demo' } } }, true],
    ['objectSelector app=other', { objectSelector: { matchLabels: { app: 'other' } } }, false],
  ];
  for (const [name, match, expected] of table) {
    it(`${name} → ${expected ? 'applies' : 'does not apply'}`, () => assert.equal(applied(match), expected));
  }

  it('a namespaceSelector with unknown namespace labels does not apply, and the policy is named', () => {
    const target = rolloutTarget();
    delete (target as { namespaceLabels?: unknown }).namespaceLabels;
    const result = applyPolicyDefaults([policy({ namespaceSelector: { matchLabels: { env: 'prod' } } })], target, aRollout().build());
    assert.deepEqual(result.applied, []);
    assert.deepEqual(result.unevaluated, ['p']);
  });
});
