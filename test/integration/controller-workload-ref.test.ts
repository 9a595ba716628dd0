// workloadRef through the controller, on the real control plane (KWOK pods): a Rollout takes its
// pod template from a running Deployment, takes over its 3 pods and scales the Deployment to 0
// (scaleDown: onsuccess); a new image in the Deployment starts a canary in the Rollout; a
// Rollout whose Deployment does not exist yet is InvalidSpec until it appears. The resync runs
// once an hour: Deployment changes reach the Rollout through the Deployment watch.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { POD_TEMPLATE_HASH_LABEL, WORKLOAD_GENERATION_ANNOTATION, type Rollout } from '../../functions/api/index.ts';
import { startController } from '../../controller/app/start.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { Deployments, Pods, ReplicaSets, Rollouts } from '../../controller/rollouts/resources.ts';
import type { DeploymentObject, ReplicaSetObject } from '../../controller/rollouts/snapshot.ts';
import { aPodTemplate, aRollout } from '../fixtures/index.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';
import { testControllerLogger as testLogger } from './helpers/controller-logger.ts';

interface Pod extends KubernetesObject {
  status?: { conditions?: Array<{ type: string; status: string }> };
}
interface DeploymentWithStatus extends DeploymentObject {
  status?: { replicas?: number; readyReplicas?: number };
}

const client = new KubeClient({ kubeConfig: kubeConfig() });
const getRollout = (ns: string) => client.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, ns, 'web') });
const getDeployment = (ns: string) => client.request<DeploymentWithStatus>({ method: 'GET', path: resourcePath(Deployments, ns, 'web') });
const replicaSets = async (ns: string) => (await client.request<{ items: ReplicaSetObject[] }>({ method: 'GET', path: resourcePath(ReplicaSets, ns) })).items;
/** The Rollout's ReplicaSets (the Deployment's have no rollouts-pod-template-hash label). */
const rolloutReplicaSets = async (ns: string) => (await replicaSets(ns)).filter((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] !== undefined);
const byHash = (list: ReplicaSetObject[], hash: string | undefined) => list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
const describeRs = (list: ReplicaSetObject[]) =>
  list.map((rs) => `${rs.metadata?.name}: spec ${rs.spec?.replicas} ready ${rs.status?.readyReplicas ?? 0}`).join('; ') || 'no ReplicaSets';
const readyPods = async (ns: string, selector: string) =>
  (await client.request<{ items: Pod[] }>({ method: 'GET', path: resourcePath(Pods, ns), query: { labelSelector: selector } })).items.filter(
    (p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;

function startTestController(t: TestContext, ns: string): void {
  const logger = testLogger(ns);
  const running = startController({ client, namespace: ns, resync: '0 0 * * * *', drainTimeoutMs: 5_000, logger });
  t.after(() => running.stop());
}

async function createDeployment(ns: string, replicas: number): Promise<void> {
  await client.request({
    method: 'POST',
    path: resourcePath(Deployments, ns),
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: aPodTemplate({ app: 'web' }, 'registry.example/demo:1.0') },
    },
  });
}

/** A canary Rollout (setWeight 20 → pause) without template or selector: both come from the Deployment. */
function workloadRefRollout(ns: string): Rollout {
  const rollout = aRollout()
    .named('web')
    .inNamespace(ns)
    .withReplicas(3)
    .withCanarySteps([{ setWeight: 20 }, { pause: {} }])
    .withSpec({ workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown: 'onsuccess' } })
    .build();
  delete rollout.spec.template;
  delete rollout.spec.selector;
  return rollout;
}

/** The Argo CD contract (reference §15.1): the workload-generation annotation is the Deployment's generation, and observed. */
async function waitGenerationObserved(ns: string): Promise<void> {
  await waitUntil(
    async () => {
      const [ro, deployment] = [await getRollout(ns), await getDeployment(ns)];
      const generation = String(deployment.metadata?.generation);
      const annotation = ro.metadata?.annotations?.[WORKLOAD_GENERATION_ANNOTATION];
      return (annotation === generation && ro.status?.workloadObservedGeneration === generation) ||
        `Deployment generation ${generation}, annotation ${annotation}, workloadObservedGeneration ${ro.status?.workloadObservedGeneration}`;
    },
    { what: 'the Deployment generation annotated on the Rollout and observed in its status' },
  );
}

