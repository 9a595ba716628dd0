// The example of docs/experiments.md, applied as written to the local control plane with the
// experiment and analysis controllers running: it runs, its smoke Job passes, it ends
// Successful and is scaled down.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { createAnalysisController } from '../../controller/analysis/controller.ts';
import { createExperimentController } from '../../controller/experiments/controller.ts';
import { AnalysisRuns, AnalysisTemplates, Experiments, ReplicaSets, Services } from '../../controller/experiments/resources.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { isNotFound } from '../../controller/kube/errors.ts';
import { EventRecorder } from '../../controller/kube/events.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import type { ReplicaSetObject } from '../../controller/rollouts/snapshot.ts';
import type { AnalysisRun, Experiment } from '../../functions/api/index.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor, waitUntil } from './helpers/wait-for.ts';

const client = new KubeClient({ kubeConfig: kubeConfig() });

before(async () => {
  await installCrds();
});

function exampleDocuments(): KubernetesObject[] {
  const text = readFileSync(new URL('../../docs/experiments.md', import.meta.url), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(text)?.[1];
  assert.ok(block, 'docs/experiments.md has a yaml block');
  return parseAllDocuments(block).map((d) => d.toJS() as KubernetesObject);
}

it('docs/experiments.md › the example runs, passes its smoke test, ends Successful and is scaled down', async (t) => {
  const ns = await withNamespace(t);
  const events = new EventRecorder({ client });
  const experiments = createExperimentController({ client, namespace: ns, events, resyncSchedule: '*/2 * * * * *', drainTimeoutMs: 5_000 });
  const analysis = createAnalysisController({ client, namespace: ns, workers: 4 });
  await experiments.start();
  await analysis.start();
  t.after(async () => {
    await experiments.stop();
    await analysis.stop();
    await events.flush();
  });

  for (const doc of exampleDocuments()) {
    const resource = doc.kind === 'AnalysisTemplate' ? AnalysisTemplates : Experiments;
    await client.request({ method: 'POST', path: resourcePath(resource, ns), body: { ...doc, metadata: { ...doc.metadata, namespace: ns } } });
  }

  await waitFor(async () => {
    try {
      return await client.request<KubernetesObject>({ method: 'GET', path: resourcePath(Services, ns, 'checkout-ab-canary') });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }, { what: 'Service checkout-ab-canary', timeoutMs: 60_000, intervalMs: 200 });

  let last: Experiment | undefined;
  await waitUntil(async () => {
    last = await client.request<Experiment>({ method: 'GET', path: resourcePath(Experiments, ns, 'checkout-ab') });
    return last.status?.phase === 'Successful' ? true : `phase ${last.status?.phase} ${last.status?.message ?? ''}`;
  }, { what: 'Experiment checkout-ab to be Successful', timeoutMs: 90_000, intervalMs: 250 });
  assert.equal(last?.status?.message, 'Required AnalysisRuns completed');
  assert.ok(last?.status?.availableAt);
  assert.deepEqual(last?.status?.analysisRuns, [{ name: 'smoke', analysisRun: 'checkout-ab-smoke', phase: 'Successful' }]);
  const run = await client.request<AnalysisRun>({ method: 'GET', path: resourcePath(AnalysisRuns, ns, 'checkout-ab-smoke') });
  assert.deepEqual(run.spec.args, [{ name: 'target', value: 'checkout-ab-canary' }]);

  for (const name of ['checkout-ab-baseline', 'checkout-ab-canary']) {
    await waitUntil(async () => {
      const rs = await client.request<ReplicaSetObject>({ method: 'GET', path: resourcePath(ReplicaSets, ns, name) });
      return rs.spec?.replicas === 0 && (rs.status?.replicas ?? 0) === 0 ? true : `spec ${rs.spec?.replicas}, pods ${rs.status?.replicas ?? 0}`;
    }, { what: `ReplicaSet ${name} scaled to zero`, timeoutMs: 60_000, intervalMs: 250 });
  }
  await waitFor(async () => {
    try {
      await client.request({ method: 'GET', path: resourcePath(Services, ns, 'checkout-ab-canary') });
      return false;
    } catch (error) {
      if (isNotFound(error)) return true;
      throw error;
    }
  }, { what: 'Service checkout-ab-canary to be deleted', timeoutMs: 30_000 });
});
