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
