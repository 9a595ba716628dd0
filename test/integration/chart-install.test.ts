// The chart against the real local API server. Its manifests, for every documented mode, are
// accepted by `kubectl apply --server-side --dry-run=server` (no pod runs: there is no image and
// no kubelet); its RBAC, applied for real, grants what the controller and webhook need and no
// more (kubectl auth can-i), and is enough for the webhook's caches; and its webhook
// configurations, with nothing answering, refuse users' Rollout writes but let the controller's
// ServiceAccount, /status and managed Service updates through. A real helm install, upgrade and
// uninstall shows the Helm-generated certificate kept across upgrades and renewed on request.
//
// Nothing here makes the API server dial a Service address: where configurations are registered
// for real, their clientConfig is pointed at a closed port on 127.0.0.1.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { MANAGED_BY_ROLLOUTS_ANNOTATION } from '../../functions/api/index.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { clusterNamespaceLabels, clusterPolicySource, clusterRolloutLookup } from '../../webhooks/index.ts';
import { aRollout, anAnalysisTemplate } from '../fixtures/index.ts';
import { chartDir, helm, render, type Manifest } from '../unit/chart/helm.ts';
import { clients, kubeConfig, kubeconfigPath, kubectl } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor } from './helpers/wait-for.ts';

const FIELD_MANAGER = 'ramp-chart-test';
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'CustomResourceDefinition']);

function manifestFile(t: TestContext, yamlText: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-chart-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'manifests.yaml');
  writeFileSync(file, yamlText);
  return file;
}

/** One JSON document per object: JSON is YAML to kubectl, and leaves no YAML 1.1/1.2 doubt ("on", "yes"). */
function toYaml(manifests: readonly object[]): string {
  return manifests.map((m) => JSON.stringify(m)).join('\n---\n');
}

/** kubectl apply --server-side (optionally --dry-run=server) of `yamlText`; the `kind/name` lines it printed. */
async function apply(t: TestContext, yamlText: string, options: { dryRun: boolean }): Promise<{ code: number; applied: string[]; stderr: string }> {
  const args = ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-o', 'name', '-f', manifestFile(t, yamlText)];
  if (options.dryRun) args.push('--dry-run=server');
  const result = await kubectl(args);
  return { code: result.code, applied: result.stdout.split('\n').filter((l) => l !== ''), stderr: result.stderr };
}

/** Deletes the cluster-scoped objects of `manifests` after the test (namespaced ones go with the namespace). */
function deleteClusterScopedAfter(t: TestContext, manifests: readonly Manifest[]): void {
  const names = manifests.filter((m) => CLUSTER_SCOPED.has(m.kind) && m.kind !== 'CustomResourceDefinition').map((m) => `${m.kind.toLowerCase()}/${m.metadata.name}`);
  t.after(async () => {
    if (names.length === 0) return;
    const result = await kubectl(['delete', '--ignore-not-found', '--wait=false', ...names]);
    assert.equal(result.code, 0, `cleanup of ${names.join(' ')}: ${result.stderr}`);
  });
}

async function canI(verb: string, resource: string, as: string, namespace?: string, extra: string[] = []): Promise<boolean> {
  const result = await kubectl(['auth', 'can-i', verb, resource, `--as=${as}`, ...(namespace ? ['-n', namespace] : []), ...extra]);
  if (result.code !== 0 && result.code !== 1) throw new Error(`kubectl auth can-i ${verb} ${resource}: exit ${result.code}: ${result.stderr}`);
  return result.stdout.trim() === 'yes';
}

async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Short unique release name: cluster-scoped objects are named after it. */
function releaseFor(namespace: string): string {
  return `r${namespace.slice(-6)}`;
}

