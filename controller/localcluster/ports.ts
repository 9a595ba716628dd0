// Port selection: one block of consecutive ports below the ephemeral range
// (32768+ on Linux), so outgoing connections never take a port the cluster needs.
import { createServer } from 'node:net';

export interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwok: number;
}

export const portBlockSize = 6;
export const portRange = { from: 20000, to: 32000, step: 16 } as const;

export function portBlock(base: number): ClusterPorts {
  return {
    etcdClient: base,
    etcdPeer: base + 1,
    apiserver: base + 2,
    controllerManager: base + 3,
    scheduler: base + 4,
    kwok: base + 5,
  };
}

export function portsOf(block: ClusterPorts): number[] {
  return [block.etcdClient, block.etcdPeer, block.apiserver, block.controllerManager, block.scheduler, block.kwok];
}

/** Candidate block bases in the order to try them, starting at a given offset so parallel users spread out. */
export function candidateBases(startIndex: number, range: { from: number; to: number; step: number } = portRange): number[] {
  const count = Math.floor((range.to - range.from) / range.step);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(range.from + (((startIndex + i) % count) * range.step));
  return out;
}

/** True when nothing listens on the port, on 127.0.0.1 nor on the wildcard address. */
export async function portIsFree(port: number): Promise<boolean> {
  return (await canBind(port, '127.0.0.1')) && (await canBind(port, '0.0.0.0'));
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first block whose every port is free; bind-tests each port. */
export async function findFreePortBlock(startIndex = Math.floor(Math.random() * 1000)): Promise<ClusterPorts> {
  for (const base of candidateBases(startIndex)) {
    const block = portBlock(base);
    let free = true;
    for (const port of portsOf(block)) {
      if (!(await portIsFree(port))) {
        free = false;
        break;
      }
    }
    if (free) return block;
  }
  throw new Error(`no free block of ${portBlockSize} ports between ${portRange.from} and ${portRange.to} on 127.0.0.1`);
}

export const portRoles: Record<keyof ClusterPorts, string> = {
  etcdClient: 'etcd client',
  etcdPeer: 'etcd peer',
  apiserver: 'kube-apiserver',
  controllerManager: 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  kwok: 'kwok',
};

/** Parses $RAMP_CLUSTER_PORT_BASE; undefined when unset. */
export function portBaseFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const base = Number(value);
  if (!Number.isInteger(base) || base < 1024 || base + portBlockSize - 1 > 65535) {
    throw new Error(`RAMP_CLUSTER_PORT_BASE=${value}: want a port from 1024 to ${65535 - portBlockSize + 1} (the cluster uses it and the next ${portBlockSize - 1})`);
  }
  return base;
}

/** The block at a fixed base, or an error naming every taken port and what it was meant for. */
export async function checkPortBlock(base: number): Promise<ClusterPorts> {
  const block = portBlock(base);
  const taken: string[] = [];
  for (const [role, port] of Object.entries(block) as [keyof ClusterPorts, number][]) {
    if (!(await portIsFree(port))) taken.push(`${port} (${portRoles[role]})`);
  }
  if (taken.length > 0) {
    throw new Error(`port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} already in use on this machine; free ${taken.length > 1 ? 'them' : 'it'} or choose another RAMP_CLUSTER_PORT_BASE (or unset it to pick free ports)`);
  }
  return block;
}
