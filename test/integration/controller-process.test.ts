// `ramp controller` as a process: SIGTERM drains, releases the Lease and exits 0; losing the
// Lease to another holder exits 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { V1Lease } from '@kubernetes/client-node';
import { repoRoot } from '../../controller/localcluster/binaries.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { Leases, resourcePath } from '../../controller/kube/resource.ts';
import { microTime } from '../../controller/leader/lease-store.ts';
import { ReplicaSets, Rollouts } from '../../controller/rollouts/resources.ts';
import type { Rollout } from '../../functions/api/index.ts';
import { aRollout } from '../fixtures/rollout.ts';
import { kubeConfig, kubeconfigPath } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';

const client = new KubeClient({ kubeConfig: kubeConfig() });
const LEASE = 'argo-rollouts-controller-lock';

interface Proc {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
}

function startControllerProcess(ns: string): Proc {
  const node = join(repoRoot, 'node_modules', '.bin', 'node');
  const child = spawn(
    node,
    [
      join(repoRoot, 'bin', 'ramp.js'),
      'controller',
      `--kubeconfig=${kubeconfigPath()}`,
      '--namespaced',
      `--namespace=${ns}`,
      `--leader-election-namespace=${ns}`,
      '--leader-election-lease-duration=6s',
      '--leader-election-renew-deadline=4s',
      '--leader-election-retry-period=500ms',
      '--resync=*/2 * * * * *',
      '--loglevel=warn',
      // Metrics and health on loopback, any free port (never 0.0.0.0:8090/8080 in tests).
      '--bind-address=127.0.0.1',
      '--metricsPort=0',
      '--healthzPort=0',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => err };
}

const getLease = (ns: string) => client.request<V1Lease>({ method: 'GET', path: resourcePath(Leases, ns, LEASE) });

test('ramp controller › SIGTERM: drains, releases the Lease, exits 0', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  const proc = startControllerProcess(ns);
  t.after(() => {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  });
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: aRollout().named('web').inNamespace(ns).withReplicas(1).build() });
  // It leads and works: the Rollout gets its ReplicaSet.
  await waitUntil(
    async () => {
      const list = await client.request<{ items: unknown[] }>({ method: 'GET', path: resourcePath(ReplicaSets, ns) });
      return list.items.length === 1 || `${list.items.length} ReplicaSets; stderr: ${proc.stderr()}`;
    },
    { what: 'the controller process to create the ReplicaSet', timeoutMs: 60_000 },
  );
  const held = await getLease(ns);
  assert.ok(held.spec?.holderIdentity, 'the Lease is held');

  proc.child.kill('SIGTERM');
  assert.equal(await proc.exit, 0, proc.stderr());
  const released = await getLease(ns);
  assert.equal(released.spec?.holderIdentity ?? '', '', 'the Lease was released on the way out');
});

test('ramp controller › leadership lost to another holder: exits 1', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  const proc = startControllerProcess(ns);
  t.after(() => {
    if (proc.child.exitCode === null) proc.child.kill('SIGKILL');
  });
  const lease = await waitUntil(async () => {
    try {
      const l = await getLease(ns);
      return l.spec?.holderIdentity ? true : 'no holder yet';
    } catch {
      return `no Lease yet; stderr: ${proc.stderr()}`;
    }
  }, { what: 'the controller to take the Lease', timeoutMs: 60_000 }).then(() => getLease(ns));

  // Another instance takes the Lease over (as after a partition): the controller must notice and exit.
  const now = microTime(Date.now());
  await client.request({
    method: 'PUT',
    path: resourcePath(Leases, ns, LEASE),
    body: {
      ...lease,
      spec: { ...lease.spec, holderIdentity: 'someone-else', acquireTime: now, renewTime: now, leaseDurationSeconds: 600, leaseTransitions: (lease.spec?.leaseTransitions ?? 0) + 1 },
    },
  });
  assert.equal(await proc.exit, 1, proc.stderr());
  assert.match(proc.stderr(), /leadership lost/);
  assert.equal((await getLease(ns)).spec?.holderIdentity, 'someone-else', 'the new holder keeps the Lease');
});

test('ramp controller › SIGKILL in the middle of a canary: the next controller takes the Lease after it expires and finishes the same rollout, no duplicate ReplicaSet', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  const a = startControllerProcess(ns);
  t.after(() => {
    if (a.child.exitCode === null) a.child.kill('SIGKILL');
  });
  const rollout = aRollout().named('web').inNamespace(ns).withReplicas(2).withCanarySteps([{ setWeight: 50 }, { pause: { duration: '3s' } }]).build();
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  const getRollout = () => client.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, ns, 'web') });
  await waitUntil(async () => (await getRollout()).status?.phase === 'Healthy' || `phase ${(await getRollout()).status?.phase}; ${a.stderr()}`, {
    what: 'revision 1 Healthy',
    timeoutMs: 60_000,
  });
  const stableHash = (await getRollout()).status!.stableRS!;
  await client.request({
    method: 'PATCH',
    path: resourcePath(Rollouts, ns, 'web'),
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example/demo:2.0' }],
  });
  await waitUntil(
    async () => {
      const s = (await getRollout()).status;
      return (s?.currentStepIndex === 1 && (s.pauseConditions ?? []).length === 1) || `step ${s?.currentStepIndex} phase ${s?.phase}`;
    },
    { what: 'the canary to be in its timed pause', timeoutMs: 60_000 },
  );

  a.child.kill('SIGKILL');
  await a.exit;
  const mid = (await getRollout()).status!;
  const b = startControllerProcess(ns);
  t.after(() => {
    if (b.child.exitCode === null) b.child.kill('SIGKILL');
  });
  await waitUntil(
    async () => {
      const s = (await getRollout()).status;
      return (s?.phase === 'Healthy' && s.stableRS === mid.currentPodHash) || `phase ${s?.phase} step ${s?.currentStepIndex} (${s?.message ?? ''}); ${b.stderr()}`;
    },
    { what: 'the second controller to finish the rollout', timeoutMs: 90_000 },
  );
  const done = (await getRollout()).status!;
  assert.notEqual(done.stableRS, stableHash);
  assert.equal(done.currentStepIndex, 2);
  const list = await client.request<{ items: Array<{ metadata?: { labels?: Record<string, string> }; spec?: { replicas?: number } }> }>({ method: 'GET', path: resourcePath(ReplicaSets, ns) });
  assert.equal(list.items.length, 2, 'one ReplicaSet per revision: no duplicate after the restart');
  assert.equal(list.items.find((rs) => rs.metadata?.labels?.['rollouts-pod-template-hash'] === stableHash)?.spec?.replicas, 0);
  const lease = await getLease(ns);
  assert.equal(lease.spec?.leaseTransitions, 1, 'the Lease changed hands once');
});
