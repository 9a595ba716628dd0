// Test runs that use the cluster, so a run only stops a cluster no other run still uses.
// Each run leaves a file named by its pid in the users dir while it runs.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterConfig } from './cluster.ts';
import { processAlive } from './process.ts';

export function registerUser(config: ClusterConfig, pid: number = process.pid): () => void {
  mkdirSync(config.layout.usersDir, { recursive: true });
  const file = join(config.layout.usersDir, String(pid));
  writeFileSync(file, `${new Date().toISOString()}\n`);
  return () => rmSync(file, { force: true });
}

/** Pids of live users other than `self`; files of dead users are removed on the way. */
export function otherLiveUsers(config: ClusterConfig, self: number = process.pid): number[] {
  let entries: string[];
  try {
    entries = readdirSync(config.layout.usersDir);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === self) continue;
    if (processAlive(pid)) out.push(pid);
    else rmSync(join(config.layout.usersDir, entry), { force: true });
  }
  return out;
}
