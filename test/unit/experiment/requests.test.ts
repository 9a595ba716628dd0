// The experiment controller's wire format: each action as one API request, with the
// preconditions that make a decision taken on a stale view fail instead of overwrite.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anExperiment } from '../../fixtures/index.ts';
import { readBackRequest, requestFor, statusRequest } from '../../../controller/experiments/requests.ts';
import { templateReplicaSet } from '../../../functions/experiment/index.ts';

const ctx = { namespace: 'team-a', replicaSetAnnotations: (name: string) => (name === 'exp-baseline' ? { 'scale-down-deadline': '2026-01-01T00:00:30Z', other: 'x' } : undefined) };

describe('experiment controller › requests', () => {
  it('createReplicaSet → POST in the experiment\'s namespace', () => {
    const experiment = anExperiment().named('exp').build();
    const rs = templateReplicaSet(experiment, experiment.spec.templates[0]!, 1);
    const r = requestFor({ kind: 'createReplicaSet', template: 'baseline', replicaSet: rs }, ctx);
    assert.equal(r.request.method, 'POST');
    assert.equal(r.request.path, '/apis/apps/v1/namespaces/team-a/replicasets');
    assert.equal((r.request.body as typeof rs).metadata.namespace, 'team-a');
    assert.equal(r.creates, true);
    assert.deepEqual(readBackRequest({ kind: 'createReplicaSet', template: 'baseline', replicaSet: rs }, 'team-a'), {
      method: 'GET',
      path: '/apis/apps/v1/namespaces/team-a/replicasets/exp-baseline',
    });
  });

  it('scaleReplicaSet → JSON patch that tests the replicas the decision saw', () => {
    const r = requestFor({ kind: 'scaleReplicaSet', template: 'baseline', name: 'exp-baseline', from: 2, replicas: 0 }, ctx);
    assert.deepEqual(r.request, {
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/team-a/replicasets/exp-baseline',
      patchType: 'json',
      body: [
        { op: 'test', path: '/spec/replicas', value: 2 },
        { op: 'replace', path: '/spec/replicas', value: 0 },
      ],
    });
    assert.equal(r.staleOnInvalid, true);
  });

  it('annotateReplicaSet → JSON patch ops against the annotations seen (removing a key that is there)', () => {
    const set = requestFor({ kind: 'annotateReplicaSet', template: 'baseline', name: 'other', annotations: { set: { 'scale-down-deadline': '2026-01-01T00:00:30Z' } } }, ctx);
    assert.deepEqual(set.request.body, [{ op: 'add', path: '/metadata/annotations', value: { 'scale-down-deadline': '2026-01-01T00:00:30Z' } }]);
    const remove = requestFor(
      { kind: 'annotateReplicaSet', template: 'baseline', name: 'exp-baseline', annotations: { remove: ['scale-down-deadline', 'argo-rollouts.argoproj.io/scale-down-deadline'] } },
      ctx,
    );
    assert.deepEqual(remove.request.body, [{ op: 'remove', path: '/metadata/annotations/scale-down-deadline' }]);
  });

  it('deleteService → DELETE with the uid as a precondition; 404 and 409 mean done', () => {
    const r = requestFor({ kind: 'deleteService', template: 'baseline', name: 'exp-baseline', uid: 'u1' }, ctx);
    assert.deepEqual(r.request, {
      method: 'DELETE',
      path: '/api/v1/namespaces/team-a/services/exp-baseline',
      body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: 'u1' } },
    });
    assert.equal(r.notFoundIsDone, true);
    assert.equal(r.conflictIsDone, true);
  });

  it('terminateAnalysisRun → merge patch spec.terminate; 404 means done', () => {
    const r = requestFor({ kind: 'terminateAnalysisRun', analysis: 'smoke', name: 'exp-smoke' }, ctx);
    assert.deepEqual(r.request, {
      method: 'PATCH',
      path: '/apis/argoproj.io/v1alpha1/namespaces/team-a/analysisruns/exp-smoke',
      patchType: 'merge',
      body: { spec: { terminate: true } },
    });
    assert.equal(r.notFoundIsDone, true);
  });

  it('the status is merge-patched on the Experiment itself, guarded by its resourceVersion', () => {
    assert.deepEqual(statusRequest('team-a', 'exp', '42', { phase: 'Running' }), {
      method: 'PATCH',
      path: '/apis/argoproj.io/v1alpha1/namespaces/team-a/experiments/exp',
      patchType: 'merge',
      body: { metadata: { resourceVersion: '42' }, status: { phase: 'Running' } },
    });
  });
});
