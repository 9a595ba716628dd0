// Each decided action as the one API request that carries it out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL } from '../../../functions/api/index.ts';
import type { Action } from '../../../functions/rollout/decide/types.ts';
import { annotationOps, requestFor, statusRequest, type RequestContext } from '../../../controller/rollouts/requests.ts';
import type { ReplicaSetObject, RolloutObject } from '../../../controller/rollouts/snapshot.ts';

const rollout = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web', namespace: 'shop', uid: 'ro-1' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: {}, strategy: { canary: {} } },
  status: { phase: 'Progressing', currentStepIndex: 0, message: 'more replicas need to be updated' },
} as unknown as RolloutObject;

const rs = (name: string, annotations?: Record<string, string>, extra: Partial<ReplicaSetObject['metadata']> = {}): ReplicaSetObject => ({
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '41', ...(annotations ? { annotations } : {}), ...extra },
  spec: { replicas: 2 },
});

const ctx: RequestContext = {
  namespace: 'shop',
  rollout,
  replicaSets: new Map([
    ['web-abc', rs('web-abc', { 'rollout.argoproj.io/revision': '1', 'scale-down-deadline': '2026-01-01T00:00:00Z' })],
    ['web-bare', rs('web-bare')],
    ['web-orphan', rs('web-orphan', undefined, { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'cm', controller: false }] })],
  ]),
};

const owner = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'ro-1', controller: true, blockOwnerDeletion: true };

test('requests › create ReplicaSet: POST into the Rollout namespace, AlreadyExists means a stale view', () => {
  const action: Action = {
    kind: 'createReplicaSet',
    replicaSet: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-new', labels: { [POD_TEMPLATE_HASH_LABEL]: 'new' }, annotations: {}, ownerReferences: [owner] },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: {} },
    },
  };
  const r = requestFor(action, ctx);
  assert.equal(r.request.method, 'POST');
  assert.equal(r.request.path, '/apis/apps/v1/namespaces/shop/replicasets');
  assert.equal((r.request.body as { metadata: { namespace: string } }).metadata.namespace, 'shop');
  assert.deepEqual([r.writes, r.notFoundIsDone, r.conflictIsDone, r.staleOnInvalid], ['replicaSet', false, false, false]);
});

test('requests › scale: JSON patch testing the replicas the decision saw, then annotation ops', () => {
  const r = requestFor(
    { kind: 'scaleReplicaSet', name: 'web-abc', from: 2, replicas: 4, annotations: { set: { 'rollout.argoproj.io/desired-replicas': '4' }, remove: ['scale-down-deadline', 'absent'] } },
    ctx,
  );
  assert.equal(r.request.method, 'PATCH');
  assert.equal(r.request.patchType, 'json');
  assert.equal(r.request.path, '/apis/apps/v1/namespaces/shop/replicasets/web-abc');
  assert.deepEqual(r.request.body, [
    { op: 'test', path: '/spec/replicas', value: 2 },
    { op: 'add', path: '/spec/replicas', value: 4 },
    { op: 'remove', path: '/metadata/annotations/scale-down-deadline' },
    { op: 'add', path: '/metadata/annotations/rollout.argoproj.io~1desired-replicas', value: '4' },
  ]);
  assert.equal(r.staleOnInvalid, true, 'a failed test op (422) means the view was stale');
});

test('requests › annotation ops: a ReplicaSet without annotations gets the whole map; removing absent keys is skipped', () => {
  assert.deepEqual(annotationOps(undefined, { set: { a: '1' }, remove: ['b'] }), [{ op: 'add', path: '/metadata/annotations', value: { a: '1' } }]);
  assert.deepEqual(annotationOps(undefined, { remove: ['b'] }), []);
  assert.deepEqual(annotationOps({ 'x/y~z': '1' }, { remove: ['x/y~z'] }), [{ op: 'remove', path: '/metadata/annotations/x~1y~0z' }]);
  assert.deepEqual(annotationOps({ a: '1' }, { set: { a: '2' }, remove: ['a'] }), [{ op: 'add', path: '/metadata/annotations/a', value: '2' }], 'set wins over remove');
});

