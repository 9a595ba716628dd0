// Blue-green through the controller: preview first, active switched on promotion, the old
// ReplicaSet scaled down only after scaleDownDelaySeconds — by a targeted wake-up, since the
// resync in this test runs once an hour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL, SCALE_DOWN_DEADLINE_ANNOTATION, type Rollout } from '../../functions/api/index.ts';
import { startController } from '../../controller/app/start.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { ReplicaSets, Rollouts, Services } from '../../controller/rollouts/resources.ts';
import type { ReplicaSetObject, ServiceObject } from '../../controller/rollouts/snapshot.ts';
import { aRollout } from '../fixtures/rollout.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';
import { testControllerLogger as testLogger } from './helpers/controller-logger.ts';

const client = new KubeClient({ kubeConfig: kubeConfig() });
const getRollout = (ns: string) => client.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, ns, 'web') });
const getService = (ns: string, name: string) => client.request<ServiceObject>({ method: 'GET', path: resourcePath(Services, ns, name) });
const replicaSets = async (ns: string) => (await client.request<{ items: ReplicaSetObject[] }>({ method: 'GET', path: resourcePath(ReplicaSets, ns) })).items;
const byHash = (list: ReplicaSetObject[], hash: string) => list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === hash);
const describeRs = (list: ReplicaSetObject[]) => list.map((rs) => `${rs.metadata?.name}: spec ${rs.spec?.replicas} ready ${rs.status?.readyReplicas ?? 0}`).join('; ');

test('controller › blue-green with autoPromotionEnabled false: preview, then active switch on promote; old ReplicaSet scaled down after scaleDownDelaySeconds', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  for (const name of ['web-active', 'web-preview']) {
    await client.request({
      method: 'POST',
      path: resourcePath(Services, ns),
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
  }
  const logger = testLogger(ns);
  // Hourly resync: everything below must be driven by watch events and the wake-ups the decision asks for.
  const running = startController({ client, namespace: ns, resync: '0 0 * * * *', drainTimeoutMs: 5_000, logger });
  t.after(() => running.stop());

  const rollout = aRollout().named('web').inNamespace(ns).withReplicas(2).withBlueGreen('web-active', { previewService: 'web-preview', autoPromotionEnabled: false, scaleDownDelaySeconds: 3 }).build();
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  await waitUntil(async () => (await getRollout(ns)).status?.phase === 'Healthy' || `phase ${(await getRollout(ns)).status?.phase}`, { what: 'revision 1 Healthy', timeoutMs: 60_000 });
  const blue = (await getRollout(ns)).status!.stableRS!;
  assert.equal((await getService(ns, 'web-active')).spec?.selector?.[POD_TEMPLATE_HASH_LABEL], blue);
  assert.equal((await getService(ns, 'web-active')).metadata?.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION], 'web');

  await client.request({
    method: 'PATCH',
    path: resourcePath(Rollouts, ns, 'web'),
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example/demo:2.0' }],
  });
  let green = '';
  await waitUntil(
    async () => {
      const ro = await getRollout(ns);
      const s = ro.status;
      green = s?.currentPodHash ?? '';
      const preview = (await getService(ns, 'web-preview')).spec?.selector?.[POD_TEMPLATE_HASH_LABEL];
      const list = await replicaSets(ns);
      const ok = s?.phase === 'Paused' && green !== blue && preview === green && byHash(list, green)?.status?.readyReplicas === 2 && s.pauseConditions?.[0]?.reason === 'BlueGreenPause';
      return ok || `phase ${s?.phase} (${s?.message ?? ''}) preview→${preview}; ${describeRs(list)}`;
    },
    { what: 'green to be up behind the preview Service and the rollout paused', timeoutMs: 60_000 },
  );
  assert.equal((await getService(ns, 'web-active')).spec?.selector?.[POD_TEMPLATE_HASH_LABEL], blue, 'active still on blue while paused');
  assert.equal((await getRollout(ns)).status?.blueGreen?.activeSelector, blue);

  await client.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web', 'status'), patchType: 'merge', body: { status: { pauseConditions: null } } });
  await waitUntil(
    async () => (await getService(ns, 'web-active')).spec?.selector?.[POD_TEMPLATE_HASH_LABEL] === green || 'active not switched yet',
    { what: 'the active Service to switch to green', timeoutMs: 30_000 },
  );
  // Blue stays up for scaleDownDelaySeconds, marked with its deadline…
  const blueRs = await waitUntil(
    async () => {
      const rs = byHash(await replicaSets(ns), blue);
      return (rs?.metadata?.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined && rs.spec?.replicas === 2) || `blue: ${JSON.stringify(rs?.metadata?.annotations)} spec ${rs?.spec?.replicas}`;
    },
    { what: 'blue to carry a scale-down deadline while still up', timeoutMs: 30_000 },
  ).then(async () => byHash(await replicaSets(ns), blue)!);
  const deadline = Date.parse(blueRs.metadata!.annotations![SCALE_DOWN_DEADLINE_ANNOTATION]!);
  assert.ok(Number.isFinite(deadline), 'the deadline is an RFC 3339 time');
  // …and is scaled to zero once it has passed, without any resync pass.
  await waitUntil(async () => byHash(await replicaSets(ns), blue)?.spec?.replicas === 0 || describeRs(await replicaSets(ns)), {
    what: 'blue scaled to zero after the deadline',
    timeoutMs: 30_000,
  });
  assert.ok(Date.now() >= deadline, 'not before the deadline');
  await waitUntil(async () => (await getRollout(ns)).status?.phase === 'Healthy' || `phase ${(await getRollout(ns)).status?.phase}`, { what: 'green Healthy' });
  assert.equal((await getRollout(ns)).status?.stableRS, green);
});
