// Ramp's CRDs (charts/ramp/crds) install into a real API server and serve their schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clients, kubectl } from './helpers/cluster.ts';
import { crdManifests, installCrds } from './helpers/crds.ts';
import { waitFor } from './helpers/wait-for.ts';

test('every CRD in charts/ramp/crds installs and becomes Established', async () => {
  const names = await installCrds();
  const expected = crdManifests().map((m) => m.metadata?.name);
  assert.deepEqual(names, expected);
  assert.ok(names.includes('rollouts.argoproj.io'), names.join(', '));
  const { apiextensions } = clients();
  for (const name of names) {
    const crd = await apiextensions.readCustomResourceDefinition({ name });
    const established = crd.status?.conditions?.find((c) => c.type === 'Established');
    assert.equal(established?.status, 'True', `${name} Established`);
    const accepted = crd.status?.conditions?.find((c) => c.type === 'NamesAccepted');
    assert.equal(accepted?.status, 'True', `${name} NamesAccepted`);
    assert.equal(crd.status?.acceptedNames?.kind, crd.spec.names.kind);
  }
});

test('kubectl explain rollout.spec.strategy.canary answers from the published schema', async () => {
  await installCrds();
  // Discovery and OpenAPI publication of a new CRD lag a little behind Established.
  const result = await waitFor(
    async () => {
      const r = await kubectl(['explain', 'rollout.spec.strategy.canary']);
      return r.code === 0 ? r : undefined;
    },
    { what: 'kubectl explain rollout.spec.strategy.canary to succeed', timeoutMs: 60_000, intervalMs: 1_000 },
  );
  assert.match(result.stdout, /GROUP:\s+argoproj\.io/);
  assert.match(result.stdout, /KIND:\s+Rollout/);
  assert.match(result.stdout, /FIELD:\s+canary/);
  assert.match(result.stdout, /^\s+steps\s/m, 'lists canary.steps');
  const shortName = await kubectl(['get', 'ro', '--all-namespaces', '-o', 'name']);
  assert.equal(shortName.code, 0, `short name "ro" resolves: ${shortName.stderr}`);
});