test('controller › workloadRef to a Deployment with 3 Ready pods, scaleDown onsuccess: the Rollout runs them and the Deployment goes to 0; a new Deployment image starts a canary', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  await createDeployment(ns, 3);
  await waitUntil(
    async () => (await getDeployment(ns)).status?.readyReplicas === 3 || `Deployment ready ${(await getDeployment(ns)).status?.readyReplicas ?? 0}`,
    { what: 'the Deployment to have 3 Ready pods', timeoutMs: 60_000 },
  );
  startTestController(t, ns);
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: workloadRefRollout(ns) });

  let v1 = '';
  await waitUntil(
    async () => {
      const ro = await getRollout(ns);
      const s = ro.status;
      v1 = s?.stableRS ?? '';
      const rs = byHash(await rolloutReplicaSets(ns), v1);
      const deployment = await getDeployment(ns);
      const ok = s?.phase === 'Healthy' && rs?.status?.readyReplicas === 3 && deployment.spec?.replicas === 0;
      return ok || `phase ${s?.phase} (${s?.message ?? ''}); ${describeRs(await rolloutReplicaSets(ns))}; Deployment spec ${deployment.spec?.replicas}`;
    },
    { what: 'the Rollout Healthy with 3 Ready pods of its own and the Deployment scaled to 0', timeoutMs: 90_000 },
  );
  const rs = byHash(await rolloutReplicaSets(ns), v1)!;
  assert.equal(rs.spec?.template?.spec?.containers[0]?.image, 'registry.example/demo:1.0', "the Deployment's pod template");
  assert.deepEqual(rs.spec?.selector?.matchLabels, { app: 'web', [POD_TEMPLATE_HASH_LABEL]: v1 }, "the Deployment's selector plus the hash");
  assert.equal(rs.metadata?.ownerReferences?.[0]?.kind, 'Rollout');
  assert.equal(await readyPods(ns, `app=web,${POD_TEMPLATE_HASH_LABEL}=${v1}`), 3);
  assert.equal((await getRollout(ns)).status?.selector, 'app=web');
  await waitUntil(async () => ((await getDeployment(ns)).status?.replicas ?? 0) === 0 || `Deployment pods ${(await getDeployment(ns)).status?.replicas}`, {
    what: "the Deployment's pods to be gone",
  });
  await waitGenerationObserved(ns);

  // A new image in the Deployment: the Rollout runs a canary (20 % of 3 ≈ 1 pod), then pauses.
  await client.request({
    method: 'PATCH',
    path: resourcePath(Deployments, ns, 'web'),
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example/demo:2.0' }],
  });
  await waitUntil(
    async () => {
      const s = (await getRollout(ns)).status;
      const list = await rolloutReplicaSets(ns);
      const canary = byHash(list, s?.currentPodHash);
      const ok =
        s?.phase === 'Paused' &&
        s.currentPodHash !== v1 &&
        s.stableRS === v1 &&
        s.currentStepIndex === 1 &&
        canary?.spec?.template?.spec?.containers[0]?.image === 'registry.example/demo:2.0' &&
        canary.status?.readyReplicas === 1 &&
        byHash(list, v1)?.status?.readyReplicas === 3;
      return ok || `phase ${s?.phase} (${s?.message ?? ''}) step ${s?.currentStepIndex}; ${describeRs(list)}`;
    },
    { what: 'a canary of the new image: 1 pod beside the 3 stable ones, paused at the pause step', timeoutMs: 60_000 },
  );
  await waitGenerationObserved(ns);
  assert.equal((await getDeployment(ns)).spec?.replicas, 0, 'the Deployment stays at 0');
});

test('controller › workloadRef to a Deployment that does not exist yet: InvalidSpec (Degraded) until it is created, then the Rollout recovers', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  startTestController(t, ns);
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: workloadRefRollout(ns) });
  await waitUntil(
    async () => {
      const s = (await getRollout(ns)).status;
      const invalid = s?.conditions?.find((c) => c.type === 'InvalidSpec');
      return (s?.phase === 'Degraded' && invalid?.message === 'The Rollout "web" is invalid: spec.workloadRef.name: Invalid value: "web": deployments.apps "web" not found') ||
        `phase ${s?.phase}: ${invalid?.message}`;
    },
    { what: 'InvalidSpec naming the missing Deployment' },
  );
  assert.deepEqual(await rolloutReplicaSets(ns), [], 'nothing is created');

  await createDeployment(ns, 2);
  await waitUntil(
    async () => {
      const s = (await getRollout(ns)).status;
      const ok = s?.phase === 'Healthy' && !s.conditions?.some((c) => c.type === 'InvalidSpec') && byHash(await rolloutReplicaSets(ns), s.stableRS)?.status?.readyReplicas === 3;
      return ok || `phase ${s?.phase} (${s?.message ?? ''}); ${describeRs(await rolloutReplicaSets(ns))}`;
    },
    { what: 'the Rollout to recover and become Healthy once the Deployment exists', timeoutMs: 60_000 },
  );
  await waitUntil(async () => (await getDeployment(ns)).spec?.replicas === 0 || `Deployment spec ${(await getDeployment(ns)).spec?.replicas}`, {
    what: 'the Deployment scaled to 0 (onsuccess)',
  });
});
