// The rate-limited, retrying client and the cache against the real API server, including while
// the connection to it is cut (a TCP relay on 127.0.0.1 in front of the real server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { ObjectCache } from '../../controller/kube/cache.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { retryOnConflict } from '../../controller/kube/conflict.ts';
import { isConflict, isNotFound, KubeApiError } from '../../controller/kube/errors.ts';
import { ConfigMaps, resourcePath } from '../../controller/kube/resource.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor } from './helpers/wait-for.ts';

function client(): KubeClient {
  return new KubeClient({ kubeConfig: kubeConfig() });
}

async function createConfigMap(c: KubeClient, namespace: string, name: string, data: Record<string, string> = {}): Promise<V1ConfigMap> {
  return c.request<V1ConfigMap>({ method: 'POST', path: resourcePath(ConfigMaps, namespace), body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } });
}

/** A TCP relay on 127.0.0.1 to the real API server that can be switched off and on. */
class Relay {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  readonly port: number;
  readonly #target: URL;
  constructor(port: number, target: string) {
    this.port = port;
    this.#target = new URL(target);
  }
  static async freePort(): Promise<number> {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }
  async up(): Promise<void> {
    this.#server = createServer((inbound) => {
      const outbound = connect(Number(this.#target.port), '127.0.0.1');
      for (const s of [inbound, outbound]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((r) => this.#server!.listen(this.port, '127.0.0.1', r));
  }
  async down(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

/** The local cluster's kubeconfig, pointed at the relay instead. */
function viaRelay(relay: Relay): KubeConfig {
  const base = kubeConfig();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: base.getClusters().map((c) => ({ ...c, server: `https://127.0.0.1:${relay.port}` })),
    users: base.getUsers(),
    contexts: base.getContexts(),
    currentContext: base.getCurrentContext(),
  });
  return kc;
}

test('client › API errors carry status and reason; retryOnConflict re-reads and wins', async (t) => {
  const ns = await withNamespace(t);
  const c = client();
  await createConfigMap(c, ns, 'counter', { n: '0' });
  const path = resourcePath(ConfigMaps, ns, 'counter');

  const missing = await c.request({ method: 'GET', path: resourcePath(ConfigMaps, ns, 'nope') }).catch((e: unknown) => e);
  assert.ok(missing instanceof KubeApiError);
  assert.equal(isNotFound(missing), true);
  assert.match(missing.message, /404 NotFound: configmaps "nope" not found/);

  const stale = await c.request<V1ConfigMap>({ method: 'GET', path });
  await c.request({ method: 'PATCH', path, body: { data: { n: '1' } } });
  const conflict = await c.request({ method: 'PUT', path, body: { ...stale, data: { n: 'x' } } }).catch((e: unknown) => e);
  assert.equal(isConflict(conflict), true, 'a PUT with an old resourceVersion is a Conflict');

  // Three writers incrementing concurrently: every increment lands.
  const increment = () =>
    retryOnConflict(
      () => c.request<V1ConfigMap>({ method: 'GET', path }),
      (fresh) => c.request({ method: 'PUT', path, body: { ...fresh, data: { n: String(Number(fresh.data!['n']) + 1) } } }),
      { attempts: 10 },
    );
  await Promise.all([increment(), increment(), increment()]);
  const final = await c.request<V1ConfigMap>({ method: 'GET', path });
  assert.equal(final.data!['n'], '4');
});

test('client › generated client-node APIs go through the same limiter and observer', async (t) => {
  const ns = await withNamespace(t);
  const seen: string[] = [];
  const c = new KubeClient({ kubeConfig: kubeConfig(), observe: (a) => seen.push(`${a.method} ${new URL(a.url).pathname} ${a.status}`) });
  await c.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'typed' }, data: { k: 'v' } } });
  const read = await c.core.readNamespacedConfigMap({ namespace: ns, name: 'typed' });
  assert.equal(read.data?.['k'], 'v');
  assert.deepEqual(seen, [`POST /api/v1/namespaces/${ns}/configmaps 201`, `GET /api/v1/namespaces/${ns}/configmaps/typed 200`]);
});

test('client › a request made while the API server is unreachable succeeds once it is back', async (t) => {
  const ns = await withNamespace(t);
  const relay = new Relay(await Relay.freePort(), kubeConfig().getCurrentCluster()!.server);
  t.after(() => relay.down());
  const attempts: Array<number | undefined> = [];
  const c = new KubeClient({ kubeConfig: viaRelay(relay), retry: { baseDelayMs: 100, maxDelayMs: 400 }, observe: (a) => attempts.push(a.status) });
  const pending = createConfigMap(c, ns, 'written-while-away', { ok: 'yes' });
  await waitFor(() => attempts.length >= 2, { what: 'the client to retry against the closed port' });
  assert.deepEqual(attempts.slice(0, 2), [undefined, undefined], 'no answer while nothing listens');
  await relay.up();
  const created = await pending;
  assert.equal(created.data?.['ok'], 'yes');
  assert.equal(attempts.at(-1), 201);
});

test('cache › reconnects after the connection to the API server drops and catches up', async (t) => {
  const ns = await withNamespace(t);
  const relay = new Relay(await Relay.freePort(), kubeConfig().getCurrentCluster()!.server);
  await relay.up();
  t.after(() => relay.down());
  const viaRelayClient = new KubeClient({ kubeConfig: viaRelay(relay) });
  const direct = client();
  const cache = new ObjectCache<V1ConfigMap>({ client: viaRelayClient, resource: ConfigMaps, namespace: ns, random: () => 0 });
  cache.start();
  t.after(() => cache.stop());
  await cache.waitForSync();
  await createConfigMap(direct, ns, 'before-outage');
  await waitFor(() => cache.get(ns, 'before-outage'), { what: 'before-outage in the cache' });

  await relay.down();
  await createConfigMap(direct, ns, 'during-outage');
  await direct.request({ method: 'DELETE', path: resourcePath(ConfigMaps, ns, 'before-outage') });
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(cache.get(ns, 'before-outage'), 'the cache cannot know yet');
  await relay.up();
  await waitFor(() => cache.get(ns, 'during-outage') && !cache.get(ns, 'before-outage'), { what: 'the cache to catch up after the outage', timeoutMs: 60_000 });
});
