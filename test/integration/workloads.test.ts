// Built-in controllers on fake nodes: ReplicaSets get Ready pods, the garbage collector honours
// ownerReferences, Jobs finish — and the test annotation makes a Job's pod fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Job, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { podOutcomeAnnotation, podOutcomes } from '../../controller/localcluster/stages.ts';
import { apiError, clients } from './helpers/cluster.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor, waitUntil } from './helpers/wait-for.ts';

function replicaSet(name: string, replicas: number, annotations: Record<string, string> = {}): V1ReplicaSet {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations },
        spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
      },
    },
  };
}

function job(name: string, annotations: Record<string, string> = {}): V1Job {
  return {
    metadata: { name },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { annotations },
        spec: { restartPolicy: 'Never', containers: [{ name: 'task', image: 'registry.example/task:1' }] },
      },
    },
  };
}

const isReady = (pod: V1Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const describePods = (pods: V1Pod[]): string =>
  pods.map((p) => `${p.metadata?.name}: ${p.status?.phase ?? '?'}${isReady(p) ? ' Ready' : ''}${p.metadata?.deletionTimestamp ? ' Terminating' : ''} on ${p.spec?.nodeName ?? '-'}`).join('; ') || 'no pods';

async function podsOf(namespace: string, app: string): Promise<V1Pod[]> {
  return (await clients().core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
}

async function createReadyReplicaSet(namespace: string, name: string): Promise<V1Pod[]> {
  const { apps } = clients();
  await apps.createNamespacedReplicaSet({ namespace, body: replicaSet(name, 3) });
  let pods: V1Pod[] = [];
  await waitUntil(
    async () => {
      pods = await podsOf(namespace, name);
      return pods.length === 3 && pods.every(isReady) ? true : describePods(pods);
    },
    { what: `3 Ready pods of ReplicaSet ${namespace}/${name}` },
  );
  return pods;
}

async function expectDeleted(namespace: string, name: string, what: string): Promise<void> {
  const { apps } = clients();
  await waitUntil(
    async () => {
      const pods = await podsOf(namespace, name);
      if (pods.length > 0) return describePods(pods);
      try {
        await apps.readNamespacedReplicaSet({ name, namespace });
        return 'ReplicaSet still exists';
      } catch (error) {
        if (apiError(error).code === 404) return true;
        throw error;
      }
    },
    { what },
  );
}

test('a ReplicaSet with 3 replicas gets 3 scheduled, Running, Ready pods', async (t) => {
  const namespace = await withNamespace(t);
  const pods = await createReadyReplicaSet(namespace, 'web');
  for (const pod of pods) {
    assert.equal(pod.status?.phase, 'Running');
    assert.match(pod.spec?.nodeName ?? '', /^kwok-node-\d+$/, 'scheduled onto a fake node');
    assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, 'ReplicaSet');
    assert.match(pod.status?.podIP ?? '', /^10\.244\./, 'pod IP from the pod range');
  }
  const rs = await waitFor(
    async () => {
      const current = await clients().apps.readNamespacedReplicaSet({ name: 'web', namespace });
      return current.status?.readyReplicas === 3 && current.status.availableReplicas === 3 ? current : undefined;
    },
    { what: 'ReplicaSet web status readyReplicas=3, availableReplicas=3' },
  );
  assert.equal(rs.status?.replicas, 3);
});

test('deleting a ReplicaSet with foreground cascade removes its pods, then the ReplicaSet', async (t) => {
  const namespace = await withNamespace(t);
  await createReadyReplicaSet(namespace, 'fg');
  await clients().apps.deleteNamespacedReplicaSet({ name: 'fg', namespace, propagationPolicy: 'Foreground' });
  await expectDeleted(namespace, 'fg', 'pods and ReplicaSet fg to be gone (foreground deletion)');
});

test('deleting a ReplicaSet with background cascade lets the garbage collector remove its pods', async (t) => {
  const namespace = await withNamespace(t);
  await createReadyReplicaSet(namespace, 'bg');
  await clients().apps.deleteNamespacedReplicaSet({ name: 'bg', namespace, propagationPolicy: 'Background' });
  await expectDeleted(namespace, 'bg', 'ReplicaSet bg and, through the garbage collector, its pods to be gone');
});

test('scaling a ReplicaSet down removes pods (there is no kubelet; kwok deletes them)', async (t) => {
  const namespace = await withNamespace(t);
  await createReadyReplicaSet(namespace, 'scale');
  await clients().apps.patchNamespacedReplicaSetScale({ name: 'scale', namespace, body: [{ op: 'replace', path: '/spec/replicas', value: 1 }] });
  await waitUntil(
    async () => {
      const pods = await podsOf(namespace, 'scale');
      return pods.length === 1 && pods.every(isReady) ? true : describePods(pods);
    },
    { what: 'ReplicaSet scale to be down to 1 Ready pod' },
  );
});

test(`a pod annotated ${podOutcomeAnnotation}=${podOutcomes.neverReady} runs but never becomes Ready`, async (t) => {
  const namespace = await withNamespace(t);
  await clients().apps.createNamespacedReplicaSet({ namespace, body: replicaSet('stuck', 1, { [podOutcomeAnnotation]: podOutcomes.neverReady }) });
  const pod = await waitFor(
    async () => (await podsOf(namespace, 'stuck')).find((p) => p.status?.phase === 'Running'),
    { what: 'the never-ready pod to be Running' },
  );
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.status, 'False');
  const rs = await clients().apps.readNamespacedReplicaSet({ name: 'stuck', namespace });
  assert.equal(rs.status?.readyReplicas ?? 0, 0);
});

test('a Job completes: its pod succeeds and the Job reports Complete', async (t) => {
  const namespace = await withNamespace(t);
  const { batch, core } = clients();
  await batch.createNamespacedJob({ namespace, body: job('ok') });
  const done = await waitFor(
    async () => {
      const j = await batch.readNamespacedJob({ name: 'ok', namespace });
      return j.status?.conditions?.find((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
    },
    { what: 'Job ok to have condition Complete=True', timeoutMs: 60_000 },
  );
  assert.equal(done.status?.succeeded, 1);
  assert.equal(done.status?.failed ?? 0, 0);
  const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'job-name=ok' })).items;
  assert.equal(pods.length, 1);
  assert.equal(pods[0]?.status?.phase, 'Succeeded');
  assert.equal(pods[0]?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
});

test(`a Job whose pod is annotated ${podOutcomeAnnotation}=${podOutcomes.failure} reports Failed`, async (t) => {
  const namespace = await withNamespace(t);
  const { batch, core } = clients();
  await batch.createNamespacedJob({ namespace, body: job('bad', { [podOutcomeAnnotation]: podOutcomes.failure }) });
  const failed = await waitFor(
    async () => {
      const j = await batch.readNamespacedJob({ name: 'bad', namespace });
      return j.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True') ? j : undefined;
    },
    { what: 'Job bad to have condition Failed=True', timeoutMs: 60_000 },
  );
  assert.equal(failed.status?.failed, 1);
  assert.equal(failed.status?.succeeded ?? 0, 0);
  assert.equal(failed.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'BackoffLimitExceeded');
  const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'job-name=bad' })).items;
  assert.equal(pods[0]?.status?.phase, 'Failed');
  assert.equal(pods[0]?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 1);
});