test('chart › every mode\'s manifests, CRDs included, are accepted by the API server (server-side dry run)', async (t) => {
  await installCrds();
  const namespace = await withNamespace(t);
  const watched = await withNamespace(t);
  // The own-Secret mode needs a real CA for caBundle: take the one Helm generates.
  const generated = render({}, { namespace });
  const ca = generated.find((m) => m.kind === 'Secret')!['data']['ca.crt'] as string;
  const variants: Record<string, object> = {
    default: {},
    'namespaced, another namespace watched': { controller: { namespaced: true, watchNamespace: watched } },
    'job mode': { controller: { mode: 'cronjob' } },
    'job mode, namespaced, instance id': { controller: { mode: 'cronjob', namespaced: true, instanceId: 'shard-a', cronjob: { timeZone: 'Europe/Paris' } } },
    'own Secret, own selectors': { webhook: { tls: { mode: 'secret', secret: { name: 'corp-tls', caBundle: ca } }, namespaceSelector: { matchLabels: { 'ramp.dev/webhook': 'on' } }, objectSelector: { matchLabels: { team: 'a' } } } },
    'network policies': { networkPolicy: { enabled: true, apiServerCIDRs: ['10.96.0.1/32'], webhookFrom: [{ ipBlock: { cidr: '10.0.0.0/8' } }], controllerExtraEgress: [{ ports: [{ port: 9090, protocol: 'TCP' }] }] } },
    'no webhook, single controller': { webhook: { enabled: false }, controller: { replicas: 1, leaderElection: { enabled: false } } },
    'cert-manager (its kinds aside)': { webhook: { tls: { mode: 'certManager' } } },
  };
  for (const [variant, values] of Object.entries(variants)) {
    await t.test(variant, async (st) => {
      let manifests = render(values, { namespace, release: releaseFor(namespace), includeCrds: true });
      if (variant.startsWith('cert-manager')) {
        // cert-manager is not installed in the test cluster: its kinds cannot be checked here.
        const certManager = manifests.filter((m) => m.apiVersion.startsWith('cert-manager.io/'));
        assert.deepEqual(certManager.map((m) => m.kind).sort(), ['Certificate', 'Certificate', 'Issuer', 'Issuer']);
        manifests = manifests.filter((m) => !m.apiVersion.startsWith('cert-manager.io/'));
      }
      const crds = manifests.filter((m) => m.kind === 'CustomResourceDefinition').length;
      assert.equal(crds, 6, 'the five Argo CRDs and RolloutPolicy are rendered with --include-crds');
      const result = await apply(st, toYaml(manifests), { dryRun: true });
      assert.equal(result.code, 0, `${variant}: the API server refused:\n${result.stderr}`);
      assert.equal(result.applied.length, manifests.length, `${variant}: every object was applied:\n${result.applied.join('\n')}`);
    });
  }
});

test('chart › the dry run has teeth: the API server refuses a manifest it would not store', async (t) => {
  const namespace = await withNamespace(t);
  const manifests = render({}, { namespace, release: releaseFor(namespace) });
  const broken = manifests.map((m) =>
    m.kind === 'ValidatingWebhookConfiguration' ? { ...m, webhooks: (m['webhooks'] as object[]).map((w) => ({ ...w, failurePolicy: 'Sometimes' })) } : m,
  );
  const result = await apply(t, toYaml(broken), { dryRun: true });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /failurePolicy: Unsupported value: "Sometimes"/);
  const badCel = manifests.map((m) =>
    m.kind === 'MutatingWebhookConfiguration' ? { ...m, webhooks: (m['webhooks'] as Array<Record<string, unknown>>).map((w) => ({ ...w, matchConditions: [{ name: 'x', expression: 'request.userInfo.username !=' }] })) } : m,
  );
  const cel = await apply(t, toYaml(badCel), { dryRun: true });
  assert.notEqual(cel.code, 0, 'the API server compiles matchConditions');
  assert.match(cel.stderr, /matchConditions\[0\]\.expression: Invalid value/);
});

