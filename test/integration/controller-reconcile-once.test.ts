// CronJob mode: `ramp reconcile --once` as a separate process, no long-lived controller. Each
// run makes one complete pass and exits; run repeatedly it takes a canary all the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL, type Rollout } from '../../functions/api/index.ts';
import { repoRoot } from '../../controller/localcluster/binaries.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { LeaderElector } from '../../controller/leader/elector.ts';
import { KubeLeaseStore } from '../../controller/leader/kube-lease-store.ts';
import { ReplicaSets, Rollouts, Services } from '../../controller/rollouts/resources.ts';
import type { ReplicaSetObject, ServiceObject } from '../../controller/rollouts/snapshot.ts';
import { aRollout } from '../fixtures/rollout.ts';
import { kubeConfig, kubeconfigPath } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';

const client = new KubeClient({ kubeConfig: kubeConfig() });

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `ramp reconcile --once` in its own process, scoped to `ns`. */
function reconcileOnce(ns: string, extra: string[] = ['--leader-elect=false']): Promise<Run> {
  const node = join(repoRoot, 'node_modules', '.bin', 'node');
  const args = [join(repoRoot, 'bin', 'ramp.js'), 'reconcile', '--once', `--kubeconfig=${kubeconfigPath()}`, '--namespaced', `--namespace=${ns}`, '--loglevel=warn', ...extra];
  return new Promise((resolve) => {
    execFile(node, args, { timeout: 60_000, cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const getRollout = (ns: string, name: string) => client.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, ns, name) });
const replicaSets = async (ns: string) => (await client.request<{ items: ReplicaSetObject[] }>({ method: 'GET', path: resourcePath(ReplicaSets, ns) })).items;
const describeRs = (list: ReplicaSetObject[]) => list.map((rs) => `${rs.metadata?.name}: spec ${rs.spec?.replicas} ready ${rs.status?.readyReplicas ?? 0}`).join('; ') || 'no ReplicaSets';

/** Runs `reconcile --once` every second until `done` holds; every run must exit 0. */
async function runUntil(ns: string, what: string, done: (ro: Rollout, rs: ReplicaSetObject[]) => boolean): Promise<{ runs: number; rollout: Rollout }> {
  let runs = 0;
  let rollout: Rollout | undefined;
  await waitUntil(
    async () => {
      const run = await reconcileOnce(ns);
      runs++;
      assert.equal(run.code, 0, `reconcile --once failed:\n${run.stdout}\n${run.stderr}`);
      rollout = await getRollout(ns, 'web');
      const list = await replicaSets(ns);
      return done(rollout, list) || `phase ${rollout.status?.phase} step ${rollout.status?.currentStepIndex} (${rollout.status?.message ?? ''}); ${describeRs(list)}`;
    },
    { what, timeoutMs: 120_000, intervalMs: 1_000 },
  );
  return { runs, rollout: rollout! };
}

test('reconcile --once › one pass creates the ReplicaSet and writes status, restores an orphaned Service, exits 0', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: aRollout().named('web').inNamespace(ns).withReplicas(2).build() });
  await client.request({
    method: 'POST',
    path: resourcePath(Services, ns),
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'left-behind', namespace: ns, annotations: { [MANAGED_BY_ROLLOUTS_ANNOTATION]: 'gone' } },
      spec: { selector: { app: 'gone', [POD_TEMPLATE_HASH_LABEL]: '6d8f7b9c5' }, ports: [{ port: 80 }] },
    },
  });

  const run = await reconcileOnce(ns);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stdout, /reconciled 1 Rollouts .*checked 1 Services .*; 0 failed/);

  const list = await replicaSets(ns);
  assert.equal(list.length, 1, describeRs(list));
  assert.equal(list[0]!.spec?.replicas, 2);
  const ro = await getRollout(ns, 'web');
  assert.equal(ro.status?.observedGeneration, '1');
  assert.equal(ro.status?.currentPodHash, list[0]!.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL]);
  const svc = await client.request<ServiceObject>({ method: 'GET', path: resourcePath(Services, ns, 'left-behind') });
  assert.deepEqual(svc.spec?.selector, { app: 'gone' });
  assert.equal(svc.metadata?.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION], undefined);
});

test('reconcile --once › run repeatedly with no controller, it completes a canary: Healthy, setWeight 50 + timed pause, then Healthy on the new revision', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  const rollout = aRollout().named('web').inNamespace(ns).withReplicas(2).withCanarySteps([{ setWeight: 50 }, { pause: { duration: '2s' } }]).build();
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  const first = await runUntil(ns, 'revision 1 Healthy', (ro) => ro.status?.phase === 'Healthy');
  const stableHash = first.rollout.status!.stableRS!;

  await client.request({
    method: 'PATCH',
    path: resourcePath(Rollouts, ns, 'web'),
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example/demo:2.0' }],
  });
  let sawHalf = false;
  const second = await runUntil(ns, 'revision 2 Healthy', (ro, list) => {
    const canary = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] !== stableHash);
    const stable = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === stableHash);
    if (canary?.spec?.replicas === 1 && stable?.spec?.replicas === 1) sawHalf = true;
    return ro.status?.phase === 'Healthy' && ro.status.stableRS !== stableHash && ro.status.observedGeneration === String((ro as KubernetesObject).metadata?.generation);
  });
  assert.ok(sawHalf, 'the canary ran at one canary pod and one stable pod (setWeight 50 of 2)');
  assert.equal(second.rollout.status?.currentStepIndex, 2);
  const list = await replicaSets(ns);
  assert.equal(list.length, 2, describeRs(list));
  assert.equal(list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === stableHash)?.spec?.replicas, 0);
});

test('reconcile --once › with leader election it does not run beside a controller holding the Lease: exit 1, nothing written', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: aRollout().named('web').inNamespace(ns).withReplicas(1).build() });
  // Someone (a running controller) holds the Lease and keeps renewing it.
  const stop = new AbortController();
  let leading = false;
  const holder = new LeaderElector({
    store: new KubeLeaseStore(client, { namespace: ns, name: 'argo-rollouts-controller-lock' }),
    identity: 'running-controller',
    leaseDurationMs: 60_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 500,
    onStartedLeading: () => void (leading = true),
  });
  const outcome = holder.run(stop.signal);
  t.after(async () => {
    stop.abort();
    await outcome;
  });
  await waitUntil(() => leading || 'not leading yet', { what: 'the holder to lead' });

  const run = await reconcileOnce(ns, [
    `--leader-election-namespace=${ns}`,
    '--leader-election-lease-duration=3s',
    '--leader-election-renew-deadline=2s',
    '--leader-election-retry-period=500ms',
  ]);
  assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /held by another instance/);
  assert.equal((await replicaSets(ns)).length, 0, 'no ReplicaSet was created');
  assert.equal((await getRollout(ns, 'web')).status, undefined, 'no status was written');
});
