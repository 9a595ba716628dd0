import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBuiltInDefaults } from '../../../functions/defaults/index.ts';
import { checkCondition, describeCondition, evaluateRules, formatFinding } from '../../../functions/policy/index.ts';
import { aRollout, anExperiment } from '../../fixtures/index.ts';
import { aPolicy, rolloutTarget } from './policy-fixtures.ts';

const canary = (steps: unknown[], extra: Record<string, unknown> = {}) => aRollout().withCanarySteps(steps as never, extra).build();

describe('rule conditions', () => {
  const rollout = canary([{ setWeight: 20 }, { pause: { duration: '1m' } }, { setWeight: 50 }], { maxSurge: 1 });
  const cases: Array<{ name: string; condition: Record<string, unknown>; object?: unknown; holds: boolean; detail?: RegExp }> = [
    { name: 'present: true, set', condition: { field: 'spec.strategy.canary', present: true }, holds: true },
    { name: 'present: true, missing', condition: { field: 'spec.strategy.blueGreen', present: true }, holds: false, detail: /spec\.strategy\.blueGreen: must be set/ },
    { name: 'present: false, missing', condition: { field: 'spec.paused', present: false }, holds: true },
    { name: 'present: false, set', condition: { field: 'spec.strategy.canary.maxSurge', present: false }, holds: false, detail: /maxSurge: must not be set/ },
    { name: 'equals, same', condition: { field: 'spec.replicas', equals: 3 }, holds: true },
    { name: 'equals, different', condition: { field: 'spec.replicas', equals: 2 }, holds: false, detail: /spec\.replicas: is 3, must be 2/ },
    { name: 'equals, absent (vacuous)', condition: { field: 'spec.paused', equals: false }, holds: true },
    { name: 'notEquals, different', condition: { field: 'spec.replicas', notEquals: 1 }, holds: true },
    { name: 'notEquals, same', condition: { field: 'spec.replicas', notEquals: 3 }, holds: false },
    { name: 'oneOf, in', condition: { field: 'spec.template.spec.containers[*].name', oneOf: ['app', 'sidecar'] }, holds: true },
    { name: 'oneOf, out', condition: { field: 'spec.template.spec.containers[0].name', oneOf: ['web'] }, holds: false, detail: /containers\[0\]\.name: is "app", must be one of "web"/ },
    { name: 'notOneOf, out', condition: { field: 'spec.template.spec.containers[*].image', notOneOf: ['nginx:latest'] }, holds: true },
    { name: 'notOneOf, in', condition: { field: 'spec.selector.matchLabels[app]', notOneOf: ['demo'] }, holds: false, detail: /spec\.selector\.matchLabels\[app\]: must not be "demo"/ },
    { name: 'max over a wildcard, all within', condition: { field: 'spec.strategy.canary.steps[*].setWeight', max: 50 }, holds: true },
    { name: 'max over a wildcard, one above', condition: { field: 'spec.strategy.canary.steps[*].setWeight', max: 40 }, holds: false, detail: /steps\[2\]\.setWeight: is 50, must be at most 40/ },
    { name: 'min, below', condition: { field: 'spec.replicas', min: 4 }, holds: false, detail: /is 3, must be at least 4/ },
    { name: 'min on a non-number', condition: { field: 'metadata.name', min: 1 }, holds: false, detail: /must be a number/ },
    { name: 'startsWith, matching', condition: { field: 'spec.template.spec.containers[*].image', startsWith: 'registry.example/' }, holds: true },
    { name: 'startsWith, other registry', condition: { field: 'spec.template.spec.containers[*].image', startsWith: 'quay.io/' }, holds: false, detail: /containers\[0\]\.image: is "registry\.example\/demo:1\.0", must start with "quay\.io\/"/ },
    { name: 'endsWith, not matching', condition: { field: 'spec.template.spec.containers[0].image', endsWith: ':latest' }, holds: false },
    {
      name: 'each, every element holds',
      condition: { each: 'spec.template.spec.containers', require: { field: 'resources.requests.cpu', present: true } },
      holds: true,
    },
    {
      name: 'each, an element fails, path relative to the element',
      condition: { each: 'spec.template.spec.containers', require: { not: { field: 'image', endsWith: ':1.0' } } },
      holds: false,
      detail: /spec\.template\.spec\.containers\[0\]\.image: must not hold: image ends with ":1\.0"/,
    },
    { name: 'each, nothing selected (vacuous)', condition: { each: 'spec.template.spec.initContainers', require: { field: 'image', present: true } }, holds: true },
    { name: 'allOf, both hold', condition: { allOf: [{ field: 'spec.replicas', min: 1 }, { field: 'spec.replicas', max: 5 }] }, holds: true },
    { name: 'allOf, one fails', condition: { allOf: [{ field: 'spec.replicas', min: 1 }, { field: 'spec.replicas', max: 2 }] }, holds: false },
    { name: 'anyOf, one holds', condition: { anyOf: [{ field: 'spec.replicas', equals: 1 }, { field: 'spec.replicas', equals: 3 }] }, holds: true },
    {
      name: 'anyOf, none holds',
      condition: { anyOf: [{ field: 'spec.replicas', equals: 1 }, { field: 'spec.paused', present: true }] },
      holds: false,
      detail: /none of the alternatives holds: \(1\) spec\.replicas is 3, must be 1; \(2\) spec\.paused must be set/,
    },
    { name: 'not, inner fails', condition: { not: { field: 'spec.paused', equals: true } }, object: aRollout().withSpec({ paused: false }).build(), holds: true },
    { name: 'not, inner holds', condition: { not: { field: 'spec.replicas', equals: 3 } }, holds: false, detail: /must not hold: spec\.replicas equals 3/ },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.holds ? 'holds' : 'fails'}`, () => {
      const failures = checkCondition(c.condition, c.object ?? rollout);
      assert.equal(failures.length === 0, c.holds, JSON.stringify(failures));
      if (c.detail) assert.match(failures.map((f) => `${f.path}: ${f.detail}`).join('\n'), c.detail);
    });
  }
});

describe('rule conditions › runsAnalysis', () => {
  const analysis = { templates: [{ templateName: 'success-rate' }] };
  const table: Array<[string, unknown, boolean]> = [
    ['canary without analysis', canary([{ setWeight: 20 }]), false],
    ['canary with background analysis', canary([{ setWeight: 20 }], { analysis }), true],
    ['canary with an analysis step', canary([{ setWeight: 20 }, { analysis }]), true],
    ['canary with an experiment step with analyses', canary([{ experiment: { templates: [{ name: 'a', specRef: 'canary' }], analyses: [{ name: 'x', templateName: 't' }] } }]), true],
    ['canary with an analysis entry without templates', canary([{ analysis: { templates: [] } }]), false],
    ['blue-green without analysis', aRollout().withBlueGreen('active').build(), false],
    ['blue-green with prePromotionAnalysis', aRollout().withBlueGreen('active', { prePromotionAnalysis: analysis }).build(), true],
    ['blue-green with postPromotionAnalysis', aRollout().withBlueGreen('active', { postPromotionAnalysis: analysis }).build(), true],
    ['experiment with analyses', anExperiment().withTemplate('a').withAnalysis('x', 't').build(), true],
    ['experiment without analyses', anExperiment().withTemplate('a').build(), false],
  ];
  for (const [name, object, runs] of table) {
    it(`${name}: runsAnalysis ${runs ? 'holds' : 'fails'}`, () => {
      assert.equal(checkCondition({ runsAnalysis: true }, object).length === 0, runs);
      assert.equal(checkCondition({ runsAnalysis: false }, object).length === 0, !runs);
    });
  }
});

describe('rule conditions › maxWeightIncrease', () => {
  const table: Array<[string, unknown[], boolean, RegExp?]> = [
    ['25 → 50 → 75, promotion +25', [{ setWeight: 25 }, { pause: {} }, { setWeight: 50 }, { setWeight: 75 }], true],
    ['a jump of 35', [{ setWeight: 25 }, { setWeight: 60 }, { setWeight: 80 }], false, /steps\[1\]\.setWeight: raises the weight from 25 to 60 \(\+35\); at most \+25 per step/],
    ['first step above 25', [{ setWeight: 30 }, { setWeight: 50 }, { setWeight: 75 }], false, /steps\[0\]\.setWeight: raises the weight from 0 to 30/],
    ['ends at 50: promotion jumps +50', [{ setWeight: 25 }, { setWeight: 50 }], false, /end at weight 50, so promotion jumps to 100 \(\+50\)/],
    ['no steps: 0 → 100 at once', [], false, /from 0 to 100 at once/],
    ['going down is fine', [{ setWeight: 25 }, { setWeight: 5 }, { setWeight: 25 }, { setWeight: 50 }, { setWeight: 75 }], true],
  ];
  for (const [name, steps, holds, detail] of table) {
    it(`${name} → ${holds ? 'holds' : 'fails'}`, () => {
      const failures = checkCondition({ maxWeightIncrease: 25 }, canary(steps));
      assert.equal(failures.length === 0, holds, JSON.stringify(failures));
      if (detail) assert.match(failures.map((f) => `${f.path}: ${f.detail}`).join('\n'), detail);
    });
  }
  it('uses maxTrafficWeight as the full weight', () => {
    const routed = (steps: unknown[]) =>
      canary(steps, { canaryService: 'c', stableService: 's', trafficRouting: { maxTrafficWeight: 1000, nginx: { stableIngress: 'i' } } });
    assert.deepEqual(checkCondition({ maxWeightIncrease: 250 }, routed([{ setWeight: 250 }, { setWeight: 500 }, { setWeight: 750 }])), []);
    const failures = checkCondition({ maxWeightIncrease: 250 }, routed([{ setWeight: 250 }, { setWeight: 500 }]));
    assert.match(failures[0]?.detail ?? '', /promotion jumps to 1000 \(\+500\)/);
  });
  it('does not apply to blue-green Rollouts', () => {
    assert.deepEqual(checkCondition({ maxWeightIncrease: 10 }, aRollout().withBlueGreen('a').build()), []);
  });
});

describe('rules › enforcement and matching', () => {
  const policy = aPolicy('prod-safety', {
    match: { kinds: ['Rollout'], namespaceSelector: { matchLabels: { env: 'prod' } } },
    rules: [
      { name: 'analysis', message: 'Rollouts in production must run analysis', enforcementAction: 'deny', require: { runsAnalysis: true } },
      { name: 'manual-promotion', message: 'autoPromotionEnabled is forbidden', enforcementAction: 'warn', require: { field: 'spec.strategy.blueGreen.autoPromotionEnabled', equals: false } },
      { name: 'small-steps', message: 'no setWeight step may jump more than 25', enforcementAction: 'audit', require: { maxWeightIncrease: 25 } },
      { name: 'default-action', message: 'three replicas at least', require: { field: 'spec.replicas', min: 3 } },
    ],
  });

  it('reports each failing rule with its enforcement action (deny is the default)', () => {
    const rollout = applyBuiltInDefaults('Rollout', aRollout().withReplicas(1).withCanarySteps([{ setWeight: 50 }]).build()).object;
    const { findings } = evaluateRules([policy], rolloutTarget(), rollout);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.enforcementAction]),
      [
        ['analysis', 'deny'],
        ['small-steps', 'audit'],
        ['default-action', 'deny'],
      ],
    );
    assert.match(formatFinding(findings[0]!), /^RolloutPolicy "prod-safety" rule "analysis": Rollouts in production must run analysis \(spec\.strategy: runs no analysis/);
  });

  it('sees built-in defaults: an omitted autoPromotionEnabled reads as true', () => {
    const rollout = applyBuiltInDefaults('Rollout', aRollout().withBlueGreen('active', { prePromotionAnalysis: { templates: [{ templateName: 't' }] } }).build()).object;
    const { findings } = evaluateRules([policy], rolloutTarget(), rollout);
    assert.deepEqual(findings.map((f) => f.rule), ['manual-promotion']);
    assert.match(formatFinding(findings[0]!), /spec\.strategy\.blueGreen\.autoPromotionEnabled: is true, must be false/);
  });

  it('does not apply outside the matched namespaces', () => {
    const rollout = aRollout().withReplicas(1).build();
    assert.deepEqual(evaluateRules([policy], rolloutTarget({ namespaceLabels: { env: 'dev' } }), rollout).findings, []);
  });

  it('a rule-level match narrows the policy match', () => {
    const narrowed = aPolicy('p', {
      rules: [{ name: 'r', message: 'm', match: { objectSelector: { matchLabels: { tier: 'critical' } } }, require: { field: 'spec.replicas', min: 5 } }],
    });
    const rollout = aRollout().build();
    assert.equal(evaluateRules([narrowed], rolloutTarget(), rollout).findings.length, 0);
    assert.equal(evaluateRules([narrowed], rolloutTarget({ labels: { tier: 'critical' } }), rollout).findings.length, 1);
  });

  it('names rules it could not match because the namespace labels are unknown', () => {
    const target = rolloutTarget();
    delete (target as { namespaceLabels?: unknown }).namespaceLabels;
    const evaluation = evaluateRules([policy], target, aRollout().build());
    assert.deepEqual(evaluation.findings, []);
    assert.deepEqual(evaluation.unevaluated, ['prod-safety/analysis', 'prod-safety/manual-promotion', 'prod-safety/small-steps', 'prod-safety/default-action']);
  });

  it('describes conditions in words', () => {
    assert.equal(describeCondition({ field: 'spec.replicas', min: 2, max: 5 }), 'spec.replicas is at least 2 and is at most 5');
    assert.equal(describeCondition({ anyOf: [{ runsAnalysis: true }, { not: { field: 'x', present: true } }] }), 'any of (runs analysis; not (x is set))');
  });
});
