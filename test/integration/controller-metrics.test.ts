// The controller's metrics and health servers, in-process against the local control plane, on
// 127.0.0.1 with free ports: /readyz turns 200 once the caches have synced, /metrics reports a new
// Rollout's rollout_info with its phase, its reconciles, the API requests and the leader gauge;
// a second controller on the same Lease is a ready follower that reports leader 0.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startController, type ControllerOptions, type RunningController } from '../../controller/app/start.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { silentLogger } from '../../controller/log/logger.ts';
import { ControllerMetrics } from '../../controller/metrics/registry.ts';
import { startControllerServers, type ControllerServers } from '../../controller/metrics/server.ts';
import { Rollouts } from '../../controller/rollouts/resources.ts';
import { aRollout } from '../fixtures/rollout.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';

interface Served {
  running: RunningController;
  servers: ControllerServers;
  metrics: ControllerMetrics;
}

async function startServed(t: TestContext, ns: string, extra: Partial<ControllerOptions> = {}): Promise<Served> {
  const metrics = new ControllerMetrics();
  const client = new KubeClient({ kubeConfig: kubeConfig(), observe: metrics.requestObserved });
  const running = startController({ client, namespace: ns, resync: '*/2 * * * * *', drainTimeoutMs: 5_000, logger: silentLogger, metrics, ...extra });
  t.after(() => running.stop());
  const servers = await startControllerServers({ host: '127.0.0.1', metricsPort: 0, healthzPort: 0, metrics, health: running });
  t.after(() => servers.close());
  return { running, servers, metrics };
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

test('controller metrics › /readyz after sync; /metrics reports the Rollout phase, reconciles, API requests and leader; a follower is ready with leader 0', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  const lease = { namespace: ns, leaseName: 'argo-rollouts-controller-lock', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 500 };
  const leader = await startServed(t, ns, { leaderElection: lease });
  assert.equal((await get(leader.servers.healthzPort, '/healthz')).status, 200);
  // Before it holds the Lease it is a (ready) follower; once leading, ready means synced and running.
  await waitUntil(() => leader.running.isRunning() || 'not running', { what: 'the first controller to lead and sync its caches' });
  assert.equal((await get(leader.servers.healthzPort, '/readyz')).status, 200);

  const rollout = aRollout().named('web').inNamespace(ns).withReplicas(1).withCanarySteps([{ setWeight: 50 }, { pause: {} }]).build();
  const client = new KubeClient({ kubeConfig: kubeConfig() });
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });

  const info = `rollout_info{namespace="${ns}",name="web",strategy="canary",traffic_router="",phase="Healthy"} 1`;
  let text = '';
  await waitUntil(
    async () => {
      const res = await get(leader.servers.metricsPort, '/metrics');
      text = res.body;
      return (res.status === 200 && text.includes(info)) || text.split('\n').filter((l) => l.startsWith('rollout_info{')).join('; ') || 'no rollout_info yet';
    },
    { what: 'rollout_info with phase Healthy', timeoutMs: 60_000 },
  );
  assert.match(text, new RegExp(`^rollout_phase\\{namespace="${ns}",name="web",strategy="canary",phase="Healthy"\\} 1$`, 'm'));
  assert.match(text, new RegExp(`^rollout_reconcile_count\\{namespace="${ns}",name="web"\\} [1-9]`, 'm'));
  assert.match(text, /^controller_clientset_k8s_request_total\{verb="PATCH",status="200"\} [1-9]/m, 'the status writes were counted');
  assert.match(text, /^leader 1$/m);

  const follower = await startServed(t, ns, { leaderElection: lease });
  await waitUntil(async () => (await get(follower.servers.healthzPort, '/readyz')).status === 200 || 'not ready', { what: 'the follower to be ready' });
  assert.equal(follower.running.isRunning(), false, 'the follower does not reconcile');
  const followerText = (await get(follower.servers.metricsPort, '/metrics')).body;
  assert.match(followerText, /^leader 0$/m);
  assert.doesNotMatch(followerText, /^rollout_info\{/m);
  assert.equal((await get(follower.servers.healthzPort, '/healthz')).status, 200);

  await leader.running.stop();
  assert.equal((await get(leader.servers.healthzPort, '/healthz')).status, 503, 'a stopped controller is not live');
});
