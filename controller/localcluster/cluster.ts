// Starts, inspects and stops the local control plane: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler and kwok, all on 127.0.0.1, with fake nodes.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { binDirFrom, clusterLayout, componentBinaries, stateDirFrom, type ClusterLayout, type Env, type Versions } from './layout.ts';
import { missingBinaries, readVersions } from './binaries.ts';
import {
  apiserverArgs,
  componentEnv,
  controllerManagerArgs,
  etcdArgs,
  firstServiceIp,
  kwokArgs,
  pkiFiles,
  schedulerArgs,
} from './flags.ts';
import { httpCall, type TlsIdentity } from './http.ts';
import { fakeNode, fakeNodeNames, kubeconfigYaml } from './manifests.ts';
import { createClusterPki } from './pki.ts';
import { checkPortBlock, findFreePortBlock, portBaseFromEnv, type ClusterPorts } from './ports.ts';
import {
  pidFileOf,
  processAlive,
  processBelongsTo,
  processesMentioning,
  readPidFile,
  startComponent,
  stopProcessGroup,
  cmdlineOf,
  type ComponentProcess,
  type StopOutcome,
} from './process.ts';
import { kwokConfigYaml } from './stages.ts';
import { StartupError, waitUntil, type Probe } from './wait.ts';

export { StartupError } from './wait.ts';

