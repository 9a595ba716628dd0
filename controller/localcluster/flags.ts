// Command lines of the control-plane components. Pure: paths and ports in, argv out.
import { join } from 'node:path';
import type { ClusterLayout } from './layout.ts';
import type { ClusterPorts } from './ports.ts';

/** Service ClusterIPs and KWOK pod IPs: fictional addresses, never dialled, kept disjoint. */
export const serviceCidr = '10.96.0.0/16';
export const podCidr = '10.244.0.0/16';
export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';
/** kwok renews each node's Lease; the node-lifecycle controller reads it as the heartbeat. */
export const nodeLeaseDurationSeconds = 40;

export interface PkiFiles {
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  saPublicKey: string;
  saPrivateKey: string;
}

export function pkiFiles(pkiDir: string): PkiFiles {
  return {
    caCert: join(pkiDir, 'ca.crt'),
    caKey: join(pkiDir, 'ca.key'),
    apiserverCert: join(pkiDir, 'apiserver.crt'),
    apiserverKey: join(pkiDir, 'apiserver.key'),
    adminCert: join(pkiDir, 'admin.crt'),
    adminKey: join(pkiDir, 'admin.key'),
    saPublicKey: join(pkiDir, 'sa.pub'),
    saPrivateKey: join(pkiDir, 'sa.key'),
  };
}

export function etcdArgs(layout: ClusterLayout, ports: ClusterPorts): string[] {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return [
    '--name=ramp0',
    `--data-dir=${layout.etcdDataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=ramp0=${peer}`,
    '--initial-cluster-state=new',
    // A throw-away store: no fsync, periodic compaction, a quota that fits any test run.
    '--unsafe-no-fsync=true',
    '--auto-compaction-mode=periodic',
    '--auto-compaction-retention=5m',
    '--quota-backend-bytes=2147483648',
    '--log-level=warn',
  ];
}

export function apiserverArgs(layout: ClusterLayout, ports: ClusterPorts): string[] {
  const pki = pkiFiles(layout.pkiDir);
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.apiserver}`,
    // Loopback advertise address: accepted by v1.36 only with the endpoint reconciler off
    // (the `kubernetes` Service then has no endpoints; nothing here uses them).
    '--advertise-address=127.0.0.1',
    '--endpoint-reconciler-type=none',
    `--cert-dir=${join(layout.pkiDir, 'apiserver-generated')}`,
    `--tls-cert-file=${pki.apiserverCert}`,
    `--tls-private-key-file=${pki.apiserverKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-issuer=${serviceAccountIssuer}`,
    `--service-account-key-file=${pki.saPublicKey}`,
    `--service-account-signing-key-file=${pki.saPrivateKey}`,
    `--service-cluster-ip-range=${serviceCidr}`,
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
    '--profiling=false',
    '--v=1',
  ];
}

export function controllerManagerArgs(layout: ClusterLayout, ports: ClusterPorts): string[] {
  const pki = pkiFiles(layout.pkiDir);
  return [
    `--kubeconfig=${layout.kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.controllerManager}`,
    '--leader-elect=false',
    `--service-account-private-key-file=${pki.saPrivateKey}`,
    `--root-ca-file=${pki.caCert}`,
    '--kube-api-qps=100',
    '--kube-api-burst=200',
    '--profiling=false',
    '--v=1',
  ];
}

export function schedulerArgs(layout: ClusterLayout, ports: ClusterPorts): string[] {
  return [
    `--kubeconfig=${layout.kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.scheduler}`,
    '--leader-elect=false',
    '--profiling=false',
    '--v=1',
  ];
}

export function kwokArgs(layout: ClusterLayout, ports: ClusterPorts): string[] {
  return [
    `--kubeconfig=${layout.kubeconfig}`,
    `--config=${layout.kwokConfig}`,
    '--manage-all-nodes=true',
    `--server-address=127.0.0.1:${ports.kwok}`,
    `--node-lease-duration-seconds=${nodeLeaseDurationSeconds}`,
    `--cidr=${podCidr}`,
    // Nodes advertise a loopback InternalIP: anything that ever dials a node stays on this machine.
    '--node-ip=127.0.0.1',
  ];
}

/** Environment for every component: no proxies, kwok's home inside the state dir. */
export function componentEnv(base: Readonly<Record<string, string | undefined>>, layout: ClusterLayout): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (/^(https?|all|no)_proxy$/i.test(key)) continue;
    out[key] = value;
  }
  out['NO_PROXY'] = '127.0.0.1,localhost';
  out['no_proxy'] = '127.0.0.1,localhost';
  out['KWOK_WORKDIR'] = layout.kwokWorkDir;
  return out;
}

/** Whether two IPv4 CIDRs share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const [aStart, aEnd] = cidrRange(a);
  const [bStart, bEnd] = cidrRange(b);
  return aStart <= bEnd && bStart <= aEnd;
}

function cidrRange(cidr: string): [number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!match) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const start = Math.floor(ip / size) * size;
  return [start, start + size - 1];
}

/** The ClusterIP of the `kubernetes` Service: the first address of the service range. */
export function firstServiceIp(cidr: string = serviceCidr): string {
  const [start] = cidrRange(cidr);
  const ip = start + 1;
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join('.');
}
