// `ramp up` (npm start) as a process: it brings up (or reuses) the local cluster, installs the
// CRDs, registers its in-process webhook and runs the controller; the example Rollout becomes
// Healthy; an invalid Rollout is refused by the webhook it registered; SIGINT removes the webhook
// configurations, exits 0, and stops the cluster only if it started it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeClient } from '../../controller/kube/client.ts';
import { isNotFound } from '../../controller/kube/errors.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { repoRoot } from '../../controller/localcluster/binaries.ts';
import { clusterDown, clusterStatus, resolveClusterConfig } from '../../controller/localcluster/cluster.ts';
import { MutatingConfigurations, ValidatingConfigurations } from '../../controller/dev/registration.ts';
import { devConfigurationName } from '../../controller/dev/webhook-configurations.ts';
import { Rollouts } from '../../controller/rollouts/resources.ts';
import type { Rollout } from '../../functions/api/index.ts';
import { aRollout } from '../fixtures/index.ts';
import { clusterConfig, kubeConfig } from './helpers/cluster.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';

interface Proc {
  child: ChildProcess;
  exit: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
}

function startUp(t: TestContext, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const child = spawn(join(repoRoot, 'node_modules', '.bin', 'node'), [join(repoRoot, 'bin', 'ramp.js'), 'up', ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, exit, stdout: () => out, stderr: () => err };
}

const output = (p: Proc): string => `\n--- stdout ---\n${p.stdout()}\n--- stderr ---\n${p.stderr()}`;

async function waitHealthy(client: KubeClient, p: Proc, namespace: string, name: string): Promise<Rollout> {
  const get = () => client.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, namespace, name) });
  await waitUntil(
    async () => {
      if (p.child.exitCode !== null) return `ramp up exited ${p.child.exitCode}${output(p)}`;
      try {
        const r = await get();
        return r.status?.phase === 'Healthy' || `phase ${r.status?.phase ?? '(none)'} ${r.status?.message ?? ''}`;
      } catch (error) {
        return `no Rollout yet (${(error as Error).message})`;
      }
    },
    { what: `Rollout ${namespace}/${name} to be Healthy`, timeoutMs: 180_000, intervalMs: 500 },
  );
  return get();
}

async function exists(client: KubeClient, path: string): Promise<boolean> {
  try {
    await client.request({ method: 'GET', path });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

test('ramp up › on the running cluster (--namespaced): example Healthy, webhook refuses an invalid Rollout, SIGINT cleans up, exits 0 and leaves the cluster up', async (t) => {
  const ns = await withNamespace(t);
  const client = new KubeClient({ kubeConfig: kubeConfig() });
  const p = startUp(t, ['--namespaced', '--namespace', ns, '--loglevel', 'warn']);

  const rollout = await waitHealthy(client, p, ns, 'demo');
  // The mutating webhook wrote Argo's defaults into the stored object (the example omits them).
  assert.equal(rollout.spec.progressDeadlineSeconds, 600);
  assert.equal(rollout.spec.strategy?.canary?.maxSurge, '25%');
  assert.equal(rollout.status?.availableReplicas, 5);

  const name = devConfigurationName(ns);
  const configPaths = [resourcePath(ValidatingConfigurations, undefined, name), resourcePath(MutatingConfigurations, undefined, name)];
  for (const path of configPaths) assert.ok(await exists(client, path), `${path} registered`);
  const validating = await client.request<{ webhooks: { failurePolicy: string; clientConfig: { url: string } }[] }>({ method: 'GET', path: configPaths[0]! });
  assert.match(validating.webhooks[0]!.clientConfig.url, /^https:\/\/127\.0\.0\.1:\d+\/validate$/);

  await waitUntil(() => p.stdout().includes('Ctrl-C deletes the webhook configurations') || `output so far:${output(p)}`, {
    what: 'the summary to be printed',
    timeoutMs: 30_000,
  });
  assert.ok(p.stdout().includes(`npx ramp get rollout demo -n ${ns} --watch`), output(p));
  assert.ok(p.stdout().includes(`npx ramp promote demo -n ${ns}`), output(p));
  assert.ok(p.stdout().includes('eval "$(npx ramp cluster env)"'), output(p));

  // An invalid Rollout is refused by the webhook ramp up registered, with the field path.
  const bad = aRollout().named('broken').inNamespace(ns).withCanarySteps([{ setWeight: 150 }]).build();
  await assert.rejects(
    client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: bad }),
    (error: unknown) => {
      const message = (error as Error).message;
      assert.match(message, /422/);
      assert.match(message, /admission webhook "validate\.ramp\.dev" denied the request: Rollout "broken" is invalid: spec\.strategy\.canary\.steps\[0\]\.setWeight: Invalid value: 150/);
      return true;
    },
  );
  assert.equal(await exists(client, resourcePath(Rollouts, ns, 'broken')), false, 'nothing was stored');

  p.child.kill('SIGINT');
  assert.equal(await p.exit, 0, output(p));
  for (const path of configPaths) assert.equal(await exists(client, path), false, `${path} deleted on exit`);
  assert.match(p.stdout(), /SIGINT: stopping what ramp up started/);
  assert.doesNotMatch(p.stdout(), /cluster stopped/);
  const status = await clusterStatus(clusterConfig);
  assert.equal(status.state, 'healthy', `the cluster it reused is still up: ${status.problems.join('; ')}`);
});

test('ramp up › from nothing (its own cluster dir): starts the cluster, all namespaces, example Healthy; SIGINT stops the cluster it started', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-up-it-'));
  const stateDir = join(dir, 'cluster');
  const env: NodeJS.ProcessEnv = { ...process.env, RAMP_CLUSTER_DIR: stateDir };
  delete env['RAMP_CLUSTER_PORT_BASE'];
  const config = resolveClusterConfig(env);
  t.after(async () => {
    // Whatever happened, leave no processes behind.
    await clusterDown(config).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  const p = startUp(t, ['--loglevel', 'warn'], env);

  await waitUntil(() => p.stdout().includes('Ctrl-C deletes the webhook configurations') || (p.child.exitCode !== null ? `exited ${p.child.exitCode}${output(p)}` : 'starting'), {
    what: 'ramp up to start a cluster and print its summary',
    timeoutMs: 240_000,
    intervalMs: 500,
  });
  assert.match(p.stdout(), /started by this command/);
  assert.match(p.stdout(), /and stops the cluster \(this command started it/);
  const client = new KubeClient({ kubeconfig: config.layout.kubeconfig });
  assert.match(client.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(client.server, new KubeClient({ kubeConfig: kubeConfig() }).server, 'a cluster of its own, not the shared one');
  const rollout = await waitHealthy(client, p, 'ramp-demo', 'demo');
  assert.equal(rollout.spec.progressDeadlineSeconds, 600, 'defaulted by the webhook');
  const validating = await client.request<{ webhooks: { failurePolicy: string; namespaceSelector: unknown }[] }>({
    method: 'GET',
    path: resourcePath(ValidatingConfigurations, undefined, 'ramp-dev'),
  });
  assert.equal(validating.webhooks[0]!.failurePolicy, 'Ignore');
  assert.deepEqual(validating.webhooks[0]!.namespaceSelector, { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] });

  p.child.kill('SIGINT');
  assert.equal(await p.exit, 0, output(p));
  assert.match(p.stdout(), /stop +cluster stopped in/);
  assert.equal((await clusterStatus(config)).state, 'absent', 'the cluster it started is gone');
});
