import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiserverArgs,
  cidrsOverlap,
  componentEnv,
  controllerManagerArgs,
  etcdArgs,
  firstServiceIp,
  kwokArgs,
  podCidr,
  schedulerArgs,
  serviceCidr,
} from '../../../controller/localcluster/flags.ts';
import { clusterLayout } from '../../../controller/localcluster/layout.ts';
import { portBlock } from '../../../controller/localcluster/ports.ts';

const layout = clusterLayout('/state/dir');
const ports = portBlock(21000);

function flagMap(args: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const arg of args) {
    assert.match(arg, /^--[a-z0-9-]+=/, `flags are --name=value: ${arg}`);
    const eq = arg.indexOf('=');
    assert.ok(!map.has(arg.slice(0, eq)), `flag given twice: ${arg}`);
    map.set(arg.slice(0, eq), arg.slice(eq + 1));
  }
  return map;
}

test('kube-apiserver advertises loopback with the endpoint reconciler off, and serves on 127.0.0.1 only', () => {
  const f = flagMap(apiserverArgs(layout, ports));
  assert.equal(f.get('--advertise-address'), '127.0.0.1');
  assert.equal(f.get('--endpoint-reconciler-type'), 'none');
  assert.equal(f.get('--bind-address'), '127.0.0.1');
  assert.equal(f.get('--secure-port'), '21002');
  assert.equal(f.get('--etcd-servers'), 'http://127.0.0.1:21000');
  assert.equal(f.get('--authorization-mode'), 'RBAC');
  assert.equal(f.get('--client-ca-file'), '/state/dir/pki/ca.crt');
  assert.equal(f.get('--service-account-signing-key-file'), '/state/dir/pki/sa.key');
  assert.equal(f.get('--service-account-key-file'), '/state/dir/pki/sa.pub');
  assert.equal(f.get('--service-cluster-ip-range'), serviceCidr);
});

test('every component listens on its own port of the block, on 127.0.0.1', () => {
  const e = flagMap(etcdArgs(layout, ports));
  assert.equal(e.get('--listen-client-urls'), 'http://127.0.0.1:21000');
  assert.equal(e.get('--listen-peer-urls'), 'http://127.0.0.1:21001');
  assert.equal(e.get('--initial-cluster'), 'ramp0=http://127.0.0.1:21001');
  assert.equal(e.get('--data-dir'), '/state/dir/etcd');
  const k = flagMap(controllerManagerArgs(layout, ports));
  assert.equal(k.get('--secure-port'), '21003');
  assert.equal(k.get('--bind-address'), '127.0.0.1');
  assert.equal(k.get('--leader-elect'), 'false');
  assert.equal(k.get('--service-account-private-key-file'), '/state/dir/pki/sa.key');
  assert.equal(k.get('--root-ca-file'), '/state/dir/pki/ca.crt');
  const s = flagMap(schedulerArgs(layout, ports));
  assert.equal(s.get('--secure-port'), '21004');
  assert.equal(s.get('--leader-elect'), 'false');
  const w = flagMap(kwokArgs(layout, ports));
  assert.equal(w.get('--server-address'), '127.0.0.1:21005');
  assert.equal(w.get('--manage-all-nodes'), 'true');
  assert.equal(w.get('--config'), '/state/dir/kwok.yaml');
  assert.equal(w.get('--cidr'), podCidr);
});

test('every command line names the state dir, so down can recognise its processes', () => {
  for (const args of [etcdArgs(layout, ports), apiserverArgs(layout, ports), controllerManagerArgs(layout, ports), schedulerArgs(layout, ports), kwokArgs(layout, ports)]) {
    assert.ok(args.some((a) => a.includes('/state/dir/')), args.join(' '));
  }
});

test('no command line mentions localhost or a non-loopback listen address', () => {
  for (const args of [etcdArgs(layout, ports), apiserverArgs(layout, ports), controllerManagerArgs(layout, ports), schedulerArgs(layout, ports), kwokArgs(layout, ports)]) {
    for (const a of args) {
      assert.doesNotMatch(a, /localhost|0\.0\.0\.0/, a);
    }
  }
});

test('the service range and the pod range are disjoint', () => {
  assert.equal(cidrsOverlap(serviceCidr, podCidr), false);
});

test('cidrsOverlap', () => {
  assert.equal(cidrsOverlap('10.0.0.0/24', '10.0.0.128/25'), true);
  assert.equal(cidrsOverlap('10.0.0.0/24', '10.0.1.0/24'), false);
  assert.equal(cidrsOverlap('10.0.0.0/8', '10.244.3.0/24'), true);
  assert.equal(cidrsOverlap('10.96.0.0/16', '10.97.0.0/16'), false);
  assert.throws(() => cidrsOverlap('10.0.0.0', '10.0.0.0/8'), /not an IPv4 CIDR: 10\.0\.0\.0/);
  assert.throws(() => cidrsOverlap('10.0.0.300/8', '10.0.0.0/8'), /not an IPv4 CIDR/);
});

test('firstServiceIp is the first address after the network address', () => {
  assert.equal(firstServiceIp('10.96.0.0/16'), '10.96.0.1');
  assert.equal(firstServiceIp('10.96.7.9/16'), '10.96.0.1');
  assert.equal(firstServiceIp('192.168.4.0/22'), '192.168.4.1');
});

test('componentEnv drops proxy settings and points kwok at the state dir', () => {
  const env = componentEnv({ HTTPS_PROXY: 'http://proxy:3128', http_proxy: 'x', ALL_PROXY: 'y', PATH: '/bin', HOME: '/root', EMPTY: undefined }, layout);
  assert.equal(env['HTTPS_PROXY'], undefined);
  assert.equal(env['http_proxy'], undefined);
  assert.equal(env['ALL_PROXY'], undefined);
  assert.equal(env['PATH'], '/bin');
  assert.equal(env['NO_PROXY'], '127.0.0.1,localhost');
  assert.equal(env['KWOK_WORKDIR'], '/state/dir/kwok-home');
  assert.ok(!('EMPTY' in env));
});
