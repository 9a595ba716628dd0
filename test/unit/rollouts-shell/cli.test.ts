// `ramp controller` and `ramp reconcile --once`: flags, usage errors, options built from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controllerOptionsFrom, parseControllerArgs } from '../../../controller/app/options.ts';
import { main } from '../../../controller/cli/main.ts';
import { silentLogger } from '../../../controller/log/logger.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err };
}

/** A kubeconfig pointing at 127.0.0.1 (never contacted by these tests). */
function kubeconfig(namespace = 'from-context'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-cli-'));
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: ${namespace}}}]
current-context: x
`,
  );
  return file;
}

test('controller CLI › both commands are registered and print their flags with --help', async () => {
  for (const name of ['controller', 'reconcile']) {
    const c = capture();
    assert.equal(await main([name, '--help'], c.io), 0);
    const text = c.out.join('\n');
    for (const flag of ['--leader-elect', '--leader-election-lease-duration', '--namespaced', '--instance-id', '--kubeconfig', '--qps', '--burst', '--resync', '--rollout-threads']) {
      assert.ok(text.includes(flag), `${name} --help mentions ${flag}`);
    }
  }
});

test('controller CLI › reconcile without --once is a usage error (exit 2)', async () => {
  const c = capture();
  assert.equal(await main(['reconcile', `--kubeconfig=${kubeconfig()}`], c.io), 2);
  assert.match(c.err.join('\n'), /pass --once/);
});

test('controller CLI › unknown arguments and bad values are usage errors (exit 2)', async () => {
  for (const args of [['controller', 'extra'], ['controller', '--rollout-threads=0'], ['controller', '--resync=every minute'], ['reconcile', '--once', '--nope']]) {
    const c = capture();
    assert.equal(await main(args, c.io), 2, args.join(' '));
  }
});

test('controller CLI › flags become options: scope, Lease, workers; the Lease lives in the controller namespace by default', () => {
  const file = kubeconfig('ops');
  const env = process.env['POD_NAMESPACE'];
  delete process.env['POD_NAMESPACE'];
  try {
    const all = controllerOptionsFrom(parseControllerArgs([`--kubeconfig=${file}`]), silentLogger);
    assert.equal(all.namespace, undefined, 'all namespaces without --namespaced');
    assert.deepEqual(all.leaderElection, { namespace: 'ops', leaseName: 'argo-rollouts-controller-lock', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    assert.equal(all.resync, '*/30 * * * * *');
    assert.deepEqual([all.rolloutWorkers, all.serviceWorkers], [10, 10]);

    const scoped = controllerOptionsFrom(
      parseControllerArgs([`--kubeconfig=${file}`, '--namespaced', '--instance-id=blue', '--leader-elect=false', '--rollout-threads', '4', '--resync=*/5 * * * * *']),
      silentLogger,
    );
    assert.equal(scoped.namespace, 'ops', '--namespaced watches the controller namespace');
    assert.equal(scoped.instanceId, 'blue');
    assert.equal(scoped.leaderElection, undefined);
    assert.equal(scoped.rolloutWorkers, 4);
    assert.equal(scoped.resync, '*/5 * * * * *');

    const sharded = controllerOptionsFrom(parseControllerArgs([`--kubeconfig=${file}`, '--namespaced', '--namespace=shop', '--instance-id=blue']), silentLogger);
    assert.equal(sharded.namespace, 'shop');
    assert.equal(sharded.leaderElection?.leaseName, 'argo-rollouts-controller-lock-blue');
  } finally {
    if (env !== undefined) process.env['POD_NAMESPACE'] = env;
  }
});
