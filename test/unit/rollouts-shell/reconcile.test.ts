// The reconciler shell with a stub decision and a recording client: snapshot assembly, ordered
// writes, stale views, status only when it differs, events after the writes, wake-ups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { POD_TEMPLATE_HASH_LABEL } from '../../../functions/api/index.ts';
import type { Action, Decision, RolloutSnapshot } from '../../../functions/rollout/decide/types.ts';
import type { RawRequest } from '../../../controller/kube/client.ts';
import { KubeApiError } from '../../../controller/kube/errors.ts';
import { ManualClock } from '../../../controller/kube/manual-clock.ts';
import { FreshView } from '../../../controller/rollouts/fresh-view.ts';
import { RolloutReconciler } from '../../../controller/rollouts/reconcile.ts';
import { assembleSnapshot, type ReplicaSetObject, type RolloutObject, type ServiceObject } from '../../../controller/rollouts/snapshot.ts';
import { MemoryCache } from './memory-cache.ts';

const NS = 'shop';
const rollout = (status: Record<string, unknown> = { phase: 'Progressing' }): RolloutObject =>
  ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web', namespace: NS, uid: 'ro-1', resourceVersion: '10', generation: 1 },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'i' }] } },
      strategy: { canary: { stableService: 'web-stable', canaryService: 'web-canary' } },
    },
    status,
  }) as unknown as RolloutObject;

const replicaSet = (name: string, opts: { owner?: string; hash?: boolean; labels?: Record<string, string>; controllerKind?: string } = {}): ReplicaSetObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: NS,
    uid: `uid-${name}`,
    resourceVersion: '20',
    // The caches hold JSON, so timestamps are strings whatever client-node's types say.
    creationTimestamp: '2026-01-01T00:00:00Z' as unknown as Date,
    labels: { app: 'web', ...(opts.hash === false ? {} : { [POD_TEMPLATE_HASH_LABEL]: name.split('-')[1]! }), ...opts.labels },
    ...(opts.owner
      ? { ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: opts.controllerKind ?? 'Rollout', name: 'x', uid: opts.owner, controller: true }] }
      : {}),
  },
  spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } } } },
  status: { replicas: 2, readyReplicas: 1, availableReplicas: 1 },
});

interface World {
  rollouts: MemoryCache<RolloutObject>;
  replicaSets: MemoryCache<ReplicaSetObject>;
  services: MemoryCache<ServiceObject>;
  analysisRuns: MemoryCache<KubernetesObject>;
  experiments: MemoryCache<KubernetesObject>;
}

function world(ro: RolloutObject = rollout()): World {
  return {
    rollouts: new MemoryCache([ro]),
    replicaSets: new MemoryCache([
      replicaSet('web-aaa', { owner: 'ro-1' }),
      replicaSet('web-orphan'),
      replicaSet('web-foreign', { owner: 'someone-else', controllerKind: 'Deployment' }),
      replicaSet('api-zzz', { labels: { app: 'api' } }),
    ]),
    services: new MemoryCache<ServiceObject>([
      { metadata: { name: 'web-stable', namespace: NS }, spec: { selector: { app: 'web' } } },
      { metadata: { name: 'unrelated', namespace: NS }, spec: { selector: { app: 'web' } } },
    ]),
    analysisRuns: new MemoryCache<KubernetesObject>([{ metadata: { name: 'web-aaa-1', namespace: NS, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: 'ro-1' }] } }]),
    experiments: new MemoryCache<KubernetesObject>(),
  };
}

test('snapshot › the Rollout, its owned ReplicaSets and adoptable orphans, the Services it names, its AnalysisRuns', () => {
  const w = world();
  const now = new Date('2026-02-01T00:00:00Z');
  const assembled = assembleSnapshot(`${NS}/web`, w, now)!;
  const s = assembled.snapshot;
  assert.equal(s.rollout.metadata?.name, 'web');
  assert.deepEqual(s.replicaSets.map((r) => r.name).sort(), ['web-aaa', 'web-orphan']);
  const owned = s.replicaSets.find((r) => r.name === 'web-aaa')!;
  assert.deepEqual(owned.status, { replicas: 2, readyReplicas: 1, availableReplicas: 1 });
  assert.equal(owned.creationTimestamp, '2026-01-01T00:00:00Z');
  assert.deepEqual(s.services.map((x) => x.name), ['web-stable'], 'web-canary does not exist; unrelated is not named');
  assert.deepEqual(s.analysisRuns.map((a) => a.metadata?.name), ['web-aaa-1']);
  assert.deepEqual(s.experiments, []);
  assert.equal(s.now, now);
  assert.equal(assembleSnapshot(`${NS}/missing`, w, now), undefined);
});

