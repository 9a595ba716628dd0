// The watch-backed cache and the rate-limited client against the real API server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { ObjectCache, type CacheEvent } from '../../controller/kube/cache.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { instanceIdSelector, INSTANCE_ID_LABEL } from '../../controller/kube/instance-id.ts';
import { ConfigMaps, resourcePath } from '../../controller/kube/resource.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor } from './helpers/wait-for.ts';

function client(): KubeClient {
  return new KubeClient({ kubeConfig: kubeConfig(), qps: 50, burst: 100 });
}

async function createConfigMap(c: KubeClient, namespace: string, name: string, data: Record<string, string>, labels: Record<string, string> = {}, ownerUid?: string): Promise<V1ConfigMap> {
  return c.request<V1ConfigMap>({
    method: 'POST',
    path: resourcePath(ConfigMaps, namespace),
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        labels,
        ...(ownerUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: ownerUid }] } : {}),
      },
      data,
    },
  });
}

test('cache › sees ConfigMaps created, updated and deleted in a namespace', async (t) => {
  const ns = await withNamespace(t);
  const c = client();
  await createConfigMap(c, ns, 'before-start', { a: '1' });
  const cache = new ObjectCache<V1ConfigMap>({ client: c, resource: ConfigMaps, namespace: ns });
  const events: Array<[CacheEvent<V1ConfigMap>['type'], string]> = [];
  cache.onChange((e) => events.push([e.type, e.object.metadata!.name!]));
  cache.start();
  t.after(() => cache.stop());
  await cache.waitForSync();
  assert.equal(cache.hasSynced(), true);
  assert.equal(cache.get(ns, 'before-start')?.data?.['a'], '1', 'the initial LIST is in the cache');
  assert.equal(cache.get(ns, 'before-start')?.kind, 'ConfigMap', 'list items get their kind back');

  await createConfigMap(c, ns, 'web', { color: 'blue' });
  await waitFor(() => cache.get(ns, 'web'), { what: 'the created ConfigMap in the cache' });

  await c.request({ method: 'PATCH', path: resourcePath(ConfigMaps, ns, 'web'), body: { data: { color: 'green' } } });
  await waitFor(() => cache.get(ns, 'web')?.data?.['color'] === 'green', { what: 'the updated ConfigMap in the cache' });

  await c.request({ method: 'DELETE', path: resourcePath(ConfigMaps, ns, 'web') });
  await waitFor(() => cache.get(ns, 'web') === undefined, { what: 'the deleted ConfigMap gone from the cache' });

  assert.deepEqual(
    events.filter(([, name]) => name === 'web').map(([type]) => type),
    ['added', 'updated', 'deleted'],
  );
  assert.equal(cache.get(ns, 'before-start')?.metadata?.managedFields, undefined, 'managedFields are not kept in memory');
});

test('cache › only watches its namespace in namespaced mode, filters by labels, and indexes by owner', async (t) => {
  const mine = await withNamespace(t);
  const other = await withNamespace(t);
  const c = client();
  const cache = new ObjectCache<V1ConfigMap>({ client: c, resource: ConfigMaps, namespace: mine });
  cache.start();
  t.after(() => cache.stop());
  await cache.waitForSync();
  const owner = await createConfigMap(c, mine, 'owner', {});
  await createConfigMap(c, mine, 'child-1', {}, { tier: 'web' }, owner.metadata!.uid);
  await createConfigMap(c, mine, 'child-2', {}, { tier: 'db' }, owner.metadata!.uid);
  await createConfigMap(c, other, 'elsewhere', {}, { tier: 'web' });
  await waitFor(() => cache.get(mine, 'child-2'), { what: 'child-2 in the cache' });

  assert.deepEqual(
    cache.byOwner(owner.metadata!.uid!).map((o) => o.metadata!.name).sort(),
    ['child-1', 'child-2'],
  );
  assert.deepEqual(
    cache.list(mine, 'tier=web').map((o) => o.metadata!.name),
    ['child-1'],
  );
  assert.deepEqual(
    cache.list(undefined, { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'db'] }] }).map((o) => o.metadata!.name).sort(),
    ['child-1', 'child-2'],
  );
  assert.equal(cache.get(other, 'elsewhere'), undefined, 'another namespace is not watched');
});

test('cache › with an instance id, sees only objects labelled for it; without, only unlabelled ones', async (t) => {
  const ns = await withNamespace(t);
  const c = client();
  const sharded = new ObjectCache<V1ConfigMap>({ client: c, resource: ConfigMaps, namespace: ns, labelSelector: instanceIdSelector('blue') });
  const unsharded = new ObjectCache<V1ConfigMap>({ client: c, resource: ConfigMaps, namespace: ns, labelSelector: instanceIdSelector(undefined) });
  for (const cache of [sharded, unsharded]) {
    cache.start();
    t.after(() => cache.stop());
    await cache.waitForSync();
  }
  await createConfigMap(c, ns, 'for-blue', {}, { [INSTANCE_ID_LABEL]: 'blue' });
  await createConfigMap(c, ns, 'for-green', {}, { [INSTANCE_ID_LABEL]: 'green' });
  await createConfigMap(c, ns, 'for-default', {});
  await waitFor(() => sharded.get(ns, 'for-blue') && unsharded.get(ns, 'for-default'), { what: 'both caches to see their object' });
  assert.deepEqual(sharded.keys().sort(), [`${ns}/for-blue`]);
  assert.deepEqual(
    unsharded.keys().filter((k) => k.startsWith(`${ns}/for-`)).sort(),
    [`${ns}/for-default`],
  );
});

test('cache › a stopped and restarted cache catches up with what changed meanwhile', async (t) => {
  const ns = await withNamespace(t);
  const c = client();
  const cache = new ObjectCache<V1ConfigMap>({ client: c, resource: ConfigMaps, namespace: ns });
  const deleted: string[] = [];
  cache.onChange((e) => e.type === 'deleted' && deleted.push(e.object.metadata!.name!));
  cache.start();
  t.after(() => cache.stop());
  await createConfigMap(c, ns, 'short-lived', {});
  await waitFor(() => cache.get(ns, 'short-lived'), { what: 'short-lived in the cache' });
  await cache.stop();
  await c.request({ method: 'DELETE', path: resourcePath(ConfigMaps, ns, 'short-lived') });
  await createConfigMap(c, ns, 'newcomer', {});
  cache.start();
  await waitFor(() => cache.get(ns, 'newcomer') && !cache.get(ns, 'short-lived'), { what: 'the restarted cache to catch up' });
  assert.deepEqual(deleted, ['short-lived'], 'the re-list reports the deletion it missed');
});
