// A run or experiment name that is already taken when the Rollout controller creates it
// (reference §11.6): the one asked for is used, one of ours not wanted means "decide again",
// someone else's means the next name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { KubeApiError } from '../../../controller/kube/errors.ts';
import type { RawRequest } from '../../../controller/kube/client.ts';
import { resolveNameCollision, type CreateAction } from '../../../controller/rollouts/owned-create.ts';
import type { AnalysisRun, Experiment } from '../../../functions/api/index.ts';

const owner = (uid: string) => [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid, controller: true }];

const run = (name: string, uid = 'ro-1', extra: Partial<AnalysisRun> = {}): AnalysisRun => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisRun',
  metadata: { name, namespace: 'shop', ownerReferences: owner(uid) },
  spec: { metrics: [{ name: 'm', provider: { web: { url: 'http://127.0.0.1/' } } }], args: [{ name: 'a', value: '1' }] },
  ...extra,
});

/** An API server holding `existing` objects by path: GET reads, POST creates or answers AlreadyExists. */
function server(existing: Record<string, unknown>) {
  const requests: string[] = [];
  const objects = new Map(Object.entries(existing));
  return {
    requests,
    objects,
    async request<R>(req: RawRequest): Promise<R> {
      requests.push(`${req.method} ${req.path}`);
      if (req.method === 'GET') {
        const found = objects.get(req.path);
        if (!found) throw new KubeApiError({ statusCode: 404, method: req.method, path: req.path, status: { reason: 'NotFound' } });
        return found as R;
      }
      const body = req.body as KubernetesObject;
      const path = `${req.path}/${body.metadata?.name}`;
      if (objects.has(path)) throw new KubeApiError({ statusCode: 409, method: req.method, path: req.path, status: { reason: 'AlreadyExists' } });
      objects.set(path, body);
      return body as R;
    },
  };
}

const RUNS = '/apis/argoproj.io/v1alpha1/namespaces/shop/analysisruns';
const EXPERIMENTS = '/apis/argoproj.io/v1alpha1/namespaces/shop/experiments';

test('owned create › the taken name holds the run asked for (ours, running, same spec): it is used, nothing created', async () => {
  const wanted = run('web-abc-2-1');
  const api = server({ [`${RUNS}/web-abc-2-1`]: run('web-abc-2-1', 'ro-1', { status: { phase: 'Running' } }) });
  const outcome = await resolveNameCollision(api, { kind: 'createAnalysisRun', analysisRun: wanted }, 'shop', 'ro-1');
  assert.equal(outcome.outcome, 'exists');
  assert.equal(outcome.outcome === 'exists' && outcome.created, false);
  assert.deepEqual(api.requests, [`GET ${RUNS}/web-abc-2-1`]);
});

test('owned create › ours but completed (or different): decide again with it in view', async () => {
  const api = server({ [`${RUNS}/web-abc-2-1`]: run('web-abc-2-1', 'ro-1', { status: { phase: 'Failed' } }) });
  const outcome = await resolveNameCollision(api, { kind: 'createAnalysisRun', analysisRun: run('web-abc-2-1') }, 'shop', 'ro-1');
  assert.equal(outcome.outcome, 'stale');
  assert.equal(outcome.object.metadata?.name, 'web-abc-2-1');
});

test('owned create › someone else holds the name: <name>.1, <name>.2 are tried', async () => {
  const api = server({
    [`${RUNS}/web-abc-2-1`]: run('web-abc-2-1', 'other'),
    [`${RUNS}/web-abc-2-1.1`]: run('web-abc-2-1.1', 'other'),
  });
  const outcome = await resolveNameCollision(api, { kind: 'createAnalysisRun', analysisRun: run('web-abc-2-1') }, 'shop', 'ro-1');
  assert.equal(outcome.outcome, 'exists');
  assert.equal(outcome.object.metadata?.name, 'web-abc-2-1.2');
  assert.equal(outcome.outcome === 'exists' && outcome.created, true);
  assert.deepEqual(api.requests, [`GET ${RUNS}/web-abc-2-1`, `POST ${RUNS}`, `GET ${RUNS}/web-abc-2-1.1`, `POST ${RUNS}`]);
});

test('owned create › experiments take <name>-1; a running one of ours is the one asked for', async () => {
  const experiment = (name: string, uid: string, phase?: Experiment['status']): Experiment => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: { name, namespace: 'shop', ownerReferences: owner(uid) },
    spec: { templates: [] },
    ...(phase ? { status: phase } : {}),
  });
  const wanted: CreateAction = { kind: 'createExperiment', experiment: experiment('web-abc-2-3', 'ro-1') };
  const foreign = server({ [`${EXPERIMENTS}/web-abc-2-3`]: experiment('web-abc-2-3', 'other') });
  const created = await resolveNameCollision(foreign, wanted, 'shop', 'ro-1');
  assert.equal(created.object.metadata?.name, 'web-abc-2-3-1');

  const ours = server({ [`${EXPERIMENTS}/web-abc-2-3`]: experiment('web-abc-2-3', 'ro-1', { phase: 'Running' }) });
  const found = await resolveNameCollision(ours, wanted, 'shop', 'ro-1');
  assert.equal(found.outcome, 'exists');
  assert.equal(found.outcome === 'exists' && found.created, false);
});

test('owned create › gives up after 10 other names, saying why', async () => {
  const taken: Record<string, unknown> = { [`${RUNS}/r`]: run('r', 'other') };
  for (let i = 1; i <= 10; i++) taken[`${RUNS}/r.${i}`] = run(`r.${i}`, 'other');
  await assert.rejects(resolveNameCollision(server(taken), { kind: 'createAnalysisRun', analysisRun: run('r') }, 'shop', 'ro-1'), /AnalysisRun r: the name and 10 alternatives are taken by objects of other owners/);
});