export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';
/** Start order; stopped in reverse. */
export const componentOrder: readonly ComponentName[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

export interface ClusterConfig {
  stateDir: string;
  binDir: string;
  versions: Versions;
  layout: ClusterLayout;
}

export interface ComponentState {
  name: ComponentName;
  pid: number;
  port: number;
  logFile: string;
}

/** Who asked for the cluster: a person (`ramp cluster up`) or a test run, which stops it when done. */
export type ClusterOwner = 'cli' | 'test-run';

export interface ClusterState {
  owner: ClusterOwner;
  stateDir: string;
  binDir: string;
  versions: Versions;
  ports: ClusterPorts;
  server: string;
  kubeconfig: string;
  nodes: string[];
  components: ComponentState[];
  startedAt: string;
  startSeconds: number;
}

export type Logger = (line: string) => void;

export interface Timeouts {
  etcd: number;
  apiserver: number;
  component: number;
  nodes: number;
  serviceAccount: number;
  stopGrace: number;
}

export const defaultTimeouts: Timeouts = {
  etcd: 30_000,
  apiserver: 120_000,
  component: 60_000,
  nodes: 90_000,
  serviceAccount: 60_000,
  stopGrace: 10_000,
};

export function resolveClusterConfig(env: Env = process.env, home: string = homedir()): ClusterConfig {
  const versions = readVersions();
  const stateDir = stateDirFrom(env, home).replace(/\/+$/, '');
  return { stateDir, binDir: binDirFrom(env, home, versions), versions, layout: clusterLayout(stateDir) };
}

/** What identifies this cluster's processes: their command lines name files inside the state dir. */
const markerOf = (config: ClusterConfig): string => `${config.stateDir}/`;

export function readClusterState(config: ClusterConfig): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(config.layout.stateFile, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

function adminIdentity(config: ClusterConfig): TlsIdentity {
  const pki = pkiFiles(config.layout.pkiDir);
  return { ca: readFileSync(pki.caCert, 'utf8'), cert: readFileSync(pki.adminCert, 'utf8'), key: readFileSync(pki.adminKey, 'utf8') };
}

// ---------------------------------------------------------------- status

export interface ComponentStatus {
  name: string;
  pid: number | undefined;
  running: boolean;
  port: number | undefined;
  logFile: string;
}

export interface ClusterStatus {
  /** absent: nothing there; healthy: all processes up and the API server ready; broken: anything else. */
  state: 'absent' | 'healthy' | 'broken';
  components: ComponentStatus[];
  problems: string[];
  cluster: ClusterState | undefined;
  /** Processes of this cluster no pid file accounts for. */
  strays: number[];
}

function isComponentProcess(pid: number): boolean {
  const argv0 = (cmdlineOf(pid) ?? '').split(' ')[0] ?? '';
  return (componentBinaries as readonly string[]).includes(basename(argv0));
}

export async function clusterStatus(config: ClusterConfig): Promise<ClusterStatus> {
  const cluster = readClusterState(config);
  const marker = markerOf(config);
  const problems: string[] = [];
  const components: ComponentStatus[] = [];
  const known = new Set<number>();
  for (const name of componentOrder) {
    const pid = readPidFile(pidFileOf(config.layout.pidsDir, name));
    const running = pid !== undefined && processBelongsTo(pid, marker);
    if (pid !== undefined) known.add(pid);
    const port = cluster?.components.find((c) => c.name === name)?.port;
    components.push({ name, pid, running, port, logFile: join(config.layout.logsDir, `${name}.log`) });
  }
  const strays = processesMentioning(marker).filter((pid) => !known.has(pid) && isComponentProcess(pid));
  const anything = existsSync(config.layout.stateDir) && (cluster !== undefined || components.some((c) => c.pid !== undefined) || existsSync(config.layout.etcdDataDir));
  if (!anything && strays.length === 0) return { state: 'absent', components, problems, cluster, strays };

  if (cluster === undefined) problems.push(`no ${config.layout.stateFile}: a start-up did not finish`);
  for (const c of components) {
    if (!c.running) problems.push(`${c.name} is not running${c.pid !== undefined ? ` (pid ${c.pid} from its pid file is gone)` : ''}; log: ${c.logFile}`);
  }
  if (strays.length > 0) problems.push(`stray processes of this cluster: ${strays.join(', ')}`);
  if (cluster !== undefined && problems.length === 0) {
    try {
      const res = await httpCall(`${cluster.server}/readyz`, { tls: adminIdentity(config), timeoutMs: 3_000 });
      if (res.status !== 200) problems.push(`kube-apiserver /readyz answered ${res.status}: ${res.body.slice(0, 200)}`);
    } catch (error) {
      problems.push(`kube-apiserver /readyz failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { state: problems.length === 0 ? 'healthy' : 'broken', components, problems, cluster, strays };
}

// ---------------------------------------------------------------- down

export interface DownResult {
  stopped: { name: string; pid: number; outcome: StopOutcome }[];
  seconds: number;
}

/** Stops every process of this cluster (reverse start order, then strays) and removes its data; keeps logs/. */
export async function clusterDown(config: ClusterConfig, log: Logger = () => {}, timeouts: Timeouts = defaultTimeouts): Promise<DownResult> {
  const started = Date.now();
  const marker = markerOf(config);
  const stopped: DownResult['stopped'] = [];
  for (const name of [...componentOrder].reverse()) {
    const pidFile = pidFileOf(config.layout.pidsDir, name);
    const pid = readPidFile(pidFile);
    if (pid === undefined) continue;
    const outcome = await stopProcessGroup(pid, marker, timeouts.stopGrace);
    if (outcome === 'not-ours') log(`${name}: pid ${pid} is now another program (${cmdlineOf(pid)?.slice(0, 80)}); left alone`);
    else if (outcome !== 'not-running') log(`stopped ${name} (pid ${pid}, ${outcome})`);
    stopped.push({ name, pid, outcome });
    rmSync(pidFile, { force: true });
  }
  for (const pid of processesMentioning(marker).filter(isComponentProcess)) {
    const outcome = await stopProcessGroup(pid, marker, timeouts.stopGrace);
    log(`stopped stray process ${pid} (${outcome})`);
    stopped.push({ name: 'stray', pid, outcome });
  }
  const survivors = stopped.filter((s) => s.outcome === 'survived');
  if (survivors.length > 0) throw new Error(`could not stop: ${survivors.map((s) => `${s.name} pid ${s.pid}`).join(', ')}`);
  removeClusterData(config);
  return { stopped, seconds: (Date.now() - started) / 1000 };
}

function removeClusterData(config: ClusterConfig): void {
  if (!existsSync(config.stateDir)) return;
  for (const entry of readdirSync(config.stateDir)) {
    if (entry === 'logs') continue;
    rmSync(join(config.stateDir, entry), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- up

export interface UpOptions {
  log?: Logger;
  nodes?: number;
  timeouts?: Partial<Timeouts>;
  /** Default 'cli'. A cli `up` of a running test-run cluster adopts it, so no test run stops it. */
  owner?: ClusterOwner;
  /** How long to wait for another `up`/`down` of the same cluster to finish (default 3 min). */
  lockTimeoutMs?: number;
}

export interface UpResult {
  alreadyRunning: boolean;
  cluster: ClusterState;
  /** Problems of a previous cluster that was torn down first. */
  recovered: string[];
}

/** Starts the cluster unless a healthy one is running. A broken or half-started one is torn down first. */
export async function clusterUp(config: ClusterConfig, opts: UpOptions = {}): Promise<UpResult> {
  const log = opts.log ?? (() => {});
  const timeouts: Timeouts = { ...defaultTimeouts, ...opts.timeouts };
  const owner = opts.owner ?? 'cli';
  const release = await acquireLock(config, opts.lockTimeoutMs, log);
  try {
    const status = await clusterStatus(config);
    if (status.state === 'healthy' && status.cluster) {
      const cluster = status.cluster;
      if (owner === 'cli' && cluster.owner !== 'cli') {
        cluster.owner = 'cli';
        writeFileSync(config.layout.stateFile, JSON.stringify(cluster, null, 2) + '\n');
        log('adopted the cluster a test run had started: test runs will no longer stop it');
      }
      return { alreadyRunning: true, cluster, recovered: [] };
    }
    const recovered = status.state === 'broken' ? status.problems : [];
    if (status.state === 'broken') {
      log('found an unhealthy cluster in ' + config.stateDir + ':');
      for (const p of status.problems) log(`  - ${p}`);
      log('stopping it and starting fresh');
      await clusterDown(config, log, timeouts);
    }
    const missing = missingBinaries(config.binDir);
    if (missing.length > 0) throw new StartupError(`missing binaries in ${config.binDir}: ${missing.join(', ')} (build them with: npm run cluster:build)`);

    for (let attempt = 1; ; attempt++) {
      try {
        const cluster = await startFresh(config, opts.nodes ?? 3, timeouts, log, owner);
        return { alreadyRunning: false, cluster, recovered };
      } catch (error) {
        log('start-up failed; stopping what was started (logs kept in ' + config.layout.logsDir + ')');
        await clusterDown(config, () => {}, timeouts).catch((e: unknown) => log(`teardown after failed start: ${String(e)}`));
        const portClash = error instanceof Error && /address already in use/i.test(error.message) && process.env['RAMP_CLUSTER_PORT_BASE'] === undefined;
        if (portClash && attempt < 3) {
          log('a port was taken between the check and the start; trying another port block');
          continue;
        }
        throw error;
      }
    }
  } finally {
    release();
  }
}

/**
 * A lock file beside the state dir, so two `up`/`down` runs (say, two test runs started at once)
 * never interleave. Waits for a live holder up to `timeoutMs`; takes over a stale lock.
 */
async function acquireLock(config: ClusterConfig, timeoutMs = 180_000, log: Logger = () => {}): Promise<() => void> {
  const lockFile = config.layout.lockFile;
  mkdirSync(join(lockFile, '..'), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readPidFile(lockFile);
    if (holder === undefined || holder === process.pid || !processAlive(holder)) {
      rmSync(lockFile, { force: true }); // stale: its holder is gone
      continue;
    }
    if (Date.now() >= deadline) {
      throw new StartupError(`another ramp cluster command (pid ${holder}) has held ${lockFile} for over ${Math.round(timeoutMs / 1000)}s; is it stuck?`);
    }
    if (!announced) {
      log(`waiting for another ramp cluster command (pid ${holder}) working on ${config.stateDir}`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function withClusterLock<T>(config: ClusterConfig, fn: () => Promise<T>, log: Logger = () => {}): Promise<T> {
  const release = await acquireLock(config, undefined, log);
  try {
    return await fn();
  } finally {
    release();
  }
}

async function writeFileSecret(path: string, content: string): Promise<void> {
  writeFileSync(path, content, { mode: 0o600 });
}

async function startFresh(config: ClusterConfig, nodeCount: number, timeouts: Timeouts, log: Logger, owner: ClusterOwner): Promise<ClusterState> {
  const started = Date.now();
  const { layout, binDir } = config;
  rmSync(layout.stateDir, { recursive: true, force: true });
  for (const dir of [layout.stateDir, layout.pkiDir, layout.logsDir, layout.pidsDir, layout.kwokWorkDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });

  const fixedBase = portBaseFromEnv(process.env['RAMP_CLUSTER_PORT_BASE']);
  let ports: ClusterPorts;
  try {
    ports = fixedBase === undefined ? await findFreePortBlock() : await checkPortBlock(fixedBase);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const pki = await createClusterPki({ serviceIp: firstServiceIp() });
  const files = pkiFiles(layout.pkiDir);
  await writeFileSecret(files.caCert, pki.ca.certPem);
  await writeFileSecret(files.caKey, pki.ca.keyPem);
  await writeFileSecret(files.apiserverCert, pki.apiserver.certPem);
  await writeFileSecret(files.apiserverKey, pki.apiserver.keyPem);
  await writeFileSecret(files.adminCert, pki.admin.certPem);
  await writeFileSecret(files.adminKey, pki.admin.keyPem);
  await writeFileSecret(files.saPrivateKey, pki.serviceAccount.privateKeyPem);
  await writeFileSecret(files.saPublicKey, pki.serviceAccount.publicKeyPem);
  await writeFileSecret(layout.kubeconfig, kubeconfigYaml({ server, caPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem }));
  writeFileSync(layout.kwokConfig, kwokConfigYaml());
  const tls: TlsIdentity = { ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem };
  const env = componentEnv(process.env, layout);
  const start = (name: ComponentName, args: string[]): ComponentProcess => {
    const proc = startComponent({ name, command: join(binDir, name), args, env, logsDir: layout.logsDir, pidsDir: layout.pidsDir });
    log(`started ${name} (pid ${proc.pid})`);
    return proc;
  };
  const timed = async <T>(what: string, p: Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const value = await p;
    log(`${what} ready after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return value;
  };

  const etcd = start('etcd', etcdArgs(layout, ports));
  await timed('etcd', waitUntil(() => httpProbe(`http://127.0.0.1:${ports.etcdClient}/health`, {}, (b) => b.includes('"health":"true"')), {
    what: `etcd /health on 127.0.0.1:${ports.etcdClient}`,
    timeoutMs: timeouts.etcd,
    component: etcd,
  }));

  const apiserver = start('kube-apiserver', apiserverArgs(layout, ports));
  await timed('kube-apiserver', waitUntil(() => httpProbe(`${server}/readyz`, { tls }, (b) => b.trim() === 'ok'), {
    what: `kube-apiserver /readyz on 127.0.0.1:${ports.apiserver}`,
    timeoutMs: timeouts.apiserver,
    intervalMs: 500,
    component: apiserver,
  }));

  const kcm = start('kube-controller-manager', controllerManagerArgs(layout, ports));
  const scheduler = start('kube-scheduler', schedulerArgs(layout, ports));
  const kwok = start('kwok', kwokArgs(layout, ports));
  await allOrFirstError([
    timed('kube-controller-manager', waitUntil(() => httpProbe(`https://127.0.0.1:${ports.controllerManager}/healthz`, { insecure: true }, (b) => b.trim() === 'ok'), {
      what: `kube-controller-manager /healthz on 127.0.0.1:${ports.controllerManager}`,
      timeoutMs: timeouts.component,
      component: kcm,
    })),
    timed('kube-scheduler', waitUntil(() => httpProbe(`https://127.0.0.1:${ports.scheduler}/healthz`, { insecure: true }, (b) => b.trim() === 'ok'), {
      what: `kube-scheduler /healthz on 127.0.0.1:${ports.scheduler}`,
      timeoutMs: timeouts.component,
      component: scheduler,
    })),
    timed('kwok', waitUntil(() => httpProbe(`http://127.0.0.1:${ports.kwok}/healthz`, {}, (b) => b.trim() === 'ok'), {
      what: `kwok /healthz on 127.0.0.1:${ports.kwok}`,
      timeoutMs: timeouts.component,
      component: kwok,
    })),
  ]);

  const nodes = fakeNodeNames(nodeCount);
  for (const name of nodes) {
    const res = await httpCall(`${server}/api/v1/nodes`, { method: 'POST', body: fakeNode(name), tls });
    if (res.status !== 201 && res.status !== 409) throw new StartupError(`creating node ${name} failed: ${res.status} ${res.body.slice(0, 300)}`);
  }
  await timed(`${nodeCount} nodes`, waitUntil(() => nodesReady(server, tls, nodes), {
    what: `nodes ${nodes.join(', ')} to be Ready without the not-ready taint (set by kwok, untainted by kube-controller-manager)`,
    timeoutMs: timeouts.nodes,
    intervalMs: 500,
    component: kwok,
  }));
  await timed('default ServiceAccount', waitUntil(
    () => httpProbe(`${server}/api/v1/namespaces/default/serviceaccounts/default`, { tls }, () => true),
    { what: 'the default ServiceAccount in namespace default (made by kube-controller-manager)', timeoutMs: timeouts.serviceAccount, component: kcm },
  ));

  const procs: [ComponentProcess, number][] = [
    [etcd, ports.etcdClient],
    [apiserver, ports.apiserver],
    [kcm, ports.controllerManager],
    [scheduler, ports.scheduler],
    [kwok, ports.kwok],
  ];
  const cluster: ClusterState = {
    owner,
    stateDir: config.stateDir,
    binDir,
    versions: config.versions,
    ports,
    server,
    kubeconfig: layout.kubeconfig,
    nodes,
    components: procs.map(([p, port]) => ({ name: p.name as ComponentName, pid: p.pid, port, logFile: p.logFile })),
    startedAt: new Date(started).toISOString(),
    startSeconds: (Date.now() - started) / 1000,
  };
  writeFileSync(layout.stateFile, JSON.stringify(cluster, null, 2) + '\n');
  return cluster;
}

/** Like Promise.all, but settles every wait first so log lines never trail the failure. */
async function allOrFirstError(waits: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(waits);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function httpProbe(url: string, opts: { tls?: TlsIdentity; insecure?: boolean }, ok: (body: string) => boolean): Promise<Probe<true>> {
  const res = await httpCall(url, { ...opts, timeoutMs: 3_000 });
  if (res.status === 200 && ok(res.body)) return { done: true, value: true };
  return { done: false, seen: `HTTP ${res.status} ${res.body.replace(/\s+/g, ' ').slice(0, 300)}` };
}

interface NodeList {
  items: { metadata: { name: string }; spec?: { taints?: { key: string }[] }; status?: { conditions?: { type: string; status: string }[] } }[];
}

async function nodesReady(server: string, tls: TlsIdentity, names: string[]): Promise<Probe<true>> {
  const res = await httpCall(`${server}/api/v1/nodes`, { tls });
  if (res.status !== 200) return { done: false, seen: `HTTP ${res.status}` };
  const list = JSON.parse(res.body) as NodeList;
  const waiting: string[] = [];
  for (const name of names) {
    const node = list.items.find((n) => n.metadata.name === name);
    if (!node) {
      waiting.push(`${name}: missing`);
      continue;
    }
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    const taints = (node.spec?.taints ?? []).map((t) => t.key);
    if (ready !== 'True') waiting.push(`${name}: Ready=${ready ?? 'unknown'}`);
    else if (taints.includes('node.kubernetes.io/not-ready')) waiting.push(`${name}: still tainted ${taints.join(',')}`);
  }
  return waiting.length === 0 ? { done: true, value: true } : { done: false, seen: waiting.join('; ') };
}
