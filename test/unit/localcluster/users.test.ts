import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterLayout } from '../../../controller/localcluster/layout.ts';
import { otherLiveUsers, registerUser } from '../../../controller/localcluster/users.ts';
import type { ClusterConfig } from '../../../controller/localcluster/cluster.ts';

function configIn(dir: string): ClusterConfig {
  const stateDir = join(dir, 'cluster');
  return { stateDir, binDir: join(dir, 'bin'), versions: { k8s: 'v1.36.3', etcd: 'v3.6.16', kwok: 'v0.8.0' }, layout: clusterLayout(stateDir) };
}

test('a test run sees other live runs, not itself, and forgets dead ones', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-users-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = configIn(dir);
  assert.deepEqual(otherLiveUsers(config), [], 'no users dir yet');

  const unregister = registerUser(config);
  assert.deepEqual(otherLiveUsers(config), [], 'itself does not count');

  const parent = process.ppid; // alive for as long as this test runs
  registerUser(config, parent);
  const dead = spawnSync('true').pid ?? 999_999; // exited already
  writeFileSync(join(config.layout.usersDir, String(dead)), 'x');
  assert.deepEqual(otherLiveUsers(config), [parent]);
  assert.equal(existsSync(join(config.layout.usersDir, String(dead))), false, 'a dead run is removed');

  unregister();
  assert.deepEqual(readdirSync(config.layout.usersDir), [String(parent)]);
});
