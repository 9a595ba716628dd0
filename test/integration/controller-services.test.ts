// Managed Services and Ingresses are given back: when their Rollout is deleted (even while the
// controller was down), when the managed-by annotation was lost but the hash selector stayed,
// and a canary Ingress whose Rollout no longer routes through it is deleted.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL, type Rollout } from '../../functions/api/index.ts';
import { startController, type RunningController } from '../../controller/app/start.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { isNotFound } from '../../controller/kube/errors.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { Ingresses, ReplicaSets, Rollouts, Services } from '../../controller/rollouts/resources.ts';
import type { ServiceObject } from '../../controller/rollouts/snapshot.ts';
import { aRollout } from '../fixtures/rollout.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';
import { testControllerLogger as testLogger } from './helpers/controller-logger.ts';

const client = new KubeClient({ kubeConfig: kubeConfig() });

function startTestController(t: TestContext, ns: string): RunningController {
  const running = startController({ client, namespace: ns, resync: '*/2 * * * * *', drainTimeoutMs: 5_000, logger: testLogger(ns) });
  t.after(() => running.stop());
  return running;
}

async function createService(ns: string, name: string, selector: Record<string, string>, annotations: Record<string, string> = {}): Promise<void> {
  await client.request({
    method: 'POST',
    path: resourcePath(Services, ns),
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, annotations }, spec: { selector, ports: [{ port: 80, targetPort: 8080 }] } },
  });
}

const getService = (ns: string, name: string) => client.request<ServiceObject>({ method: 'GET', path: resourcePath(Services, ns, name) });

function describeService(svc: ServiceObject): string {
  return `selector ${JSON.stringify(svc.spec?.selector)} managed-by ${svc.metadata?.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION] ?? '(none)'}`;
}

/** The Service is back to what the user wrote: selector app=<app> only, no managed-by annotation, other annotations kept. */
async function waitRestored(ns: string, name: string, app: string): Promise<ServiceObject> {
  let svc: ServiceObject | undefined;
  await waitUntil(
    async () => {
      svc = await getService(ns, name);
      const restored = JSON.stringify(svc.spec?.selector) === JSON.stringify({ app }) && svc.metadata?.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION] === undefined;
      return restored || describeService(svc);
    },
    { what: `Service ${name} to be restored`, timeoutMs: 30_000 },
  );
  return svc!;
}

async function waitGone(path: string, what: string): Promise<void> {
  await waitUntil(
    async () => {
      try {
        await client.request({ method: 'GET', path });
        return 'still there';
      } catch (error) {
        if (isNotFound(error)) return true;
        throw error;
      }
    },
    { what, timeoutMs: 30_000 },
  );
}

test('controller › a Rollout deleted while the controller was down: its Services are restored, including one whose annotation was removed by hand', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  await createService(ns, 'web-stable', { app: 'web' }, { team: 'shop' });
  await createService(ns, 'web-canary', { app: 'web' });
  const first = startTestController(t, ns);
  const rollout = aRollout()
    .named('web')
    .inNamespace(ns)
    .withReplicas(2)
    .withCanarySteps([{ setWeight: 50 }, { pause: {} }], { stableService: 'web-stable', canaryService: 'web-canary' })
    .build();
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  await waitUntil(
    async () => {
      const [stable, canary] = await Promise.all([getService(ns, 'web-stable'), getService(ns, 'web-canary')]);
      const managed = (s: ServiceObject) => s.spec?.selector?.[POD_TEMPLATE_HASH_LABEL] !== undefined && s.metadata?.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION] === 'web';
      return (managed(stable) && managed(canary)) || `stable: ${describeService(stable)}; canary: ${describeService(canary)}`;
    },
    { what: 'both Services to be managed by Rollout web', timeoutMs: 60_000 },
  );

  // Controller down; someone removes the annotation of one Service by hand; the Rollout is deleted.
  assert.equal(await first.stop(), 'stopped');
  await client.request({
    method: 'PATCH',
    path: resourcePath(Services, ns, 'web-canary'),
    patchType: 'merge',
    body: { metadata: { annotations: { [MANAGED_BY_ROLLOUTS_ANNOTATION]: null } } },
  });
  await client.request({ method: 'DELETE', path: resourcePath(Rollouts, ns, 'web') });
  await waitGone(resourcePath(Rollouts, ns, 'web'), 'Rollout web to be deleted');
  const stuck = await getService(ns, 'web-canary');
  assert.ok(stuck.spec?.selector?.[POD_TEMPLATE_HASH_LABEL], 'the hash selector is still there while nothing restores it');

  startTestController(t, ns);
  const stable = await waitRestored(ns, 'web-stable', 'web');
  assert.equal(stable.metadata?.annotations?.['team'], 'shop', 'other annotations are kept');
  await waitRestored(ns, 'web-canary', 'web');
});

test('controller › a Service marked as managed by a Rollout that does not exist is restored by the running controller', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  startTestController(t, ns);
  // Simulate what the controller leaves behind: hash selector + managed-by annotation, no Rollout.
  await createService(ns, 'orphan', { app: 'api', [POD_TEMPLATE_HASH_LABEL]: '5f7d9c8b6' }, { [MANAGED_BY_ROLLOUTS_ANNOTATION]: 'api' });
  // And a plain Service, which must stay as it is.
  await createService(ns, 'plain', { app: 'api' }, { note: 'untouched' });
  await waitRestored(ns, 'orphan', 'api');
  const plain = await getService(ns, 'plain');
  assert.deepEqual(plain.spec?.selector, { app: 'api' });
  assert.equal(plain.metadata?.annotations?.['note'], 'untouched');
});

test('controller › a canary Ingress owned by a Rollout that does not route through it is deleted; other Ingresses stay', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  startTestController(t, ns);
  const rollout = aRollout().named('web').inNamespace(ns).withReplicas(1).withCanarySteps([{ setWeight: 50 }]).build();
  const created = await client.request<Rollout & KubernetesObject>({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  const owner = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: created.metadata!.uid!, controller: true };
  const ingress = (name: string, annotations: Record<string, string>, ownerReferences: object[]) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns, annotations, ownerReferences },
    spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
  });
  // Left behind from when the Rollout routed through NGINX stable Ingress "web-ing".
  await client.request({ method: 'POST', path: resourcePath(Ingresses, ns), body: ingress('web-web-ing-canary', { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '50' }, [owner]) });
  // A user's own canary Ingress (no Rollout owner) and the stable Ingress itself.
  await client.request({ method: 'POST', path: resourcePath(Ingresses, ns), body: ingress('users-canary', { 'nginx.ingress.kubernetes.io/canary': 'true' }, []) });
  await client.request({ method: 'POST', path: resourcePath(Ingresses, ns), body: ingress('web-ing', {}, []) });

  await waitGone(resourcePath(Ingresses, ns, 'web-web-ing-canary'), 'the orphaned canary Ingress to be deleted');
  for (const name of ['users-canary', 'web-ing']) {
    const kept = await client.request<KubernetesObject>({ method: 'GET', path: resourcePath(Ingresses, ns, name) });
    assert.equal(kept.metadata?.name, name);
  }
  // The Rollout itself was reconciled meanwhile and is untouched by the restore.
  await waitUntil(
    async () => {
      const list = await client.request<{ items: KubernetesObject[] }>({ method: 'GET', path: resourcePath(ReplicaSets, ns) });
      return list.items.length === 1 || `${list.items.length} ReplicaSets`;
    },
    { what: 'the Rollout to have its ReplicaSet', timeoutMs: 30_000 },
  );
});
