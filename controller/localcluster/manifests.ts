// Objects and files the local cluster writes: fake Nodes, the admin kubeconfig. Pure.
import { stringify } from 'yaml';

export const fakeNodeLabel = 'ramp.dev/fake-node';

/** A Node for kwok to manage. No taints: plain pods (no tolerations, no node selectors) schedule onto it. */
export function fakeNode(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kwok',
        [fakeNodeLabel]: 'true',
      },
    },
    spec: { providerID: `kwok://${name}` },
    status: {
      allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
      capacity: { cpu: '32', memory: '256Gi', pods: '110' },
    },
  };
}

export function fakeNodeNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `kwok-node-${i}`);
}

export interface KubeconfigInput {
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  name?: string;
}

/** A self-contained kubeconfig (certificates inline) for the admin user. */
export function kubeconfigYaml(input: KubeconfigInput): string {
  const name = input.name ?? 'ramp-local';
  const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');
  return stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server: input.server, 'certificate-authority-data': b64(input.caPem) } }],
      users: [{ name: `${name}-admin`, user: { 'client-certificate-data': b64(input.clientCertPem), 'client-key-data': b64(input.clientKeyPem) } }],
      contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
      'current-context': name,
      preferences: {},
    },
    { lineWidth: 0 },
  );
}

/** POSIX shell single-quoting, for lines a user `eval`s. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** What `ramp cluster env` prints: a kubeconfig and the built kubectl on PATH. */
export function envExports(kubeconfig: string, binDir: string): string[] {
  return [`export KUBECONFIG=${shellQuote(kubeconfig)}`, `export PATH=${shellQuote(binDir)}:"$PATH"`];
}
