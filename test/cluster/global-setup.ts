// node --test --test-global-setup=test/cluster/global-setup.ts: runs once around the whole
// integration run. A cluster started here is stopped afterwards (set RAMP_KEEP_CLUSTER=1 to keep
// it); a cluster that was already running is reused and left running.
import { clusterDown } from '../../controller/localcluster/cluster.ts';
import { ensureCluster, type EnsuredCluster } from './ensure.ts';

const log = (line: string): void => {
  process.stderr.write(`[cluster] ${line}\n`);
};

let ensured: EnsuredCluster | undefined;

export async function globalSetup(): Promise<void> {
  ensured = await ensureCluster(log);
}

export async function globalTeardown(): Promise<void> {
  if (!ensured?.startedHere) return;
  if (process.env['RAMP_KEEP_CLUSTER'] === '1') {
    log(`RAMP_KEEP_CLUSTER=1: leaving the cluster running; stop it with: npx ramp cluster down`);
    return;
  }
  const result = await clusterDown(ensured.config, log);
  log(`cluster stopped in ${result.seconds.toFixed(1)}s (logs kept in ${ensured.config.layout.logsDir})`);
}
