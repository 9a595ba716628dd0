import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { envExports, fakeNode, fakeNodeNames, kubeconfigYaml, shellQuote } from '../../../controller/localcluster/manifests.ts';

test('fake nodes carry no taints and have room for pods', () => {
  const node = fakeNode('kwok-node-0') as { metadata: { name: string; labels: Record<string, string> }; spec: Record<string, unknown>; status: { allocatable: Record<string, string> } };
  assert.equal(node.metadata.name, 'kwok-node-0');
  assert.equal(node.metadata.labels['kubernetes.io/hostname'], 'kwok-node-0');
  assert.equal(node.spec['taints'], undefined);
  assert.equal(node.status.allocatable['pods'], '110');
  assert.deepEqual(fakeNodeNames(3), ['kwok-node-0', 'kwok-node-1', 'kwok-node-2']);
});

test('kubeconfig is self-contained and points at 127.0.0.1', () => {
  const cfg = parse(kubeconfigYaml({ server: 'https://127.0.0.1:21002', caPem: 'CA', clientCertPem: 'CERT', clientKeyPem: 'KEY' })) as {
    clusters: { cluster: Record<string, string> }[];
    users: { user: Record<string, string> }[];
    'current-context': string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
  };
  assert.equal(cfg.clusters[0]?.cluster['server'], 'https://127.0.0.1:21002');
  assert.equal(Buffer.from(cfg.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString(), 'CA');
  assert.equal(Buffer.from(cfg.users[0]?.user['client-certificate-data'] ?? '', 'base64').toString(), 'CERT');
  assert.equal(Buffer.from(cfg.users[0]?.user['client-key-data'] ?? '', 'base64').toString(), 'KEY');
  assert.equal(cfg.contexts[0]?.name, cfg['current-context']);
});

test('shellQuote leaves plain paths alone and quotes the rest safely', () => {
  assert.equal(shellQuote('/root/.cache/ramp/cluster/kubeconfig'), '/root/.cache/ramp/cluster/kubeconfig');
  assert.equal(shellQuote('/a b/c'), "'/a b/c'");
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(shellQuote('$(rm -rf /)'), "'$(rm -rf /)'");
});

test('envExports sets KUBECONFIG and puts the binaries first on PATH', () => {
  assert.deepEqual(envExports('/s/kubeconfig', '/c/bin'), ['export KUBECONFIG=/s/kubeconfig', 'export PATH=/c/bin:"$PATH"']);
});
