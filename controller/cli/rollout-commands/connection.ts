// The flags every rollout command takes (-n/--namespace, --kubeconfig, --context) and the
// client and namespace they lead to.
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeClient } from '../../kube/client.ts';
import type { FlagSpec, FlagValue } from '../../kube/flags.ts';

export const CONNECTION_FLAGS: readonly FlagSpec[] = [
  { name: 'namespace', aliases: ['n'], type: 'string', help: 'namespace of the rollout (default: the kubeconfig context\'s, else "default")' },
  { name: 'kubeconfig', type: 'string', help: 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)' },
  { name: 'context', type: 'string', help: 'kubeconfig context to use (default: the current one)' },
];

export const CONNECTION_HELP = `  -n, --namespace NS      namespace of the rollout (default: the kubeconfig context's, else "default")
      --kubeconfig FILE   kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)
      --context NAME      kubeconfig context to use (default: the current one)`;

export interface Connection {
  client: KubeClient;
  namespace: string;
}

function contextNamespace(kc: KubeConfig): string | undefined {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || undefined;
}

/**
 * A client for the CLI: ~10 s of retries when the API server is unreachable (an interactive
 * command should fail soon and say why), the controller's rate limits otherwise. The client
 * library is loaded here, not at start-up, so `ramp --help` and other commands do not pay for it.
 */
export async function connect(values: Record<string, FlagValue | undefined>): Promise<Connection> {
  const { KubeClient } = await import('../../kube/client.ts');
  const kubeconfig = values['kubeconfig'] as string | undefined;
  const context = values['context'] as string | undefined;
  const client = new KubeClient({
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(context ? { context } : {}),
    userAgent: 'ramp-cli',
    retry: { maxElapsedMs: 10_000 },
  });
  const namespace = (values['namespace'] as string | undefined) || contextNamespace(client.kubeConfig) || 'default';
  return { client, namespace };
}
