// Blue-green fast rollback through the controller (reference §9.7): v2 is promoted, and while
// v1 still waits out its scaleDownDelaySeconds the v1 template is applied again. The v1
// ReplicaSet is still up, so the rollback skips the pause: the active Service goes straight back
// to v1, v1's scale-down deadline is removed, and no ReplicaSet is created.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  type Rollout,
} from '../../functions/api/index.ts';
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
const describeRs = (list: ReplicaSetObject[]) =>
  list.map((rs) => `${rs.metadata?.name}: spec ${rs.spec?.replicas} ready ${rs.status?.readyReplicas ?? 0} ${JSON.stringify(rs.metadata?.annotations ?? {})}`).join('; ');
const activeHash = async (ns: string) => (await getService(ns, 'web-active')).spec?.selector?.[POD_TEMPLATE_HASH_LABEL];

interface CoreEvent {
  reason?: string;
  message?: string;
}
const rolloutEvents = async (ns: string) =>
  (
    await client.request<{ items: CoreEvent[] }>({
      method: 'GET',
      path: resourcePath({ group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true }, ns),
      query: { fieldSelector: 'involvedObject.kind=Rollout,involvedObject.name=web' },
    })
  ).items;

test('controller › blue-green fast rollback: re-applying v1 within scaleDownDelaySeconds switches the active Service back at once, cancels v1\'s scale-down, creates no ReplicaSet', async (t) => {
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
  // Hourly resync: the rollback must be driven by the watch events alone.
  const running = startController({ client, namespace: ns, resync: '0 0 * * * *', drainTimeoutMs: 5_000, logger });
  t.after(() => running.stop());

  // scaleDownDelaySeconds long enough for v1 to still be up when it is applied again.
  const rollout = aRollout()
    .named('web')
    .inNamespace(ns)
    .withReplicas(2)
    .withBlueGreen('web-active', { previewService: 'web-preview', autoPromotionEnabled: false, scaleDownDelaySeconds: 300 })
    .build();
  const v1Template = structuredClone(rollout.spec.template);
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  await waitUntil(async () => (await getRollout(ns)).status?.phase === 'Healthy' || `phase ${(await getRollout(ns)).status?.phase}`, { what: 'v1 Healthy', timeoutMs: 60_000 });
  const v1 = (await getRollout(ns)).status!.stableRS!;

  // v2: up behind the preview Service, paused (autoPromotionEnabled: false), then promoted.
  await client.request({
    method: 'PATCH',
    path: resourcePath(Rollouts, ns, 'web'),
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example/demo:2.0' }],
  });
  let v2 = '';
  await waitUntil(
    async () => {
      const s = (await getRollout(ns)).status;
      v2 = s?.currentPodHash ?? '';
      const list = await replicaSets(ns);
      const ok = s?.phase === 'Paused' && v2 !== v1 && s.pauseConditions?.[0]?.reason === 'BlueGreenPause' && byHash(list, v2)?.status?.readyReplicas === 2;
      return ok || `phase ${s?.phase} (${s?.message ?? ''}); ${describeRs(list)}`;
    },
    { what: 'v2 up and the rollout paused before the switch', timeoutMs: 60_000 },
  );
  await client.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web', 'status'), patchType: 'merge', body: { status: { pauseConditions: null } } });
  await waitUntil(
    async () => {
      const s = (await getRollout(ns)).status;
      const rs = byHash(await replicaSets(ns), v1);
      const ok = (await activeHash(ns)) === v2 && s?.stableRS === v2 && rs?.metadata?.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined && rs.spec?.replicas === 2;
      return ok || `active→${await activeHash(ns)} stable ${s?.stableRS}; ${describeRs(await replicaSets(ns))}`;
    },
    { what: 'v2 promoted (active and stable) and v1 still up, waiting out its scale-down deadline', timeoutMs: 60_000 },
  );
  const before = await replicaSets(ns);
  assert.equal(before.length, 2, describeRs(before));
  assert.equal(byHash(before, v1)?.metadata?.annotations?.[REVISION_ANNOTATION], '1');

  // Roll back: the v1 template, as it was first applied.
  await client.request({
    method: 'PATCH',
    path: resourcePath(Rollouts, ns, 'web'),
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template', value: v1Template }],
  });
  // Until the active Service is back on v1: v1 is never scaled down, the rollout never pauses,
  // and no third ReplicaSet appears.
  const phases = new Set<string>();
  const violations: string[] = [];
  await waitUntil(
    async () => {
      const ro = await getRollout(ns);
      const list = await replicaSets(ns);
      const active = await activeHash(ns);
      phases.add(ro.status?.phase ?? '');
      if (list.length !== 2) violations.push(`a new ReplicaSet: ${describeRs(list)}`);
      if (byHash(list, v1)?.spec?.replicas !== 2) violations.push(`v1 scaled: ${describeRs(list)}`);
      if ((ro.status?.pauseConditions ?? []).length > 0) violations.push(`paused: ${JSON.stringify(ro.status?.pauseConditions)}`);
      return active === v1 || `active→${active}, phase ${ro.status?.phase}`;
    },
    { what: 'the active Service back on v1', timeoutMs: 30_000 },
  );
  assert.deepEqual(violations, [], 'on the way back v1 stays up, nothing pauses, no ReplicaSet is created');
  assert.ok(!phases.has('Paused'), `never Paused on the way back (phases seen: ${[...phases].join(', ')})`);

  // The deadline was removed in the pass that switched the Service (before the switch).
  const after = await replicaSets(ns);
  assert.equal(after.length, 2, describeRs(after));
  assert.deepEqual(after.map((rs) => rs.metadata?.name).sort(), before.map((rs) => rs.metadata?.name).sort(), 'the same two ReplicaSets');
  const v1Rs = byHash(after, v1)!;
  assert.equal(v1Rs.metadata?.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION], undefined, `v1's scale-down deadline is removed: ${describeRs(after)}`);
  assert.equal(v1Rs.spec?.replicas, 2);
  assert.equal(v1Rs.metadata?.annotations?.[REVISION_ANNOTATION], '3', 'the reused ReplicaSet gets the next revision');
  assert.equal(v1Rs.metadata?.annotations?.[REVISION_HISTORY_ANNOTATION], '1');
  assert.equal((await getService(ns, 'web-preview')).spec?.selector?.[POD_TEMPLATE_HASH_LABEL], v1, 'preview follows the new ReplicaSet');

  await waitUntil(
    async () => {
      const s = (await getRollout(ns)).status;
      return (s?.phase === 'Healthy' && s.stableRS === v1 && s.currentPodHash === v1 && s.blueGreen?.activeSelector === v1) || `phase ${s?.phase} stable ${s?.stableRS} current ${s?.currentPodHash}`;
    },
    { what: 'v1 stable and Healthy again' },
  );
  // v2 is now the old one: kept up for its own delay.
  await waitUntil(
    async () => {
      const rs = byHash(await replicaSets(ns), v2);
      return (rs?.metadata?.annotations?.[SCALE_DOWN_DEADLINE_ANNOTATION] !== undefined && rs.spec?.replicas === 2) || describeRs(await replicaSets(ns));
    },
    { what: 'v2 waiting out its scale-down deadline' },
  );
  await waitUntil(
    async () => (await rolloutEvents(ns)).some((e) => e.reason === 'RolloutCompleted' && (e.message ?? '').includes('Fast rollback')) || 'no RolloutCompleted "Fast rollback" event yet',
    { what: 'the RolloutCompleted event of the fast rollback' },
  );
});