test('snapshot › the decision gets copies: mutating the snapshot leaves the caches alone', () => {
  const w = world();
  const s = assembleSnapshot(`${NS}/web`, w, new Date())!.snapshot;
  (s.rollout.spec as { replicas?: number }).replicas = 99;
  (s.replicaSets[0]!.template as { metadata?: unknown }).metadata = undefined;
  assert.equal(w.rollouts.get(NS, 'web')?.spec?.replicas, 2);
  assert.ok(w.replicaSets.get(NS, 'web-aaa')?.spec?.template?.metadata);
});

interface Recorded {
  requests: RawRequest[];
  events: Array<[string, string, string]>;
}

function harness(decide: (s: RolloutSnapshot) => Decision, answer: (req: RawRequest) => unknown = (req) => ({ metadata: { name: 'x', namespace: NS, resourceVersion: '99' }, req }), w = world()) {
  const rec: Recorded = { requests: [], events: [] };
  const clock = new ManualClock();
  const views = { rollouts: new FreshView(w.rollouts, { clock }), replicaSets: new FreshView(w.replicaSets, { clock }), services: new FreshView(w.services, { clock }) };
  const reconciler = new RolloutReconciler({
    client: {
      async request<R>(req: RawRequest): Promise<R> {
        rec.requests.push(req);
        const a = answer(req);
        if (a instanceof Error) throw a;
        return a as R;
      },
    },
    ...views,
    analysisRuns: w.analysisRuns,
    experiments: w.experiments,
    decide,
    events: {
      async event(_obj, type, reason, message) {
        rec.events.push([type, reason, message]);
      },
    },
    clock,
    staleRetryMs: 250,
  });
  return { rec, reconciler, views };
}

