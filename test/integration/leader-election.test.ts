// Two electors on one real Lease.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Lease } from '@kubernetes/client-node';
import { KubeClient } from '../../controller/kube/client.ts';
import { Leases, resourcePath } from '../../controller/kube/resource.ts';
import { LeaderElector, type ElectionOutcome } from '../../controller/leader/elector.ts';
import { KubeLeaseStore } from '../../controller/leader/kube-lease-store.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor } from './helpers/wait-for.ts';

interface Running {
  elector: LeaderElector;
  stop: AbortController;
  outcome: Promise<ElectionOutcome>;
  leading: boolean;
}

function start(identity: string, client: KubeClient, namespace: string): Running {
  const stop = new AbortController();
  const r: Partial<Running> = { stop, leading: false };
  r.elector = new LeaderElector({
    store: new KubeLeaseStore(client, { namespace, name: 'argo-rollouts-controller-lock' }),
    identity,
    // A quick retry period keeps the test short; a long lease duration means a takeover seen
    // within the test can only come from the release, never from the lease expiring.
    leaseDurationMs: 120_000,
    renewDeadlineMs: 4_000,
    retryPeriodMs: 500,
    onStartedLeading: () => void (r.leading = true),
    onStoppedLeading: () => void (r.leading = false),
  });
  r.outcome = r.elector.run(stop.signal);
  return r as Running;
}

test('leader election › two electors on one Lease: exactly one leads, the other takes over after it releases', async (t) => {
  const ns = await withNamespace(t);
  const client = new KubeClient({ kubeConfig: kubeConfig() });
  const a = start('replica-a', client, ns);
  const b = start('replica-b', client, ns);
  t.after(async () => {
    a.stop.abort();
    b.stop.abort();
    await Promise.all([a.outcome, b.outcome]);
  });

  const first = await waitFor(() => (a.leading ? a : b.leading ? b : undefined), { what: 'one elector to lead' });
  const second = first === a ? b : a;
  // Several renew periods later there is still exactly one leader.
  const leasePath = resourcePath(Leases, ns, 'argo-rollouts-controller-lock');
  const holderBefore = (await client.request<V1Lease>({ method: 'GET', path: leasePath })).spec?.holderIdentity;
  await new Promise((r) => setTimeout(r, 2_000));
  assert.equal(first.leading && !second.leading, true, 'exactly one leader');
  const lease = await client.request<V1Lease>({ method: 'GET', path: leasePath });
  assert.equal(lease.spec?.holderIdentity, first.elector.identity);
  assert.equal(holderBefore, first.elector.identity);
  assert.equal(lease.spec?.leaseDurationSeconds, 120);
  assert.equal(second.elector.leader(), first.elector.identity, 'the follower sees who leads');

  first.stop.abort();
  assert.equal(await first.outcome, 'stopped');
  await waitFor(() => second.leading, { what: `${second.elector.identity} to take over after the release`, timeoutMs: 60_000 });
  const after = await client.request<V1Lease>({ method: 'GET', path: leasePath });
  assert.equal(after.spec?.holderIdentity, second.elector.identity);
  assert.equal(after.spec?.leaseTransitions, 1);
});
