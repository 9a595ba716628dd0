// Clients for the local test cluster (`ramp cluster up`, or the one test:integration starts).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdmissionregistrationV1Api,
  ApiextensionsV1Api,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { resolveClusterConfig } from '../../../controller/localcluster/cluster.ts';

export const clusterConfig = resolveClusterConfig();

/** Path of the admin kubeconfig of the local cluster. */
export function kubeconfigPath(): string {
  const path = clusterConfig.layout.kubeconfig;
  if (!existsSync(path)) {
    throw new Error(`no local cluster (missing ${path}): run "npx ramp cluster up", or "npm run test:integration", which starts one`);
  }
  return path;
}

let cached: KubeConfig | undefined;

/** KubeConfig for the local cluster; refuses anything but a 127.0.0.1 server. */
export function kubeConfig(): KubeConfig {
  if (cached) return cached;
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath());
  const server = kc.getCurrentCluster()?.server ?? '';
  if (!server.startsWith('https://127.0.0.1:')) throw new Error(`refusing to test against ${server}: the local cluster listens on https://127.0.0.1 only`);
  cached = kc;
  return kc;
}

export interface Clients {
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  apiextensions: ApiextensionsV1Api;
  admission: AdmissionregistrationV1Api;
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
}

export function clients(): Clients {
  const kc = kubeConfig();
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    apiextensions: kc.makeApiClient(ApiextensionsV1Api),
    admission: kc.makeApiClient(AdmissionregistrationV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built kubectl against the local cluster (never throws on a non-zero exit). */
export function kubectl(args: string[], opts: { timeoutMs?: number } = {}): Promise<KubectlResult> {
  const bin = join(clusterConfig.binDir, 'kubectl');
  return new Promise((resolve) => {
    execFile(bin, [`--kubeconfig=${kubeconfigPath()}`, ...args], { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && code !== 0 ? error.message : '') });
    });
  });
}

/** HTTP status and Kubernetes Status message of a failed API call, for assertions. */
export function apiError(error: unknown): { code: number; message: string; reason: string | undefined; details: unknown } {
  const e = error as { code?: number; body?: unknown; message?: string };
  let body: { message?: string; reason?: string; details?: unknown } = {};
  if (typeof e.body === 'string') {
    try {
      body = JSON.parse(e.body) as typeof body;
    } catch {
      body = { message: e.body };
    }
  } else if (e.body && typeof e.body === 'object') {
    body = e.body as typeof body;
  }
  return { code: e.code ?? 0, message: body.message ?? e.message ?? String(error), reason: body.reason, details: body.details };
}
