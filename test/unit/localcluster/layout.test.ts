import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binDirFrom, clusterLayout, parseVersionsEnv, stateDirFrom } from '../../../controller/localcluster/layout.ts';
import { readVersions } from '../../../controller/localcluster/binaries.ts';

test('state dir: $RAMP_CLUSTER_DIR wins, else the cache dir, else ~/.cache/ramp/cluster', () => {
  assert.equal(stateDirFrom({ RAMP_CLUSTER_DIR: '/x/c' }, '/home/u'), '/x/c');
  assert.equal(stateDirFrom({ RAMP_CACHE_DIR: '/cache' }, '/home/u'), '/cache/cluster');
  assert.equal(stateDirFrom({}, '/home/u'), '/home/u/.cache/ramp/cluster');
  assert.equal(stateDirFrom({ RAMP_CLUSTER_DIR: '' }, '/home/u'), '/home/u/.cache/ramp/cluster');
});

test('bin dir matches the key build.sh writes to', () => {
  const v = { k8s: 'v1.36.3', etcd: 'v3.6.16', kwok: 'v0.8.0' };
  assert.equal(binDirFrom({}, '/home/u', v), '/home/u/.cache/ramp/k8s-v1.36.3_etcd-v3.6.16_kwok-v0.8.0/bin');
  assert.equal(binDirFrom({ RAMP_CACHE_DIR: '/c' }, '/home/u', v), '/c/k8s-v1.36.3_etcd-v3.6.16_kwok-v0.8.0/bin');
});

test('layout keeps everything under the state dir; the lock sits beside it', () => {
  const l = clusterLayout('/s/cluster');
  for (const p of [l.pkiDir, l.logsDir, l.pidsDir, l.etcdDataDir, l.kwokWorkDir, l.kubeconfig, l.kwokConfig, l.stateFile]) {
    assert.ok(p.startsWith('/s/cluster/'), p);
  }
  assert.equal(l.lockFile, '/s/cluster.lock');
});

test('parseVersionsEnv reads KEY=value lines and names a missing key', () => {
  assert.deepEqual(parseVersionsEnv('# c\nK8S_VERSION=v1.2.3\nETCD_VERSION="v3.6.0"\n\nKWOK_VERSION=v0.8.0\n'), { k8s: 'v1.2.3', etcd: 'v3.6.0', kwok: 'v0.8.0' });
  assert.throws(() => parseVersionsEnv('K8S_VERSION=v1\nETCD_VERSION=v3\n'), /KWOK_VERSION is missing/);
});

test('the checked-in versions.env pins kubernetes v1.36.x', () => {
  assert.match(readVersions().k8s, /^v1\.36\.\d+$/);
});
