import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabelSelector } from '../../../functions/api/index.ts';
import { compileLabelSelector, formatLabelSelector, formatSelector, type Labels, parseLabelSelector, workloadSelectorMatches } from '../../../functions/selectors/index.ts';

const matchesLabelSelector = (selector: string | LabelSelector, labels: Labels | undefined): boolean => compileLabelSelector(selector)(labels);

const web = { app: 'web', tier: 'frontend', 'rollouts-pod-template-hash': 'abc' };

test('label selector › string syntax', () => {
  const cases: Array<[string, boolean]> = [
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=api', false],
    ['tier in (frontend, backend)', true],
    ['tier notin (frontend)', false],
    ['rollouts-pod-template-hash', true],
    ['!rollouts-pod-template-hash', false],
    ['!legacy', true],
    ['app=web,tier in (frontend),!legacy', true],
    ['app=web,tier=backend', false],
    ['', true],
  ];
  for (const [selector, want] of cases) assert.equal(matchesLabelSelector(selector, web), want, selector);
  assert.equal(matchesLabelSelector('missing!=x', web), true, 'NotIn matches an absent label');
  assert.equal(matchesLabelSelector('app=web', undefined), false);
});

test('label selector › structured metav1.LabelSelector', () => {
  assert.equal(matchesLabelSelector({ matchLabels: { app: 'web' } }, web), true);
  assert.equal(matchesLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }, web), false);
  assert.equal(matchesLabelSelector({}, web), true, 'an empty selector matches everything');
  assert.equal(
    formatLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'DoesNotExist' }] }),
    'app=web,env in (a,b),!x',
  );
});

test('label selector › bad terms are reported', () => {
  assert.throws(() => parseLabelSelector('app=web,=oops'), /invalid label selector term "=oops"/);
});

describe('selectors › matching a workload selector', () => {
  const selector: LabelSelector = {
    matchLabels: { app: 'demo' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['web', 'api'] },
      { key: 'legacy', operator: 'DoesNotExist' },
    ],
  };
  const cases: Array<[labels: Record<string, string>, matches: boolean]> = [
    [{ app: 'demo', tier: 'web' }, true],
    [{ app: 'demo', tier: 'db' }, false],
    [{ app: 'demo', tier: 'web', legacy: 'yes' }, false],
    [{ app: 'other', tier: 'web' }, false],
  ];
  for (const [labels, matches] of cases) {
    it(`${JSON.stringify(labels)} → ${matches}`, () => assert.equal(workloadSelectorMatches(selector, labels), matches));
  }
  it('an empty selector matches nothing', () => assert.equal(workloadSelectorMatches({}, { app: 'demo' }), false));
});

describe('selectors › text form for status.selector', () => {
  it('sorts requirements by key and spells expressions as Kubernetes does', () => {
    const selector: LabelSelector = {
      matchLabels: { app: 'demo' },
      matchExpressions: [
        { key: 'zone', operator: 'NotIn', values: ['b', 'a'] },
        { key: 'env', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    assert.equal(formatSelector(selector, { 'rollouts-pod-template-hash': 'abc' }), 'app=demo,!canary,env,rollouts-pod-template-hash=abc,zone notin (a,b)');
  });
});
