// Where the local test cluster keeps its files, and where the built binaries live.
// Pure: every function takes the environment and home directory as arguments.
import { join } from 'node:path';

export interface Versions {
  k8s: string;
  etcd: string;
  kwok: string;
}

/** Files and folders of one cluster, all under its state directory. */
export interface ClusterLayout {
  stateDir: string;
  pkiDir: string;
  logsDir: string;
  pidsDir: string;
  etcdDataDir: string;
  kwokWorkDir: string;
  kubeconfig: string;
  kwokConfig: string;
  stateFile: string;
  lockFile: string;
  /** One file per test run using the cluster (named by pid), beside the state dir. */
  usersDir: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The cluster's state directory: $RAMP_CLUSTER_DIR, else ~/.cache/ramp/cluster (outside the repository). */
export function stateDirFrom(env: Env, home: string): string {
  const fromEnv = env['RAMP_CLUSTER_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return join(cacheDirFrom(env, home), 'cluster');
}

/** $RAMP_CACHE_DIR, else ~/.cache/ramp — the same rule test/cluster/build.sh uses. */
export function cacheDirFrom(env: Env, home: string): string {
  const fromEnv = env['RAMP_CACHE_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return join(home, '.cache', 'ramp');
}

/** The folder build.sh writes the binaries to, keyed by the pinned versions. */
export function binDirFrom(env: Env, home: string, versions: Versions): string {
  return join(cacheDirFrom(env, home), `k8s-${versions.k8s}_etcd-${versions.etcd}_kwok-${versions.kwok}`, 'bin');
}

export function clusterLayout(stateDir: string): ClusterLayout {
  return {
    stateDir,
    pkiDir: join(stateDir, 'pki'),
    logsDir: join(stateDir, 'logs'),
    pidsDir: join(stateDir, 'pids'),
    etcdDataDir: join(stateDir, 'etcd'),
    kwokWorkDir: join(stateDir, 'kwok-home'),
    kubeconfig: join(stateDir, 'kubeconfig'),
    kwokConfig: join(stateDir, 'kwok.yaml'),
    stateFile: join(stateDir, 'cluster.json'),
    lockFile: join(stateDir, '..', `${baseName(stateDir)}.lock`),
    usersDir: join(stateDir, '..', `${baseName(stateDir)}.users`),
  };
}

function baseName(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? 'cluster';
}

/** Parses test/cluster/versions.env (KEY=value lines, # comments). */
export function parseVersionsEnv(text: string): Versions {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim().replace(/^["']|["']$/g, ''));
  }
  const need = (key: string): string => {
    const value = values.get(key);
    if (value === undefined || value === '') throw new Error(`versions.env: ${key} is missing`);
    return value;
  };
  return { k8s: need('K8S_VERSION'), etcd: need('ETCD_VERSION'), kwok: need('KWOK_VERSION') };
}

export const componentBinaries = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok', 'kubectl'] as const;