test('chart › RBAC applied for real: the ServiceAccounts may do what the controller and webhook need, and no more (kubectl auth can-i)', async (t) => {
  await installCrds();
  const namespace = await withNamespace(t);
  const other = await withNamespace(t);
  const release = releaseFor(namespace);
  const manifests = render({ controller: { namespaced: true } }, { namespace, release }).filter((m) =>
    ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(m.kind),
  );
  deleteClusterScopedAfter(t, manifests);
  const result = await apply(t, toYaml(manifests), { dryRun: false });
  assert.equal(result.code, 0, result.stderr);

  const controller = `system:serviceaccount:${namespace}:${release}-ramp-controller`;
  const expectations: Array<[verb: string, resource: string, ns: string | undefined, allowed: boolean, extra?: string[]]> = [
    ['watch', 'rollouts.argoproj.io', namespace, true],
    ['patch', 'rollouts.argoproj.io', namespace, true],
    ['patch', 'rollouts.argoproj.io', namespace, true, ['--subresource=status']],
    ['update', 'rollouts.argoproj.io', namespace, false],
    ['delete', 'rollouts.argoproj.io', namespace, false],
    ['create', 'replicasets.apps', namespace, true],
    ['patch', 'services', namespace, true],
    ['create', 'pods', namespace, true, ['--subresource=eviction']],
    ['delete', 'pods', namespace, false],
    ['create', 'events', namespace, true],
    ['create', 'leases.coordination.k8s.io', namespace, true],
    ['update', 'leases.coordination.k8s.io/argo-rollouts-controller-lock', namespace, true],
    ['update', 'leases.coordination.k8s.io/someone-elses-lock', namespace, false],
    ['create', 'jobs.batch', namespace, true],
    ['get', 'secrets', namespace, true],
    ['list', 'secrets', namespace, false],
    ['watch', 'secrets', namespace, false],
    ['get', 'configmaps', namespace, false],
    ['list', 'rollouts.argoproj.io', other, false],
    ['list', 'rollouts.argoproj.io', undefined, false],
  ];
  for (const [verb, resource, ns, allowed, extra] of expectations) {
    assert.equal(await canI(verb, resource, controller, ns, extra), allowed, `controller ${allowed ? 'may' : 'may not'} ${verb} ${resource} ${extra?.join(' ') ?? ''} in ${ns ?? 'all namespaces'}`);
  }
  const webhook = `system:serviceaccount:${namespace}:${release}-ramp-webhook`;
  for (const [verb, resource, ns, allowed] of [
    ['watch', 'rolloutpolicies.ramp.dev', undefined, true],
    ['watch', 'namespaces', undefined, true],
    ['get', 'rollouts.argoproj.io', namespace, true],
    ['get', 'rollouts.argoproj.io', other, false],
    ['patch', 'rollouts.argoproj.io', namespace, false],
    ['create', 'rolloutpolicies.ramp.dev', undefined, false],
    ['get', 'secrets', namespace, false],
  ] as const) {
    assert.equal(await canI(verb, resource, webhook, ns), allowed, `webhook ${allowed ? 'may' : 'may not'} ${verb} ${resource} in ${ns ?? 'all namespaces'}`);
  }
});

test('chart › the webhook\'s RBAC is enough for its RolloutPolicy and Namespace caches and its Rollout lookup', async (t) => {
  await installCrds();
  const namespace = await withNamespace(t);
  const release = releaseFor(namespace);
  const manifests = render({}, { namespace, release }).filter((m) =>
    ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(m.kind) && m.metadata.labels?.['app.kubernetes.io/component'] === 'webhook',
  );
  deleteClusterScopedAfter(t, manifests);
  const applied = await apply(t, toYaml(manifests), { dryRun: false });
  assert.equal(applied.code, 0, applied.stderr);

  const token = await kubectl(['create', 'token', `${release}-ramp-webhook`, '-n', namespace, '--duration=10m']);
  assert.equal(token.code, 0, token.stderr);
  const cluster = kubeConfig().getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'local', server: cluster.server, caData: cluster.caData, skipTLSVerify: false }],
    users: [{ name: 'webhook', token: token.stdout.trim() }],
    contexts: [{ name: 'webhook', cluster: 'local', user: 'webhook', namespace }],
    currentContext: 'webhook',
  });
  const client = new KubeClient({ kubeConfig: kc });
  const admin = new KubeClient({ kubeConfig: kubeConfig() });
  await admin.request({ method: 'POST', path: `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts`, body: aRollout().named('web').inNamespace(namespace).build() });

  const policies = clusterPolicySource(client);
  const namespaces = clusterNamespaceLabels(client);
  policies.start();
  namespaces.start();
  t.after(() => Promise.all([policies.stop(), namespaces.stop()]));
  await waitFor(() => policies.synced() && namespaces.synced(), { what: 'the webhook\'s caches to sync with the chart\'s RBAC' });
  assert.equal((await namespaces.labels(namespace))?.['kubernetes.io/metadata.name'], namespace);
  const lookup = clusterRolloutLookup(client);
  assert.equal((await lookup({ namespace, name: 'web' })).state, 'found');
  assert.equal((await lookup({ namespace, name: 'missing' })).state, 'not-found', 'a 404, not a 403');
});