test('requests › annotate ReplicaSet / Rollout: merge patches with null for removed keys', () => {
  const rsReq = requestFor({ kind: 'annotateReplicaSet', name: 'web-abc', annotations: { set: { 'scale-down-deadline': 'T' }, remove: ['old'] } }, ctx);
  assert.deepEqual(rsReq.request.body, { metadata: { annotations: { old: null, 'scale-down-deadline': 'T' } } });
  assert.equal(rsReq.request.patchType, 'merge');
  const roReq = requestFor({ kind: 'annotateRollout', annotations: { set: { 'rollout.argoproj.io/revision': '2' } } }, ctx);
  assert.equal(roReq.request.path, '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/web');
  assert.deepEqual(roReq.request.body, { metadata: { annotations: { 'rollout.argoproj.io/revision': '2' } } });
  assert.equal(roReq.writes, 'rollout');
});

test('requests › adopt: owner references replaced with the controller reference, guarded by resourceVersion and uid', () => {
  const r = requestFor({ kind: 'adoptReplicaSet', name: 'web-orphan', uid: 'uid-web-orphan', ownerReference: owner }, ctx);
  assert.deepEqual(r.request.body, {
    metadata: {
      resourceVersion: '41',
      uid: 'uid-web-orphan',
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'cm', controller: false }, owner],
    },
  });
});

test('requests › Service selector: hash selector and managed-by annotation in one merge patch', () => {
  const r = requestFor({ kind: 'patchServiceSelector', service: 'web-stable', hash: 'abc', managedBy: 'web' }, ctx);
  assert.equal(r.request.path, '/api/v1/namespaces/shop/services/web-stable');
  assert.deepEqual(r.request.body, { metadata: { annotations: { [MANAGED_BY_ROLLOUTS_ANNOTATION]: 'web' } }, spec: { selector: { [POD_TEMPLATE_HASH_LABEL]: 'abc' } } });
  assert.equal(r.writes, 'service');
});

test('requests › delete ReplicaSet: uid precondition, background propagation; gone or replaced counts as done', () => {
  const r = requestFor({ kind: 'deleteReplicaSet', name: 'web-abc', uid: 'uid-web-abc' }, ctx);
  assert.equal(r.request.method, 'DELETE');
  assert.deepEqual(r.request.body, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background', preconditions: { uid: 'uid-web-abc' } });
  assert.deepEqual([r.notFoundIsDone, r.conflictIsDone], [true, true]);
});

test('requests › terminate AnalysisRun / Experiment: spec.terminate on the main resource', () => {
  const ar = requestFor({ kind: 'terminateAnalysisRun', name: 'web-abc-2' }, ctx);
  assert.equal(ar.request.path, '/apis/argoproj.io/v1alpha1/namespaces/shop/analysisruns/web-abc-2');
  assert.deepEqual(ar.request.body, { spec: { terminate: true } });
  const ex = requestFor({ kind: 'terminateExperiment', name: 'web-abc-2-0' }, ctx);
  assert.equal(ex.request.path, '/apis/argoproj.io/v1alpha1/namespaces/shop/experiments/web-abc-2-0');
  assert.equal(ex.notFoundIsDone, true);
});

test('requests › status: merge patch on /status only when the decided status differs', () => {
  assert.equal(statusRequest(rollout, { message: 'more replicas need to be updated', currentStepIndex: 0, phase: 'Progressing' }), undefined);
  const req = statusRequest(rollout, { phase: 'Paused', currentStepIndex: 1, message: 'CanaryPauseStep' });
  assert.deepEqual(req, {
    method: 'PATCH',
    path: '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/web/status',
    patchType: 'merge',
    body: { status: { phase: 'Paused', currentStepIndex: 1, message: 'CanaryPauseStep' } },
  });
  const dropped = statusRequest(rollout, { phase: 'Progressing', currentStepIndex: 0 });
  assert.deepEqual(dropped?.body, { status: { message: null } });
});
