// The restore shell: decide from the caches, confirm with fresh reads, then write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { MANAGED_BY_ROLLOUTS_ANNOTATION as MANAGED, POD_TEMPLATE_HASH_LABEL as HASH } from '../../../functions/api/index.ts';
import type { RawRequest } from '../../../controller/kube/client.ts';
import { KubeApiError } from '../../../controller/kube/errors.ts';
import { ServiceRestorer, serviceKeysForRollout, ingressKeysForRollout } from '../../../controller/services/restorer.ts';
import { MemoryCache } from '../rollouts-shell/memory-cache.ts';

const NS = 'shop';
type Svc = KubernetesObject & { spec?: { selector?: Record<string, string> } };
const managedService = (name: string, by: string): Svc => ({
  metadata: { name, namespace: NS, resourceVersion: '5', annotations: { [MANAGED]: by } },
  spec: { selector: { app: 'web', [HASH]: 'abc' } },
});
const rolloutNaming = (name: string, service: string, uid = `uid-${name}`): KubernetesObject =>
  ({ metadata: { name, namespace: NS, uid }, spec: { strategy: { canary: { stableService: service } } } }) as KubernetesObject;

function harness(opts: { cachedServices: Svc[]; cachedRollouts: KubernetesObject[]; freshRollouts: KubernetesObject[]; freshService?: Svc | 'gone'; patchAnswer?: unknown }) {
  const requests: RawRequest[] = [];
  const events: string[] = [];
  const services = new MemoryCache<Svc>(opts.cachedServices);
  const restorer = new ServiceRestorer({
    client: {
      async request<R>(req: RawRequest): Promise<R> {
        requests.push(req);
        if (req.method === 'GET' && req.path.endsWith('/rollouts')) return { items: opts.freshRollouts } as R;
        if (req.method === 'GET') {
          if (opts.freshService === 'gone') throw new KubeApiError({ statusCode: 404, method: 'GET', path: req.path });
          return (opts.freshService ?? opts.cachedServices[0]) as R;
        }
        if (opts.patchAnswer instanceof Error) throw opts.patchAnswer;
        return (opts.patchAnswer ?? {}) as R;
      },
    },
    services,
    ingresses: new MemoryCache<KubernetesObject>(),
    rollouts: new MemoryCache(opts.cachedRollouts),
    events: { event: async (_o, _t, reason) => void events.push(reason) },
  });
  return { restorer, requests, events };
}

test('restorer › steady state (the managing Rollout is in the cache and names the Service): no request at all', async () => {
  const h = harness({ cachedServices: [managedService('web-stable', 'web')], cachedRollouts: [rolloutNaming('web', 'web-stable')], freshRollouts: [] });
  assert.equal(await h.restorer.handleService(`${NS}/web-stable`), undefined);
  assert.deepEqual(h.requests, []);
});

test('restorer › Rollout missing from the cache and from a fresh LIST: the Service is restored with a resourceVersion precondition', async () => {
  const h = harness({ cachedServices: [managedService('web-stable', 'web')], cachedRollouts: [], freshRollouts: [] });
  await h.restorer.handleService(`${NS}/web-stable`);
  assert.deepEqual(
    h.requests.map((r) => `${r.method} ${r.path}`),
    ['GET /apis/argoproj.io/v1alpha1/namespaces/shop/rollouts', 'GET /api/v1/namespaces/shop/services/web-stable', 'PATCH /api/v1/namespaces/shop/services/web-stable'],
  );
  assert.deepEqual(h.requests[2]!.body, { metadata: { resourceVersion: '5', annotations: { [MANAGED]: null } }, spec: { selector: { [HASH]: null } } });
  assert.deepEqual(h.events, ['ServiceRestored']);
});

test('restorer › Rollout missing from the cache but present in the fresh LIST (another shard, or a cache behind): nothing is written', async () => {
  const h = harness({ cachedServices: [managedService('web-stable', 'web')], cachedRollouts: [], freshRollouts: [rolloutNaming('web', 'web-stable')] });
  await h.restorer.handleService(`${NS}/web-stable`);
  assert.equal(h.requests.filter((r) => r.method !== 'GET').length, 0);
});

test('restorer › the Service vanished or changed meanwhile: nothing written, or looked at again', async () => {
  const gone = harness({ cachedServices: [managedService('web-stable', 'web')], cachedRollouts: [], freshRollouts: [], freshService: 'gone' });
  assert.equal(await gone.restorer.handleService(`${NS}/web-stable`), undefined);
  assert.equal(gone.requests.filter((r) => r.method === 'PATCH').length, 0);
  const changed = harness({
    cachedServices: [managedService('web-stable', 'web')],
    cachedRollouts: [],
    freshRollouts: [],
    patchAnswer: new KubeApiError({ statusCode: 409, method: 'PATCH', path: '/x', status: { reason: 'Conflict' } }),
  });
  assert.deepEqual(await changed.restorer.handleService(`${NS}/web-stable`), { requeueAfterMs: 1_000 });
  assert.deepEqual(changed.events, []);
});

test('restorer › keys: a Rollout change wakes the Services it names and those marked as managed by it, and the Ingresses it owns', () => {
  const services = new MemoryCache<Svc>([managedService('old-name', 'web'), managedService('other', 'api')]);
  assert.deepEqual(serviceKeysForRollout(services)(rolloutNaming('web', 'web-stable')).sort(), [`${NS}/old-name`, `${NS}/web-stable`]);
  const ingresses = new MemoryCache<KubernetesObject>([
    { metadata: { name: 'web-ing-canary', namespace: NS, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'uid-web' }] } },
    { metadata: { name: 'plain', namespace: NS } },
  ]);
  assert.deepEqual(ingressKeysForRollout(ingresses)(rolloutNaming('web', 's')), [`${NS}/web-ing-canary`]);
});