test('chart › with no webhook answering: users\' Rollout writes are refused (Fail), the controller\'s ServiceAccount, /status and managed Service updates go through', async (t) => {
  await installCrds();
  const namespace = await withNamespace(t);
  const release = releaseFor(namespace);
  const testLabel = { 'ramp.dev/chart-test': namespace };
  // Namespaced mode limits the webhooks to this namespace; the objectSelector keeps cluster-scoped
  // kinds (RolloutPolicies, ClusterAnalysisTemplates) of other tests out of reach.
  const manifests = render({ controller: { namespaced: true }, webhook: { objectSelector: { matchLabels: testLabel } } }, { namespace, release });
  const port = await closedLoopbackPort();
  const registered = manifests
    .filter((m) => ['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding', 'Service', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'].includes(m.kind))
    .map((m) =>
      m.kind.endsWith('WebhookConfiguration')
        ? {
            ...m,
            webhooks: (m['webhooks'] as Array<{ clientConfig: { service: { path: string }; caBundle: string } }>).map((w) => ({
              ...w,
              clientConfig: { url: `https://127.0.0.1:${port}${w.clientConfig.service.path}`, caBundle: w.clientConfig.caBundle },
            })),
          }
        : m,
    );
  const rollout = aRollout().named('web').inNamespace(namespace).withLabels(testLabel).build();
  const admin = new KubeClient({ kubeConfig: kubeConfig() });
  await admin.request({ method: 'POST', path: `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts`, body: rollout });
  await admin.request({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/services`,
    body: { metadata: { name: 'web-stable', annotations: { [MANAGED_BY_ROLLOUTS_ANNOTATION]: 'web' } }, spec: { selector: { app: 'web', 'rollouts-pod-template-hash': 'abc' }, ports: [{ port: 80 }] } },
  });
  deleteClusterScopedAfter(t, registered);
  const applied = await apply(t, toYaml(registered), { dryRun: false });
  assert.equal(applied.code, 0, applied.stderr);

  const refusal = /failed calling webhook "(defaults|validate)\.ramp\.dev"/;
  const patchAnnotation = (as?: string) =>
    kubectl(['patch', 'rollout', 'web', '-n', namespace, '--type=merge', '-p', JSON.stringify({ metadata: { annotations: { touched: String(Date.now()) } } }), ...(as ? [`--as=${as}`] : [])]);
  // The API server picks new configurations up through an informer.
  const refused = await waitFor(async () => {
    const r = await patchAnnotation();
    return r.code !== 0 && refusal.test(r.stderr) ? r : false;
  }, { what: 'the API server to call the (closed) webhook for a Rollout update' });
  assert.match(refused.stderr, refusal);

  const template = anAnalysisTemplate().named('success-rate').inNamespace(namespace).build();
  template.metadata = { ...template.metadata, labels: testLabel };
  const created = await apply(t, toYaml([template]), { dryRun: false });
  assert.notEqual(created.code, 0, 'an AnalysisTemplate cannot be created while validation is down');
  assert.match(created.stderr, /failed calling webhook "validate\.ramp\.dev"/);

  const asController = await patchAnnotation(`system:serviceaccount:${namespace}:${release}-ramp-controller`);
  assert.equal(asController.code, 0, `the controller's ServiceAccount is exempt: ${asController.stderr}`);

  const status = await kubectl(['patch', 'rollout', 'web', '-n', namespace, '--subresource=status', '--type=merge', '-p', '{"status":{"abort":true}}']);
  assert.equal(status.code, 0, `/status is not registered: ${status.stderr}`);

  const service = await kubectl(['patch', 'service', 'web-stable', '-n', namespace, '--type=merge', '-p', '{"metadata":{"labels":{"touched":"yes"}}}']);
  assert.equal(service.code, 0, `the managed Service guard fails open (Ignore): ${service.stderr}`);
});

test('chart › helm install, upgrade, renew and uninstall: the webhook certificate survives upgrades, a renewal trusts old and new CA for one release', async (t) => {
  const namespace = await withNamespace(t);
  const release = releaseFor(namespace);
  const kubeconfig = kubeconfigPath();
  // Scoped so that the API server never has a reason to call the registered webhooks (it would
  // dial the Service address): they only match labelled objects in this namespace, and the
  // test writes none.
  const values = {
    controller: { namespaced: true, replicas: 1 },
    webhook: { replicas: 1, objectSelector: { matchLabels: { 'ramp.dev/chart-test': 'never-used' } } },
  };
  const run = (args: string[], extra: object = values) => {
    const result = helm([...args, release, chartDir, '--namespace', namespace, '--skip-crds', '-f', '-'], JSON.stringify(extra), { kubeconfig });
    assert.equal(result.code, 0, `helm ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  t.after(() => {
    helm(['uninstall', release, '--namespace', namespace, '--ignore-not-found'], undefined, { kubeconfig });
  });
  const { core, admission } = clients();
  const secretName = `${release}-ramp-webhook-tls`;
  const tls = async () => (await core.readNamespacedSecret({ name: secretName, namespace })).data ?? {};
  const bundle = async () => {
    const bundles = (await admission.readValidatingWebhookConfiguration({ name: `${release}-ramp` })).webhooks?.map((w) => w.clientConfig.caBundle) ?? [];
    assert.equal(new Set(bundles).size, 1, 'every webhook has the same caBundle');
    return Buffer.from(bundles[0]!, 'base64').toString('utf8');
  };
  const certificates = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;

  run(['install']);
  const first = await tls();
  assert.ok(first['tls.crt'] && first['ca.crt']);
  assert.equal(await bundle(), Buffer.from(first['ca.crt']!, 'base64').toString('utf8'));

  run(['upgrade'], { ...values, controller: { ...values.controller, logLevel: 'debug' } });
  assert.deepEqual(await tls(), first, 'an upgrade keeps the serving certificate (read back with lookup)');
  assert.equal(await bundle(), Buffer.from(first['ca.crt']!, 'base64').toString('utf8'));

  run(['upgrade'], { ...values, webhook: { ...values.webhook, tls: { helm: { renew: true } } } });
  const renewed = await tls();
  assert.notEqual(renewed['tls.crt'], first['tls.crt'], 'renew generates a new certificate');
  assert.notEqual(renewed['ca.crt'], first['ca.crt']);
  const both = await bundle();
  assert.equal(certificates(both), 2, 'the caBundle holds the new and the old CA');
  assert.ok(both.includes(Buffer.from(renewed['ca.crt']!, 'base64').toString('utf8').trim()));
  assert.ok(both.includes(Buffer.from(first['ca.crt']!, 'base64').toString('utf8').trim()), 'pods still serving the old certificate stay trusted');

  run(['upgrade']);
  assert.deepEqual(await tls(), renewed);
  assert.equal(certificates(await bundle()), 1, 'the next upgrade drops the old CA');

  const uninstall = helm(['uninstall', release, '--namespace', namespace, '--wait'], undefined, { kubeconfig });
  assert.equal(uninstall.code, 0, uninstall.stderr);
  const leftovers = await kubectl(['get', 'clusterroles,clusterrolebindings,validatingwebhookconfigurations,mutatingwebhookconfigurations', '-l', `app.kubernetes.io/instance=${release}`, '-o', 'name']);
  assert.equal(leftovers.code, 0, leftovers.stderr);
  assert.equal(leftovers.stdout.trim(), '', 'uninstall removes the cluster-scoped objects');
});
