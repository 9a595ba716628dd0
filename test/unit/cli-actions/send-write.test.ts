// How a plan's writes become requests: paths, verbs, content types, and the status-first
// fallback (a CRD without the status subresource answers 404 on /status). The API server is
// replaced by a recorder here only to reach the 404 path, which Ramp's own CRDs never take;
// the integration tests send the same writes to the real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeApiError } from '../../../controller/kube/errors.ts';
import type { KubeClient, RawRequest } from '../../../controller/kube/client.ts';
import { NotFound, applyPlan } from '../../../controller/cli/rollout-commands/rollout-api.ts';
import type { Connection } from '../../../controller/cli/rollout-commands/connection.ts';
import { statusPatch, specPatch, type ActionPlan } from '../../../functions/cli/index.ts';

function recorder(answer: (req: RawRequest) => unknown): { connection: Connection; requests: RawRequest[] } {
  const requests: RawRequest[] = [];
  const client = {
    async request(req: RawRequest) {
      requests.push(req);
      const result = answer(req);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as KubeClient;
  return { connection: { client, namespace: 'shop' }, requests };
}

const notFound = (req: RawRequest) => new KubeApiError({ statusCode: 404, method: req.method, path: req.path, status: { reason: 'NotFound', message: 'the server could not find the requested resource' } });
const base = '/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/demo';

test('applyPlan › status first, then spec, as merge patches', async () => {
  const { connection, requests } = recorder(() => ({}));
  const plan: ActionPlan = { writes: [statusPatch('demo', { pauseConditions: null }, { spec: { paused: false }, status: { pauseConditions: null } }), specPatch('demo', { paused: false })], message: '' };
  await applyPlan(connection, plan);
  assert.deepEqual(
    requests.map((r) => [r.method, r.path, r.patchType, r.body]),
    [
      ['PATCH', `${base}/status`, 'merge', { status: { pauseConditions: null } }],
      ['PATCH', base, 'merge', { spec: { paused: false } }],
    ],
  );
});

test('applyPlan › /status answering 404 sends the fallback to the main resource', async () => {
  const { connection, requests } = recorder((req) => (req.path.endsWith('/status') ? notFound(req) : {}));
  await applyPlan(connection, { writes: [statusPatch('demo', { abort: true })], message: '' });
  assert.deepEqual(
    requests.map((r) => [r.path, r.body]),
    [
      [`${base}/status`, { status: { abort: true } }],
      [base, { status: { abort: true } }],
    ],
  );
});

test('applyPlan › 404 on the main resource too: NotFound naming the rollout and namespace', async () => {
  const { connection } = recorder(notFound);
  await assert.rejects(applyPlan(connection, { writes: [statusPatch('demo', { abort: true })], message: '' }), (e: unknown) => e instanceof NotFound && e.message === "rollout 'demo' not found in namespace 'shop'");
});

test('applyPlan › JSON patch and update go to the target workload', async () => {
  const { connection, requests } = recorder(() => ({}));
  await applyPlan(connection, {
    writes: [
      { type: 'json', target: { kind: 'PodTemplate', name: 'tpl' }, operations: [{ op: 'replace', path: '/template', value: {} }] },
      { type: 'update', target: { kind: 'Deployment', name: 'web' }, object: { metadata: { resourceVersion: '5' } } },
    ],
    message: '',
  });
  assert.deepEqual(
    requests.map((r) => [r.method, r.path, r.patchType]),
    [
      ['PATCH', '/api/v1/namespaces/shop/podtemplates/tpl', 'json'],
      ['PUT', '/apis/apps/v1/namespaces/shop/deployments/web', undefined],
    ],
  );
});
