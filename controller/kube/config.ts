// Where the controller's API credentials come from: --kubeconfig, then $KUBECONFIG, then
// ~/.kube/config, then the in-cluster service account. Unlike client-node's loadFromDefault, it
// never falls back to an unauthenticated http://localhost:8080: no configuration is an error.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeConfigSource {
  /** --kubeconfig */
  kubeconfig?: string;
  /** --context */
  context?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  serviceAccountDir?: string;
}

export type KubeConfigOrigin = 'flag' | 'env' | 'home' | 'in-cluster';

export function loadKubeConfig(source: KubeConfigSource = {}): { kubeConfig: KubeConfig; origin: KubeConfigOrigin } {
  const env = source.env ?? process.env;
  const kc = new KubeConfig();
  let origin: KubeConfigOrigin;
  const homeConfig = join(source.home ?? homedir(), '.kube', 'config');
  const saDir = source.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (source.kubeconfig) {
    if (!existsSync(source.kubeconfig)) throw new Error(`--kubeconfig ${source.kubeconfig}: no such file`);
    kc.loadFromFile(source.kubeconfig);
    origin = 'flag';
  } else if (env['KUBECONFIG']) {
    kc.loadFromDefault();
    origin = 'env';
  } else if (existsSync(homeConfig)) {
    kc.loadFromFile(homeConfig);
    origin = 'home';
  } else if (env['KUBERNETES_SERVICE_HOST'] && existsSync(join(saDir, 'token'))) {
    kc.loadFromCluster();
    origin = 'in-cluster';
  } else {
    throw new Error(
      'no Kubernetes configuration: pass --kubeconfig FILE, set KUBECONFIG, create ~/.kube/config, or run in a cluster with a service account',
    );
  }
  if (source.context) {
    if (!kc.getContextObject(source.context)) {
      throw new Error(`--context ${source.context}: not in the kubeconfig (have: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(source.context);
  }
  if (!kc.getCurrentCluster()) throw new Error('the kubeconfig has no current cluster; pass --context');
  return { kubeConfig: kc, origin };
}

/**
 * The namespace this controller runs in: POD_NAMESPACE (downward API), else the service
 * account's namespace file, else the kubeconfig context's namespace, else `fallback`.
 */
export function controllerNamespace(kc: KubeConfig | undefined, fallback = 'default', env: NodeJS.ProcessEnv = process.env, serviceAccountDir = SERVICE_ACCOUNT_DIR): string {
  if (env['POD_NAMESPACE']) return env['POD_NAMESPACE'];
  try {
    const fromFile = readFileSync(join(serviceAccountDir, 'namespace'), 'utf8').trim();
    if (fromFile) return fromFile;
  } catch {
    // not in a pod
  }
  const ctx = kc ? kc.getContextObject(kc.getCurrentContext()) : null;
  return ctx?.namespace || fallback;
}
