import { test } from 'node:test';
import assert from 'node:assert/strict';
import { andLabelSelectors } from '../../../functions/selectors/index.ts';
import { instanceIdSelector } from '../../../controller/kube/instance-id.ts';

test('instance id › selects labelled objects with an id, unlabelled ones without', () => {
  assert.equal(instanceIdSelector('blue'), 'argo-rollouts.argoproj.io/controller-instance-id=blue');
  assert.equal(instanceIdSelector(undefined), '!argo-rollouts.argoproj.io/controller-instance-id');
  assert.equal(andLabelSelectors(instanceIdSelector(''), undefined, 'app=web'), '!argo-rollouts.argoproj.io/controller-instance-id,app=web');
});
