import { test } from 'node:test';
import assert from 'node:assert/strict';
import { andLabelSelectors, formatLabelSelector, matchesLabelSelector, parseLabelSelector } from '../../../controller/kube/label-selector.ts';
import { instanceIdSelector } from '../../../controller/kube/instance-id.ts';

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

test('instance id › selects labelled objects with an id, unlabelled ones without', () => {
  assert.equal(instanceIdSelector('blue'), 'argo-rollouts.argoproj.io/controller-instance-id=blue');
  assert.equal(instanceIdSelector(undefined), '!argo-rollouts.argoproj.io/controller-instance-id');
  assert.equal(andLabelSelectors(instanceIdSelector(''), undefined, 'app=web'), '!argo-rollouts.argoproj.io/controller-instance-id,app=web');
});
