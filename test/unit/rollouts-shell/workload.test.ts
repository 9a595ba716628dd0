// spec.workloadRef in the controller's shell: the referenced Deployment or PodTemplate goes into
// the snapshot (and the Deployment's selector finds adoptable ReplicaSets), a change of one
// wakes the Rollouts that name it, and a scale-down is a guarded JSON patch of the Deployment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { POD_TEMPLATE_HASH_LABEL, type ObjectRef } from '../../../functions/api/index.ts';
import { rolloutKeysForWorkload } from '../../../controller/rollouts/keys.ts';
import { requestFor } from '../../../controller/rollouts/requests.ts';
import {
  assembleSnapshot,
  type DeploymentObject,
  type PodTemplateObject,
  type ReplicaSetObject,
  type RolloutObject,
  type ServiceObject,
} from '../../../controller/rollouts/snapshot.ts';
import { MemoryCache } from './memory-cache.ts';

const NS = 'shop';
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'demo:1' }] } };

const refRollout = (name: string, workloadRef: ObjectRef, namespace = NS): RolloutObject =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace, uid: `uid-${name}`, generation: 1 },
    spec: { replicas: 3, workloadRef, strategy: { canary: {} } },
  }) as unknown as RolloutObject;

const deployment = (name: string, namespace = NS): DeploymentObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, uid: `uid-${name}`, generation: 4 },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
});

const podTemplate: PodTemplateObject = { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'web-template', namespace: NS, generation: 2 }, template };

const orphan: ReplicaSetObject = {
  metadata: { name: 'web-orphan', namespace: NS, uid: 'uid-orphan', labels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: 'orphan' } },
  spec: { replicas: 1, template },
};

function sources(rollouts: RolloutObject[]) {
  return {
    rollouts: new MemoryCache(rollouts),
    replicaSets: new MemoryCache([orphan]),
    services: new MemoryCache<ServiceObject>(),
    analysisRuns: new MemoryCache<KubernetesObject>(),
    experiments: new MemoryCache<KubernetesObject>(),
    deployments: new MemoryCache([deployment('web'), deployment('web', 'other')]),
    podTemplates: new MemoryCache([podTemplate]),
  };
}

test('snapshot › a referenced Deployment: template, selector, replicas, generation; its selector finds adoptable orphans', () => {
  const s = assembleSnapshot(`${NS}/web`, sources([refRollout('web', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' })]), new Date())!.snapshot;
  assert.deepEqual(s.workload, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'web',
    uid: 'uid-web',
    generation: 4,
    template,
    selector: { matchLabels: { app: 'web' } },
    replicas: 3,
  });
  assert.notEqual(s.workload?.template, template, 'a copy');
  assert.deepEqual(s.replicaSets.map((rs) => rs.name), ['web-orphan']);
});

test('snapshot › a referenced PodTemplate: template and generation, no selector or replicas', () => {
  const s = assembleSnapshot(`${NS}/web`, sources([refRollout('web', { apiVersion: 'v1', kind: 'PodTemplate', name: 'web-template' })]), new Date())!.snapshot;
  assert.deepEqual(s.workload, { apiVersion: 'v1', kind: 'PodTemplate', name: 'web-template', generation: 2, template });
});

test('snapshot › no workload when it is missing, of another kind or group, or there is no source', () => {
  const refs: ObjectRef[] = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web' },
    { apiVersion: 'v1', kind: 'Deployment', name: 'web' },
    { apiVersion: 'apps/v1', kind: 'PodTemplate', name: 'web-template' },
  ];
  for (const ref of refs) {
    const s = assembleSnapshot(`${NS}/web`, sources([refRollout('web', ref)]), new Date())!.snapshot;
    assert.equal(s.workload, undefined, JSON.stringify(ref));
  }
  const { deployments: _d, podTemplates: _p, ...withoutWorkloads } = sources([refRollout('web', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' })]);
  assert.equal(assembleSnapshot(`${NS}/web`, withoutWorkloads, new Date())!.snapshot.workload, undefined);
});

test('keys › a Deployment or PodTemplate change wakes the Rollouts of its namespace that name it (kind and name)', () => {
  const rollouts = new MemoryCache([
    refRollout('a', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }),
    refRollout('b', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }),
    refRollout('c', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }),
    refRollout('d', { apiVersion: 'v1', kind: 'PodTemplate', name: 'web' }),
    refRollout('e', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, 'other'),
  ]);
  assert.deepEqual(rolloutKeysForWorkload(rollouts, 'Deployment')(deployment('web')).sort(), [`${NS}/a`, `${NS}/b`]);
  assert.deepEqual(rolloutKeysForWorkload(rollouts, 'PodTemplate')({ metadata: { name: 'web', namespace: NS } }), [`${NS}/d`]);
  assert.deepEqual(rolloutKeysForWorkload(rollouts, 'Deployment')(deployment('nothing')), []);
});

test('requests › scale the Deployment: JSON patch testing the replicas the decision saw; a failed test is a stale view', () => {
  const r = requestFor({ kind: 'scaleDeployment', name: 'web', from: 3, replicas: 0 }, { namespace: NS, rollout: refRollout('web', {}), replicaSets: new Map() });
  assert.equal(r.request.method, 'PATCH');
  assert.equal(r.request.patchType, 'json');
  assert.equal(r.request.path, '/apis/apps/v1/namespaces/shop/deployments/web');
  assert.deepEqual(r.request.body, [
    { op: 'test', path: '/spec/replicas', value: 3 },
    { op: 'replace', path: '/spec/replicas', value: 0 },
  ]);
  assert.deepEqual([r.writes, r.notFoundIsDone, r.conflictIsDone, r.staleOnInvalid], ['deployment', false, false, true]);
});
