// The API server enforces the Rollout schema and serves its status and scale subresources.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiError, clients } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';

const group = 'argoproj.io';
const version = 'v1alpha1';
const plural = 'rollouts';

function rollout(name: string, replicas: unknown = 2): Record<string, unknown> {
  return {
    apiVersion: `${group}/${version}`,
    kind: 'Rollout',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } },
      strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } },
    },
  };
}

before(async () => {
  await installCrds();
});

test('a Rollout whose spec.replicas is a string is refused with the field path', async (t) => {
  const namespace = await withNamespace(t);
  const { custom } = clients();
  await assert.rejects(
    custom.createNamespacedCustomObject({ group, version, namespace, plural, body: rollout('typo', 'three') }),
    (error: unknown) => {
      const e = apiError(error);
      assert.equal(e.code, 422, e.message);
      assert.equal(e.reason, 'Invalid');
      assert.match(e.message, /spec\.replicas/);
      assert.match(e.message, /integer/);
      return true;
    },
  );
  await assert.rejects(custom.getNamespacedCustomObject({ group, version, namespace, plural, name: 'typo' }), (error: unknown) => apiError(error).code === 404);
});

test('a valid Rollout is stored; its status is written only through /status', async (t) => {
  const namespace = await withNamespace(t);
  const { custom } = clients();
  const created = (await custom.createNamespacedCustomObject({ group, version, namespace, plural, body: rollout('web') })) as {
    metadata: { generation: number; resourceVersion: string };
    spec: { replicas: number; strategy: { canary: { steps: unknown[] } } };
  };
  assert.equal(created.spec.replicas, 2);
  assert.deepEqual(created.spec.strategy.canary.steps, [{ setWeight: 20 }, { pause: {} }]);
  assert.equal(created.metadata.generation, 1);

  // Status sent to the main resource is dropped: the status subresource owns it.
  const withStatus = { ...rollout('web'), metadata: { name: 'web', resourceVersion: created.metadata.resourceVersion }, status: { phase: 'Healthy' } };
  const updated = (await custom.replaceNamespacedCustomObject({ group, version, namespace, plural, name: 'web', body: withStatus })) as { status?: unknown };
  assert.equal(updated.status, undefined);

  const current = (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name: 'web' })) as Record<string, unknown>;
  const status = { phase: 'Progressing', message: 'written by the integration test', replicas: 2, readyReplicas: 1, observedGeneration: '1' };
  const afterStatus = (await custom.replaceNamespacedCustomObjectStatus({ group, version, namespace, plural, name: 'web', body: { ...current, status } })) as {
    metadata: { generation: number };
    status: Record<string, unknown>;
  };
  assert.deepEqual(afterStatus.status, status);
  assert.equal(afterStatus.metadata.generation, 1, 'a status write does not bump the generation');

  const readBack = (await custom.getNamespacedCustomObjectStatus({ group, version, namespace, plural, name: 'web' })) as { status: Record<string, unknown> };
  assert.deepEqual(readBack.status, status);

  // A wrongly typed status field is refused by the schema as well.
  await assert.rejects(
    custom.patchNamespacedCustomObjectStatus({ group, version, namespace, plural, name: 'web', body: [{ op: 'replace', path: '/status/replicas', value: 'two' }] }),
    (error: unknown) => {
      const e = apiError(error);
      assert.equal(e.code, 422, e.message);
      assert.match(e.message, /status\.replicas/);
      return true;
    },
  );
});

test('the scale subresource reads spec.replicas', async (t) => {
  const namespace = await withNamespace(t);
  const { custom } = clients();
  await custom.createNamespacedCustomObject({ group, version, namespace, plural, body: rollout('scaled', 4) });
  const scale = (await custom.getNamespacedCustomObjectScale({ group, version, namespace, plural, name: 'scaled' })) as { kind: string; spec: { replicas: number } };
  assert.equal(scale.kind, 'Scale');
  assert.equal(scale.spec.replicas, 4);
});
