import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../controller/cli/main.ts';
import { commands } from '../../../controller/cli/registry.ts';
import type { CommandIO } from '../../../controller/cli/command.ts';

function capture(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

test('ramp cluster is registered and explains itself', async () => {
  const io = capture();
  assert.equal(await main(['--help'], io, commands), 0);
  assert.match(io.stdout.join('\n'), /cluster\s+Run a local Kubernetes control plane/);
  const help = capture();
  assert.equal(await main(['cluster', '--help'], help, commands), 0);
  assert.match(help.stdout.join('\n'), /up\s+build the binaries if missing/);
  assert.match(help.stdout.join('\n'), /ramp\.dev\/test-pod-outcome=failure/);
});

test('ramp cluster: usage errors exit 2 and name the problem', async () => {
  for (const [args, message] of [
    [['cluster'], /missing subcommand: up, down, env or status/],
    [['cluster', 'sideways'], /unknown subcommand "sideways"/],
    [['cluster', 'up', '--nodes', '0'], /--nodes: want a whole number from 1 to 50, got "0"/],
    [['cluster', 'up', '--nodes=many'], /--nodes: want a whole number from 1 to 50, got "many"/],
    [['cluster', 'up', '--fast'], /unknown flag "--fast" for "cluster up"/],
    [['cluster', 'down', 'now'], /unknown argument "now" for "cluster down"/],
    [['cluster', 'env', 'x'], /"cluster env" takes no arguments/],
  ] as const) {
    const io = capture();
    assert.equal(await main([...args], io, commands), 2, args.join(' '));
    assert.match(io.stderr.join('\n'), message);
  }
});

test('ramp cluster env and status with no cluster in the state dir', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-clustercmd-'));
  const saved = process.env['RAMP_CLUSTER_DIR'];
  process.env['RAMP_CLUSTER_DIR'] = join(dir, 'c');
  t.after(() => {
    if (saved === undefined) delete process.env['RAMP_CLUSTER_DIR'];
    else process.env['RAMP_CLUSTER_DIR'] = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const env = capture();
  assert.equal(await main(['cluster', 'env'], env, commands), 0);
  assert.equal(env.stdout[0], `export KUBECONFIG=${join(dir, 'c', 'kubeconfig')}`);
  assert.match(env.stdout[1] ?? '', /^export PATH=.*\/k8s-v1\.36\.\d+_etcd-v[\d.]+_kwok-v[\d.]+\/bin:"\$PATH"$/);
  assert.match(env.stderr.join('\n'), /not running; start it with: npx ramp cluster up/);

  const status = capture();
  assert.equal(await main(['cluster', 'status'], status, commands), 1);
  assert.match(status.stdout.join('\n'), /no cluster in .*\/c$/);

  const down = capture();
  assert.equal(await main(['cluster', 'down'], down, commands), 0);
  assert.match(down.stdout.join('\n'), /no cluster processes were running/);
});
