// node --test --test-global-setup=test/cluster/global-setup.ts: runs once around the whole
// integration run. A cluster this run (or another test run) started is stopped afterwards,
// unless another test run still uses it or RAMP_KEEP_CLUSTER=1; a cluster someone started with
// `ramp cluster up` is reused and left running.
import { clusterDown, readClusterState, resolveClusterConfig, withClusterLock } from '../../controller/localcluster/cluster.ts';
import { otherLiveUsers, registerUser } from '../../controller/localcluster/users.ts';
import { ensureCluster, type EnsuredCluster } from './ensure.ts';

const log = (line: string): void => {
  process.stderr.write(`[cluster] ${line}\n`);
};

let ensured: EnsuredCluster | undefined;
let unregister: (() => void) | undefined;

export async function globalSetup(): Promise<void> {
  unregister = registerUser(resolveClusterConfig());
  ensured = await ensureCluster(log, 'test-run');
}

export async function globalTeardown(): Promise<void> {
  const config = ensured?.config;
  if (!config) {
    unregister?.();
    return;
  }
  await withClusterLock(config, async () => {
    unregister?.();
    const state = readClusterState(config);
    if (state?.owner !== 'test-run') return; // someone's `ramp cluster up`: leave it running
    if (process.env['RAMP_KEEP_CLUSTER'] === '1') {
      log('RAMP_KEEP_CLUSTER=1: leaving the cluster running; stop it with: npx ramp cluster down');
      return;
    }
    const others = otherLiveUsers(config);
    if (others.length > 0) {
      log(`leaving the cluster running: other test runs still use it (pids ${others.join(', ')})`);
      return;
    }
    const result = await clusterDown(config, log);
    log(`cluster stopped in ${result.seconds.toFixed(1)}s (logs kept in ${config.layout.logsDir})`);
  }, log);
}
