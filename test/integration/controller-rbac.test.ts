// The RBAC rules docs/controller.md lists are enough: a namespaced controller running as a
// service account bound to exactly those rules (as a Role) takes a canary through a pause,
// switches Services, writes status and Events, holds its Lease, and restores a Service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL, type Rollout } from '../../functions/api/index.ts';
import { startController } from '../../controller/app/start.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { repoRoot } from '../../controller/localcluster/binaries.ts';
import { Rollouts, Services } from '../../controller/rollouts/resources.ts';
import type { ServiceObject } from '../../controller/rollouts/snapshot.ts';
import { aRollout } from '../fixtures/rollout.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';

const admin = new KubeClient({ kubeConfig: kubeConfig() });

/** The `rules:` block of the RBAC section of docs/controller.md. */
function documentedRules(): unknown[] {
  const doc = readFileSync(join(repoRoot, 'docs', 'controller.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## RBAC'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(yaml, 'docs/controller.md has a yaml block in its RBAC section');
  return (parse(yaml) as { rules: unknown[] }).rules;
}

async function serviceAccountClient(ns: string): Promise<KubeClient> {
  await admin.request({ method: 'POST', path: `/api/v1/namespaces/${ns}/serviceaccounts`, body: { metadata: { name: 'ramp-controller' } } });
  await admin.request({ method: 'POST', path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, body: { metadata: { name: 'ramp-controller' }, rules: documentedRules() } });
  await admin.request({
    method: 'POST',
    path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
    body: {
      metadata: { name: 'ramp-controller' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ramp-controller' },
      subjects: [{ kind: 'ServiceAccount', name: 'ramp-controller', namespace: ns }],
    },
  });
  const tokenRequest = await admin.request<{ status: { token: string } }>({
    method: 'POST',
    path: `/api/v1/namespaces/${ns}/serviceaccounts/ramp-controller/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const cluster = kubeConfig().getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'local', server: cluster.server, caData: cluster.caData, skipTLSVerify: false }],
    users: [{ name: 'ramp-controller', token: tokenRequest.status.token }],
    contexts: [{ name: 'sa', cluster: 'local', user: 'ramp-controller', namespace: ns }],
    currentContext: 'sa',
  });
  return new KubeClient({ kubeConfig: kc });
}

test('controller › with only the documented RBAC rules, a namespaced controller runs a canary to completion and restores Services', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  const client = await serviceAccountClient(ns);
  // The service account really is limited: it cannot read Secrets, or Services elsewhere.
  await assert.rejects(client.request({ method: 'GET', path: `/api/v1/namespaces/${ns}/secrets` }), /403/);
  await assert.rejects(client.request({ method: 'GET', path: '/api/v1/namespaces/default/services' }), /403/);

  for (const name of ['web-stable', 'web-canary']) {
    await admin.request({ method: 'POST', path: resourcePath(Services, ns), body: { metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
  }
  await admin.request({
    method: 'POST',
    path: resourcePath(Services, ns),
    body: { metadata: { name: 'left-behind', annotations: { [MANAGED_BY_ROLLOUTS_ANNOTATION]: 'gone' } }, spec: { selector: { app: 'x', [POD_TEMPLATE_HASH_LABEL]: 'abc' }, ports: [{ port: 80 }] } },
  });
  const running = startController({
    client,
    namespace: ns,
    resync: '*/2 * * * * *',
    drainTimeoutMs: 5_000,
    leaderElection: { namespace: ns, leaseName: 'argo-rollouts-controller-lock', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 1_000 },
  });
  t.after(() => running.stop());

  const rollout = aRollout()
    .named('web')
    .inNamespace(ns)
    .withReplicas(2)
    .withCanarySteps([{ setWeight: 50 }, { pause: {} }], { stableService: 'web-stable', canaryService: 'web-canary' })
    .build();
  await admin.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  const getRollout = () => admin.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, ns, 'web') });
  await waitUntil(async () => (await getRollout()).status?.phase === 'Healthy' || `phase ${(await getRollout()).status?.phase}`, { what: 'revision 1 Healthy', timeoutMs: 60_000 });
  await admin.request({
    method: 'PATCH',
    path: resourcePath(Rollouts, ns, 'web'),
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example/demo:2.0' }],
  });
  await waitUntil(async () => (await getRollout()).status?.phase === 'Paused' || `phase ${(await getRollout()).status?.phase}`, { what: 'the canary to pause', timeoutMs: 60_000 });
  await admin.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web', 'status'), patchType: 'merge', body: { status: { pauseConditions: null } } });
  await waitUntil(
    async () => {
      const s = (await getRollout()).status;
      return (s?.phase === 'Healthy' && s.stableRS === s.currentPodHash && s.currentStepIndex === 2) || `phase ${s?.phase} step ${s?.currentStepIndex}`;
    },
    { what: 'revision 2 Healthy', timeoutMs: 60_000 },
  );
  const stable = await admin.request<ServiceObject>({ method: 'GET', path: resourcePath(Services, ns, 'web-stable') });
  assert.equal(stable.spec?.selector?.[POD_TEMPLATE_HASH_LABEL], (await getRollout()).status?.stableRS);
  const leftBehind = await admin.request<ServiceObject>({ method: 'GET', path: resourcePath(Services, ns, 'left-behind') });
  assert.deepEqual(leftBehind.spec?.selector, { app: 'x' });
  const events = await admin.request<{ items: Array<{ reason?: string }> }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/events` });
  assert.ok(events.items.some((e) => e.reason === 'RolloutCompleted'), 'Events were written');
  const lease = await admin.request<{ spec?: { holderIdentity?: string } }>({ method: 'GET', path: `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/argo-rollouts-controller-lock` });
  assert.equal(lease.spec?.holderIdentity, running.identity);
});