const decision = (actions: Action[], status: Record<string, unknown>, extra: Partial<Decision> = {}): Decision =>
  ({ actions, status, events: [{ type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up' }], ...extra }) as Decision;

const scale = (name: string, from: number, replicas: number): Action => ({ kind: 'scaleReplicaSet', name, from, replicas, annotations: {} });

test('reconciler › applies the actions in order, then the status, then records the events; asks to wake when the decision says', async () => {
  const { rec, reconciler } = harness(() => decision([scale('web-aaa', 2, 1), { kind: 'patchServiceSelector', service: 'web-stable', hash: 'aaa', managedBy: 'web' }], { phase: 'Paused' }, { requeueAfterMs: 5_000 }));
  const result = await reconciler.handle(`${NS}/web`);
  assert.deepEqual(
    rec.requests.map((r) => `${r.method} ${r.path}`),
    [
      'PATCH /apis/apps/v1/namespaces/shop/replicasets/web-aaa',
      'PATCH /api/v1/namespaces/shop/services/web-stable',
      'PATCH /apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/web/status',
    ],
  );
  assert.deepEqual(rec.requests[2]!.body, { status: { phase: 'Paused' } });
  assert.deepEqual(rec.events, [['Normal', 'ScalingReplicaSet', 'Scaled up']]);
  assert.deepEqual(result, { requeueAfterMs: 5_000 });
});

test('reconciler › nothing to do: no request at all, no wake-up', async () => {
  const { rec, reconciler } = harness(() => decision([], { phase: 'Progressing' }, { events: [] }));
  assert.equal(await reconciler.handle(`${NS}/web`), undefined);
  assert.deepEqual(rec.requests, []);
});

test('reconciler › a refused precondition stops the pass: later actions and the status are not written; looked at again soon', async () => {
  for (const refusal of [
    new KubeApiError({ statusCode: 409, method: 'PATCH', path: '/x', status: { reason: 'Conflict' } }),
    new KubeApiError({ statusCode: 422, method: 'PATCH', path: '/x', status: { reason: 'Invalid', message: 'the server rejected our request due to an error in our request' } }),
  ]) {
    const { rec, reconciler } = harness(
      () => decision([scale('web-aaa', 2, 1), scale('web-orphan', 2, 0)], { phase: 'Paused' }),
      (req) => (req.path.endsWith('web-aaa') ? refusal : {}),
    );
    assert.deepEqual(await reconciler.handle(`${NS}/web`), { requeueAfterMs: 250 });
    assert.equal(rec.requests.length, 1, `after ${refusal.statusCode} nothing else is written`);
    assert.deepEqual(rec.events, [], 'no events for transitions that did not happen');
  }
});

test('reconciler › a ReplicaSet that already exists (cache behind) is a stale view, not a failure', async () => {
  const create: Action = {
    kind: 'createReplicaSet',
    replicaSet: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-new', labels: {}, annotations: {}, ownerReferences: [] }, spec: { replicas: 1, selector: {}, template: {} } },
  };
  const { reconciler } = harness(
    () => decision([create], {}),
    () => new KubeApiError({ statusCode: 409, method: 'POST', path: '/x', status: { reason: 'AlreadyExists' } }),
  );
  assert.deepEqual(await reconciler.handle(`${NS}/web`), { requeueAfterMs: 250 });
});

test('reconciler › deleting what is already gone (404) or replaced (409 on the uid precondition) is done', async () => {
  for (const code of [404, 409]) {
    const { rec, reconciler } = harness(
      () => decision([{ kind: 'deleteReplicaSet', name: 'web-orphan', uid: 'u' }], { phase: 'Healthy' }),
      (req) => (req.method === 'DELETE' ? new KubeApiError({ statusCode: code, method: 'DELETE', path: '/x' }) : {}),
    );
    await reconciler.handle(`${NS}/web`);
    assert.equal(rec.requests.at(-1)?.path.endsWith('/status'), true, `status still written after a ${code} delete`);
  }
});

test('reconciler › any other failure is reported as a ReconciliationError event and thrown (the queue backs off)', async () => {
  const { rec, reconciler } = harness(
    () => decision([scale('web-aaa', 2, 1)], {}),
    () => new KubeApiError({ statusCode: 403, method: 'PATCH', path: '/x', status: { reason: 'Forbidden', message: 'no' } }),
  );
  await assert.rejects(reconciler.handle(`${NS}/web`), /403 Forbidden/);
  assert.equal(rec.events.length, 1);
  assert.equal(rec.events[0]![0], 'Warning');
  assert.equal(rec.events[0]![1], 'ReconciliationError');
  assert.match(rec.events[0]![2], /scaleReplicaSet failed/);
});

test('reconciler › the next reconcile sees its own writes before the watch delivers them', async () => {
  let seen: RolloutSnapshot | undefined;
  const decisions = [
    () => decision([{ kind: 'createReplicaSet', replicaSet: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-bbb', labels: {}, annotations: {}, ownerReferences: [] }, spec: { replicas: 1, selector: {}, template: {} } } }], { phase: 'Progressing', currentPodHash: 'bbb' }),
  ];
  const { reconciler } = harness(
    (s) => {
      seen = s;
      return (decisions.shift() ?? (() => decision([], s.rollout.status as Record<string, unknown>, { events: [] })))();
    },
    (req) =>
      req.method === 'POST'
        ? { ...replicaSet('web-bbb', { owner: 'ro-1' }), metadata: { ...replicaSet('web-bbb', { owner: 'ro-1' }).metadata, resourceVersion: '30' } }
        : { ...rollout({ phase: 'Progressing', currentPodHash: 'bbb' }), metadata: { ...rollout().metadata, resourceVersion: '31' } },
  );
  await reconciler.handle(`${NS}/web`);
  await reconciler.handle(`${NS}/web`);
  assert.ok(seen!.replicaSets.some((r) => r.name === 'web-bbb'), 'the created ReplicaSet is in the next snapshot');
  assert.equal(seen!.rollout.status?.currentPodHash, 'bbb', 'the written status is in the next snapshot');
});

test('reconciler › in one-pass mode a reconcile that wrote asks to be looked at again at once', async () => {
  const w = world();
  const rec: RawRequest[] = [];
  const reconciler = new RolloutReconciler({
    client: { request: async <R>(req: RawRequest) => (rec.push(req), {}) as R },
    rollouts: new FreshView(w.rollouts),
    replicaSets: new FreshView(w.replicaSets),
    services: new FreshView(w.services),
    analysisRuns: w.analysisRuns,
    experiments: w.experiments,
    decide: () => decision([scale('web-aaa', 2, 1)], { phase: 'Progressing' }, { requeueAfterMs: 60_000 }),
    events: { event: async () => undefined },
    requeueAfterWritesMs: 0,
  });
  assert.deepEqual(await reconciler.handle(`${NS}/web`), { requeueAfterMs: 0 });
});

test('reconciler › evictions (spec.restartAt) follow the actions; a PDB refusal (429) or a gone pod is skipped, the status is still written', async () => {
  const { rec, reconciler } = harness(
    () => ({ ...decision([scale('web-aaa', 2, 2)], { phase: 'Progressing', message: 'restarting' }), evictPods: ['web-aaa-1', 'web-aaa-2', 'web-aaa-3'] }),
    (req) =>
      req.path.endsWith('web-aaa-1/eviction')
        ? new KubeApiError({ statusCode: 429, method: 'POST', path: req.path, status: { reason: 'TooManyRequests', message: 'Cannot evict pod as it would violate the pod\'s disruption budget.' } })
        : req.path.endsWith('web-aaa-2/eviction')
          ? new KubeApiError({ statusCode: 404, method: 'POST', path: req.path })
          : {},
  );
  await reconciler.handle(`${NS}/web`);
  assert.deepEqual(
    rec.requests.map((r) => `${r.method} ${r.path}`),
    [
      'PATCH /apis/apps/v1/namespaces/shop/replicasets/web-aaa',
      'POST /api/v1/namespaces/shop/pods/web-aaa-1/eviction',
      'POST /api/v1/namespaces/shop/pods/web-aaa-2/eviction',
      'POST /api/v1/namespaces/shop/pods/web-aaa-3/eviction',
      'PATCH /apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/web/status',
    ],
  );
  assert.deepEqual(rec.requests[3]!.body, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-aaa-3', namespace: NS } });
});

test('snapshot › pods of the snapshot ReplicaSets, available once Ready for minReadySeconds', () => {
  const w = world();
  const pod = (name: string, owner: string, readySince?: string): KubernetesObject =>
    ({
      metadata: { name, namespace: NS, creationTimestamp: '2026-01-01T00:00:00Z', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: `uid-${owner}`, controller: true }] },
      status: { conditions: readySince ? [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] : [{ type: 'Ready', status: 'False' }] },
    }) as unknown as KubernetesObject;
  const pods = new MemoryCache<KubernetesObject>([
    pod('web-aaa-1', 'web-aaa', '2026-02-01T00:00:00Z'),
    pod('web-aaa-2', 'web-aaa', '2026-02-01T00:00:55Z'),
    pod('web-aaa-3', 'web-aaa'),
    pod('api-zzz-1', 'api-zzz', '2026-02-01T00:00:00Z'),
  ]);
  const ro = rollout();
  (ro.spec as { minReadySeconds?: number }).minReadySeconds = 10;
  w.rollouts.set(ro);
  const s = assembleSnapshot(`${NS}/web`, { ...w, pods }, new Date('2026-02-01T00:01:00Z'))!.snapshot;
  assert.deepEqual(
    s.pods?.map((p) => [p.name, p.replicaSet, p.available]),
    [
      ['web-aaa-1', 'web-aaa', true],
      ['web-aaa-2', 'web-aaa', false],
      ['web-aaa-3', 'web-aaa', false],
    ],
  );
  assert.equal(assembleSnapshot(`${NS}/web`, w, new Date())!.snapshot.pods, undefined, 'no pod source, no pods field');
});
