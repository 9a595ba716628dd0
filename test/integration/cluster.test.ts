// The local control plane itself: versions, fake nodes, the network rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscoveryV1Api, VersionApi } from '@kubernetes/client-node';
import { readVersions } from '../../controller/localcluster/binaries.ts';
import { clients, kubeConfig, kubectl } from './helpers/cluster.ts';

test('the API server reports the pinned version with numeric major/minor (Argo parses them)', async () => {
  const info = await kubeConfig().makeApiClient(VersionApi).getCode();
  const pinned = readVersions().k8s;
  assert.equal(info.gitVersion, pinned);
  assert.equal(info.major, '1');
  assert.equal(info.minor, pinned.split('.')[1]);
});

test('fake nodes are Ready, untainted, and advertise only loopback addresses', async () => {
  const { core } = clients();
  const nodes = (await core.listNode()).items;
  assert.ok(nodes.length >= 2, `want at least 2 nodes, got ${nodes.length}`);
  for (const node of nodes) {
    const name = node.metadata?.name;
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True', `${name} Ready`);
    assert.deepEqual(node.spec?.taints ?? [], [], `${name} has no taints`);
    for (const address of node.status?.addresses ?? []) {
      if (address.type === 'InternalIP' || address.type === 'ExternalIP') assert.equal(address.address, '127.0.0.1', `${name} ${address.type}`);
    }
  }
});

test('the kubernetes Service exists and, with the endpoint reconciler off, has no endpoints pointing anywhere', async () => {
  const { core } = clients();
  const svc = await core.readNamespacedService({ name: 'kubernetes', namespace: 'default' });
  assert.equal(svc.spec?.clusterIP, '10.96.0.1');
  const slices = await kubeConfig().makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({
    namespace: 'default',
    labelSelector: 'kubernetes.io/service-name=kubernetes',
  });
  const addresses = slices.items.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses));
  assert.deepEqual(addresses, []);
});

test('the built kubectl talks to the cluster', async () => {
  const r = await kubectl(['get', 'nodes', '-o', 'name']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^node\/kwok-node-0$/m);
});
