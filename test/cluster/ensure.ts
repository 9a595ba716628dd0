// Makes sure the local test cluster is running: reuses a healthy one, otherwise builds the
// binaries if they are missing and starts a fresh cluster (tearing down a broken one first).
// Run directly (`node test/cluster/ensure.ts`) it acts like `ramp cluster up` and leaves the
// cluster running; the test run's global setup (global-setup.ts) calls it as a 'test-run' owner.
import { missingBinaries, runBuild } from '../../controller/localcluster/binaries.ts';
import { clusterUp, resolveClusterConfig, type ClusterConfig, type ClusterOwner, type ClusterState } from '../../controller/localcluster/cluster.ts';

export interface EnsuredCluster {
  config: ClusterConfig;
  cluster: ClusterState;
  /** False when a healthy cluster was already running. */
  startedHere: boolean;
}

export async function ensureCluster(
  log: (line: string) => void = (l) => process.stderr.write(`[cluster] ${l}\n`),
  owner: ClusterOwner = 'cli',
): Promise<EnsuredCluster> {
  const config = resolveClusterConfig();
  const missing = missingBinaries(config.binDir);
  if (missing.length > 0) {
    log(`building missing control-plane binaries (${missing.join(', ')}) with test/cluster/build.sh`);
    const code = await runBuild((line) => log(`build | ${line}`));
    if (code !== 0) throw new Error(`test/cluster/build.sh failed with exit code ${code}`);
  }
  const t0 = Date.now();
  // The health check happens under the cluster lock inside clusterUp, so a run that ends at the
  // same moment cannot stop the cluster between our check and our use of it.
  const result = await clusterUp(config, { log, owner });
  if (result.alreadyRunning) log(`using the running cluster ${result.cluster.server} (kubeconfig ${result.cluster.kubeconfig})`);
  else log(`cluster ${result.cluster.server} up in ${((Date.now() - t0) / 1000).toFixed(1)}s (kubeconfig ${result.cluster.kubeconfig})`);
  return { config, cluster: result.cluster, startedHere: !result.alreadyRunning };
}

if (import.meta.main) {
  try {
    await ensureCluster();
  } catch (error) {
    process.stderr.write(`[cluster] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
