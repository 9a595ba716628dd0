import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditObjects, findPolicyConflicts } from '../../../functions/policy/index.ts';
import { aRollout, anAnalysisTemplate } from '../../fixtures/index.ts';
import { aPolicy } from './policy-fixtures.ts';

describe('policy conflicts (without objects)', () => {
  it('finds two same-priority policies defaulting a field differently', () => {
    const conflicts = findPolicyConflicts([
      aPolicy('b', { defaults: { rollout: { revisionHistoryLimit: 2, progressDeadlineSeconds: 60 } } }),
      aPolicy('a', { defaults: { rollout: { revisionHistoryLimit: 3, progressDeadlineSeconds: 60 } } }),
    ]);
    assert.deepEqual(conflicts, [
      {
        path: 'spec.revisionHistoryLimit',
        kind: 'Rollout',
        priority: 0,
        candidates: [
          { policy: 'a', value: 3 },
          { policy: 'b', value: 2 },
        ],
      },
    ]);
  });

  const none: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['different priorities', { priority: 1 }, { priority: 2 }],
    ['disjoint kinds', { match: { kinds: ['Experiment'] } }, { match: { kinds: ['Rollout'] } }],
    ['disjoint namespaces', { match: { namespaces: ['a'] } }, { match: { namespaces: ['b'] } }],
    ['contradicting namespace labels', { match: { namespaceSelector: { matchLabels: { env: 'prod' } } } }, { match: { namespaceSelector: { matchLabels: { env: 'dev' } } } }],
    ['contradicting object labels', { match: { objectSelector: { matchLabels: { tier: 'a' } } } }, { match: { objectSelector: { matchLabels: { tier: 'b' } } } }],
  ];
  for (const [name, a, b] of none) {
    it(`none for ${name}`, () => {
      const conflicts = findPolicyConflicts([
        aPolicy('a', { ...a, defaults: { rollout: { revisionHistoryLimit: 2 } } }),
        aPolicy('b', { ...b, defaults: { rollout: { revisionHistoryLimit: 3 } } }),
      ]);
      assert.deepEqual(conflicts, []);
    });
  }
});

describe('auditObjects', () => {
  const policy = aPolicy('prod', {
    match: { namespaceSelector: { matchLabels: { env: 'prod' } } },
    rules: [
      { name: 'analysis', message: 'must run analysis', require: { runsAnalysis: true } },
      { name: 'replicas', message: 'at least 2', enforcementAction: 'audit', require: { field: 'spec.replicas', min: 2 } },
    ],
  });
  const namespaces = [
    { metadata: { name: 'shop', labels: { env: 'prod' } } },
    { metadata: { name: 'dev', labels: { env: 'dev' } } },
  ];

  it('reports every violation of every object, whatever the enforcement action', () => {
    const objects = [
      aRollout().named('bare').inNamespace('shop').withReplicas(1).build(),
      aRollout().named('fine').inNamespace('shop').withCanarySteps([{ setWeight: 10 }, { analysis: { templates: [{ templateName: 't' }] } }]).build(),
      aRollout().named('elsewhere').inNamespace('dev').withReplicas(1).build(),
      anAnalysisTemplate().named('t').inNamespace('shop').build(),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' } },
    ];
    const findings = auditObjects([policy], objects, namespaces);
    assert.deepEqual(
      findings.map((f) => [f.kind, f.namespace, f.name, f.rule, f.enforcementAction]),
      [
        ['Rollout', 'shop', 'bare', 'analysis', 'deny'],
        ['Rollout', 'shop', 'bare', 'replicas', 'audit'],
      ],
    );
  });

  it('reads omitted fields as their defaults (spec.replicas → 1)', () => {
    const findings = auditObjects([policy], [aRollout().named('r').inNamespace('shop').withReplicas(undefined).build()], { shop: { env: 'prod' } });
    assert.deepEqual(findings.find((f) => f.rule === 'replicas')?.failures, [{ path: 'spec.replicas', detail: 'is 1, must be at least 2' }]);
  });

  it('objects in namespaces it was not told about do not match a namespaceSelector', () => {
    assert.deepEqual(auditObjects([policy], [aRollout().inNamespace('unknown').build()], namespaces), []);
  });
});
