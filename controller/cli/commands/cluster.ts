// `ramp cluster up|down|env|status`: the local control plane for development and tests.
import { UsageError, type Command, type CommandIO } from '../command.ts';
import { missingBinaries, runBuild } from '../../localcluster/binaries.ts';
import {
  clusterDown,
  clusterStatus,
  clusterUp,
  resolveClusterConfig,
  withClusterLock,
  type ClusterConfig,
  type ClusterState,
} from '../../localcluster/cluster.ts';
import { envExports } from '../../localcluster/manifests.ts';
import { otherLiveUsers } from '../../localcluster/users.ts';
import { podOutcomeAnnotation } from '../../localcluster/stages.ts';

const usage = `Usage: ramp cluster <up|down|env|status> [flags]

A real Kubernetes control plane on 127.0.0.1 (etcd, kube-apiserver,
kube-controller-manager, kube-scheduler) with KWOK fake nodes.

  up       build the binaries if missing, then start the cluster (a healthy one is reused;
           a broken or half-started one is stopped and started fresh)
             --nodes N   fake nodes to register (default 3)
  down     stop every process of the cluster and remove its data (logs are kept); refuses
           while test runs use the cluster
             --force     stop it anyway
  env      print shell exports:  eval "$(ramp cluster env)"  then  kubectl get nodes
  status   show the components, their pids, ports and health (exit 1 if not healthy)

State dir: $RAMP_CLUSTER_DIR, default ~/.cache/ramp/cluster. Binaries: $RAMP_CACHE_DIR
(default ~/.cache/ramp)/k8s-<versions>/bin. Pods annotated ${podOutcomeAnnotation}=failure
fail (Job pods), =never-ready never become Ready. See docs/test-cluster.md.`;

function describe(cluster: ClusterState, io: CommandIO): void {
  const width = Math.max(...cluster.components.map((c) => c.name.length));
  io.out('components:');
  for (const c of cluster.components) io.out(`  ${c.name.padEnd(width)}  pid ${String(c.pid).padEnd(7)} 127.0.0.1:${c.port}  log ${c.logFile}`);
  io.out(`nodes:      ${cluster.nodes.join(', ')}`);
  io.out(`server:     ${cluster.server}`);
  io.out(`kubeconfig: ${cluster.kubeconfig}`);
  io.out(`versions:   kubernetes ${cluster.versions.k8s}, etcd ${cluster.versions.etcd}, kwok ${cluster.versions.kwok}`);
}

function parseUpFlags(args: string[]): { nodes: number } {
  let nodes = 3;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--nodes') {
      const value = inline ?? args[++i];
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 50) throw new UsageError(`--nodes: want a whole number from 1 to 50, got ${JSON.stringify(value)}`);
      nodes = n;
    } else {
      throw new UsageError(`unknown flag ${JSON.stringify(arg)} for "cluster up"`);
    }
  }
  return { nodes };
}

async function ensureBinaries(config: ClusterConfig, io: CommandIO): Promise<boolean> {
  const missing = missingBinaries(config.binDir);
  if (missing.length === 0) return true;
  io.out(`control-plane binaries missing (${missing.join(', ')}); building them with test/cluster/build.sh`);
  const code = await runBuild((line) => io.out(`  build | ${line}`));
  if (code !== 0) {
    io.err(`build failed (exit ${code}); see the output above`);
    return false;
  }
  const still = missingBinaries(config.binDir);
  if (still.length > 0) {
    io.err(`build finished but ${still.join(', ')} are still missing from ${config.binDir}`);
    return false;
  }
  return true;
}

/** Ctrl-C during `up` stops what was started instead of leaving a half-started cluster. */
function stopOnInterrupt(config: ClusterConfig, io: CommandIO): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    io.err(`interrupted (${signal}); stopping what was started`);
    clusterDown(config, (line) => io.err(line))
      .catch((error: unknown) => io.err(`teardown failed: ${String(error)}; run: npx ramp cluster down`))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}

async function up(args: string[], io: CommandIO): Promise<number> {
  const { nodes } = parseUpFlags(args);
  const config = resolveClusterConfig();
  const t0 = Date.now();
  if (!(await ensureBinaries(config, io))) return 1;
  const restoreSignals = stopOnInterrupt(config, io);
  const result = await clusterUp(config, { nodes, log: (line) => io.out(line) }).finally(restoreSignals);
  if (result.alreadyRunning) {
    io.out(`a healthy cluster is already running (started ${result.cluster.startedAt}); nothing to do`);
    describe(result.cluster, io);
    return 0;
  }
  describe(result.cluster, io);
  io.out(`cluster up in ${((Date.now() - t0) / 1000).toFixed(1)}s; use it with:  eval "$(npx ramp cluster env)"`);
  return 0;
}

async function down(args: string[], io: CommandIO): Promise<number> {
  const force = args.includes('--force');
  const unknown = args.filter((a) => a !== '--force');
  if (unknown.length > 0) throw new UsageError(`unknown argument ${JSON.stringify(unknown[0])} for "cluster down"`);
  const config = resolveClusterConfig();
  const users = otherLiveUsers(config);
  if (users.length > 0 && !force) {
    io.err(`test runs are using this cluster (pids ${users.join(', ')}); it stops by itself when the last one ends.`);
    io.err('to stop it now anyway: npx ramp cluster down --force');
    return 1;
  }
  const result = await withClusterLock(config, () => clusterDown(config, (line) => io.out(line)), (line) => io.out(line));
  if (result.stopped.length === 0) io.out(`no cluster processes were running (${config.stateDir})`);
  io.out(`cluster down in ${result.seconds.toFixed(1)}s`);
  return 0;
}

async function env(args: string[], io: CommandIO): Promise<number> {
  if (args.length > 0) throw new UsageError(`"cluster env" takes no arguments`);
  const config = resolveClusterConfig();
  for (const line of envExports(config.layout.kubeconfig, config.binDir)) io.out(line);
  const status = await clusterStatus(config);
  if (status.state !== 'healthy') io.err(`# note: the cluster is ${status.state === 'absent' ? 'not running' : 'not healthy'}; start it with: npx ramp cluster up`);
  return 0;
}

async function status(args: string[], io: CommandIO): Promise<number> {
  if (args.length > 0) throw new UsageError(`"cluster status" takes no arguments`);
  const config = resolveClusterConfig();
  const s = await clusterStatus(config);
  if (s.state === 'absent') {
    io.out(`no cluster in ${config.stateDir}`);
    return 1;
  }
  io.out(`cluster in ${config.stateDir}: ${s.state}`);
  for (const c of s.components) {
    io.out(`  ${c.name.padEnd(24)} ${c.running ? 'running' : 'DOWN   '} pid ${c.pid ?? '-'}${c.port ? `  127.0.0.1:${c.port}` : ''}`);
  }
  if (s.cluster) io.out(`kubeconfig: ${s.cluster.kubeconfig}`);
  for (const p of s.problems) io.out(`problem: ${p}`);
  return s.state === 'healthy' ? 0 : 1;
}

export const clusterCommand: Command = {
  name: 'cluster',
  summary: 'Run a local Kubernetes control plane with fake nodes (up|down|env|status)',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'up':
        return up(rest, io);
      case 'down':
        return down(rest, io);
      case 'env':
        return env(rest, io);
      case 'status':
        return status(rest, io);
      case undefined:
        throw new UsageError('missing subcommand: up, down, env or status');
      default:
        throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}: want up, down, env or status`);
    }
  },
};
