// charts/ramp renders what each documented mode promises: helm lint passes, every document is a
// valid object, the controller runs as a Deployment or a CronJob (never both), the arguments are
// ones the real CLI accepts, and every container is locked down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseControllerArgs, serverFlags, serverSettingsFrom } from '../../../controller/app/options.ts';
import { parseWebhookFlags } from '../../../controller/cli/commands/webhook.ts';
import type { FlagSpec } from '../../../controller/kube/flags.ts';
import { leaseNameFor } from '../../../controller/kube/instance-id.ts';
import { DEFAULT_LEASE_NAME } from '../../../controller/leader/config.ts';
import { byKind, chartDir, helm, one, podSpec, render, renderError, repoRoot, VARIANTS, type Manifest } from './helm.ts';

const NAMESPACED_KINDS = new Set(['ServiceAccount', 'Secret', 'Role', 'RoleBinding', 'Service', 'Deployment', 'CronJob', 'PodDisruptionBudget', 'NetworkPolicy', 'Issuer', 'Certificate']);
const CLUSTER_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']);

function kinds(manifests: readonly Manifest[]): string[] {
  return manifests.map((m) => m.kind).sort();
}

function args(workload: Manifest): string[] {
  const containers = podSpec(workload)['containers'] as Array<{ args: string[] }>;
  assert.equal(containers.length, 1, `${workload.kind} ${workload.metadata.name} has one container`);
  return containers[0]!.args;
}

test('chart › helm lint --strict passes with the default values and every documented variant', () => {
  for (const [variant, values] of Object.entries(VARIANTS)) {
    const result = helm(['lint', '--strict', chartDir, '--namespace', 'ramp-system', '-f', '-'], JSON.stringify(values));
    assert.equal(result.code, 0, `helm lint (${variant}):\n${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  }
});

test('chart › every variant renders valid YAML objects, named, labelled, in the right namespace', () => {
  for (const [variant, values] of Object.entries(VARIANTS)) {
    const manifests = render(values, { namespace: 'shop', release: 'r1' });
    assert.ok(manifests.length > 0, variant);
    const seen = new Set<string>();
    for (const m of manifests) {
      const id = `${variant}: ${m.kind}/${m.metadata?.name}`;
      assert.equal(typeof m.apiVersion, 'string', `${id} has an apiVersion`);
      assert.match(m.metadata.name, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, `${id}: a DNS name`);
      assert.ok(m.metadata.name.length <= 63, `${id}: name at most 63 characters`);
      assert.equal(m.metadata.labels?.['app.kubernetes.io/instance'], 'r1', `${id} carries the release label`);
      assert.equal(m.metadata.labels?.['app.kubernetes.io/managed-by'], 'Helm', id);
      if (CLUSTER_KINDS.has(m.kind)) assert.equal(m.metadata.namespace, undefined, `${id} is cluster-scoped`);
      else {
        assert.ok(NAMESPACED_KINDS.has(m.kind), `${id}: a kind this test knows`);
        assert.equal(m.metadata.namespace, 'shop', `${id} is in the release namespace`);
      }
      const key = `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
      assert.ok(!seen.has(key), `${id} rendered once`);
      seen.add(key);
    }
  }
});

test('chart › default install: a 2-replica leader-elected controller, a 2-replica webhook, PDBs, Helm-generated TLS', () => {
  const manifests = render();
  assert.deepEqual(kinds(manifests), [
    'ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'ClusterRoleBinding', 'Deployment', 'Deployment',
    'MutatingWebhookConfiguration', 'PodDisruptionBudget', 'PodDisruptionBudget', 'Role', 'RoleBinding',
    'Secret', 'Service', 'Service', 'Service', 'ServiceAccount', 'ServiceAccount', 'ValidatingWebhookConfiguration',
  ]);
  const controller = one(manifests, 'Deployment', 'ramp-controller');
  assert.equal(controller['spec'].replicas, 2);
  assert.deepEqual(args(controller), [
    'controller',
    '--leader-elect=true',
    '--leader-election-lease-duration=15s',
    '--leader-election-renew-deadline=10s',
    '--leader-election-retry-period=2s',
    '--qps=40',
    '--burst=80',
    '--rollout-threads=10',
    '--service-threads=10',
    '--loglevel=info',
    '--logformat=json',
    '--resync=*/30 * * * * *',
    '--metricsPort=8090',
    '--healthzPort=8080',
  ]);
  const env = podSpec(controller)['containers'][0].env as Array<{ name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>;
  assert.deepEqual(env.find((e) => e.name === 'POD_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath, 'metadata.namespace', 'the controller namespace (Lease) comes from the downward API');
  assert.equal(one(manifests, 'Deployment', 'ramp-webhook')['spec'].replicas, 2);
  for (const pdb of byKind(manifests, 'PodDisruptionBudget')) assert.equal(pdb['spec'].minAvailable, 1);
  assert.equal(byKind(manifests, 'CronJob').length, 0);
});

test('chart › job mode: a CronJob running reconcile --once with Forbid, and no controller Deployment or PDB', () => {
  const manifests = render({ controller: { mode: 'cronjob' } });
  assert.equal(byKind(manifests, 'Deployment').filter((d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'controller').length, 0);
  assert.equal(byKind(manifests, 'PodDisruptionBudget').filter((d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'controller').length, 0);
  const cron = one(manifests, 'CronJob', 'ramp-controller');
  assert.equal(cron['spec'].schedule, '* * * * *');
  assert.equal(cron['spec'].concurrencyPolicy, 'Forbid');
  assert.equal(cron['spec'].jobTemplate.spec.backoffLimit, 0);
  assert.equal(podSpec(cron)['restartPolicy'], 'Never');
  const a = args(cron);
  assert.deepEqual(a.slice(0, 3), ['reconcile', '--once', '--leader-elect=true'], 'each pass takes the Lease');
  assert.ok(!a.some((x) => x.startsWith('--resync')), 'no resync in a one-shot pass');
  // Allow would let passes overlap; the schema refuses it.
  assert.match(renderError({ controller: { mode: 'cronjob', cronjob: { concurrencyPolicy: 'Allow' } } }), /concurrencyPolicy/);
});

test('chart › namespaced: --namespaced with the watched namespace, no controller ClusterRole', () => {
  const manifests = render({ controller: { namespaced: true, watchNamespace: 'shop' } }, { namespace: 'ramp-system' });
  const a = args(one(manifests, 'Deployment', 'ramp-controller'));
  assert.ok(a.includes('--namespaced') && a.includes('--namespace=shop'), a.join(' '));
  assert.deepEqual(
    byKind(manifests, 'ClusterRole').map((r) => r.metadata.name),
    ['ramp-webhook'],
    'only the webhook reads cluster-scoped kinds (Namespaces, RolloutPolicies)',
  );
  const role = one(manifests, 'Role', 'ramp-controller');
  assert.equal(role.metadata.namespace, 'shop');
  const binding = one(manifests, 'RoleBinding', 'ramp-controller');
  assert.equal(binding.metadata.namespace, 'shop');
  assert.deepEqual(binding['subjects'], [{ kind: 'ServiceAccount', name: 'ramp-controller', namespace: 'ramp-system' }]);
  assert.equal(one(manifests, 'Role', 'ramp-controller-leader-election').metadata.namespace, 'ramp-system', 'the Lease lives in the controller namespace');
});

test('chart › webhook disabled: no webhook Deployment, Service, Secret or configurations', () => {
  const manifests = render({ webhook: { enabled: false } });
  assert.deepEqual(manifests.filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'webhook'), []);
  assert.deepEqual(kinds(manifests).filter((k) => k.endsWith('WebhookConfiguration') || k === 'Secret'), []);
});

test('chart › more than one controller replica without leader election is refused', () => {
  assert.match(renderError({ controller: { leaderElection: { enabled: false } } }), /controller\.replicas > 1 needs controller\.leaderElection\.enabled/);
  const single = render({ controller: { replicas: 1, leaderElection: { enabled: false } } });
  assert.deepEqual(args(one(single, 'Deployment', 'ramp-controller')).slice(0, 2), ['controller', '--leader-elect=false']);
  assert.equal(byKind(single, 'Role').filter((r) => r.metadata.name.endsWith('leader-election')).length, 0, 'no Lease permissions without election');
  assert.equal(byKind(single, 'PodDisruptionBudget').filter((p) => p.metadata.name === 'ramp-controller').length, 0, 'no PDB on a single replica (it would block drains)');
});

test('chart › the arguments it renders are accepted by the ramp CLI (controller, reconcile --once, webhook)', () => {
  const once: FlagSpec = { name: 'once', type: 'bool', default: false, help: '' };
  const cases: object[] = [
    ...Object.values(VARIANTS),
    { controller: { qps: 12.5, burst: 30, instanceId: 'a', logLevel: 'debug', logFormat: 'text', leaderElection: { leaseName: 'ramp-lock', leaseDuration: '1m', renewDeadline: '40s', retryPeriod: '5s' } } },
  ];
  for (const values of cases) {
    for (const m of render(values)) {
      if (m.kind !== 'Deployment' && m.kind !== 'CronJob') continue;
      const [command, ...rest] = args(m);
      const what = `${m.kind} ${m.metadata.name} with ${JSON.stringify(values)}: ${[command, ...rest].join(' ')}`;
      if (command === 'controller') {
        const settings = serverSettingsFrom(parseControllerArgs(rest, serverFlags).own);
        assert.equal(settings.host, '0.0.0.0', `${what}: reachable from the kubelet and Prometheus`);
        const ports = Object.fromEntries((podSpec(m)['containers'][0].ports as Array<{ name: string; containerPort: number }>).map((p) => [p.name, p.containerPort]));
        assert.deepEqual(ports, { metrics: settings.metricsPort, healthz: settings.healthzPort }, what);
      }
      else if (command === 'reconcile') assert.equal(parseControllerArgs(rest, [once]).own['once'], true, what);
      else if (command === 'webhook') {
        const flags = parseWebhookFlags(rest);
        assert.equal(flags.address, '0.0.0.0', `${what}: reachable from the Service`);
        const port = podSpec(m)['containers'][0].ports[0].containerPort;
        assert.equal(flags.port, port, what);
      } else assert.fail(`unexpected command in ${what}`);
    }
  }
  const parsed = parseControllerArgs(args(one(render({ controller: { qps: 12.5, leaderElection: { leaseDuration: '1m' } } }), 'Deployment', 'ramp-controller')).slice(1), serverFlags);
  assert.equal(parsed.machinery.qps, 12.5);
  assert.equal(parsed.machinery.leaderElection.leaseDurationMs, 60_000);
});

test('chart › the Lease the RBAC allows is the one the controller uses (Argo\'s name, per instance id)', () => {
  for (const [instanceId, leaseName] of [[undefined, undefined], ['shard-a', undefined], ['shard-a', 'my-lock']] as const) {
    const manifests = render({ controller: { ...(instanceId ? { instanceId } : {}), leaderElection: { ...(leaseName ? { leaseName } : {}) } } });
    const parsed = parseControllerArgs(args(one(manifests, 'Deployment', 'ramp-controller')).slice(1), serverFlags);
    const expected = leaseName ?? leaseNameFor(instanceId, DEFAULT_LEASE_NAME);
    assert.equal(parsed.machinery.leaderElection.leaseName, expected);
    const role = one(manifests, 'Role', 'ramp-controller-leader-election');
    const named = (role['rules'] as Array<{ resourceNames?: string[] }>).find((r) => r.resourceNames);
    assert.deepEqual(named?.resourceNames, [expected]);
  }
});

test('chart › every container runs as non-root with a read-only root filesystem and no capabilities', () => {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const user = /^USER\s+(\d+):(\d+)\s*$/m.exec(dockerfile);
  assert.ok(user, 'the Dockerfile sets a numeric USER uid:gid');
  for (const [variant, values] of Object.entries(VARIANTS)) {
    for (const m of render(values)) {
      if (m.kind !== 'Deployment' && m.kind !== 'CronJob') continue;
      const spec = podSpec(m);
      const what = `${variant}: ${m.kind} ${m.metadata.name}`;
      assert.equal(spec['securityContext'].runAsNonRoot, true, what);
      assert.equal(String(spec['securityContext'].runAsUser), user[1], `${what}: the uid the image is built with`);
      assert.equal(spec['securityContext'].seccompProfile?.type, 'RuntimeDefault', what);
      for (const c of spec['containers'] as Array<Record<string, any>>) {
        assert.equal(c['securityContext'].readOnlyRootFilesystem, true, what);
        assert.equal(c['securityContext'].allowPrivilegeEscalation, false, what);
        assert.deepEqual(c['securityContext'].capabilities, { drop: ['ALL'] }, what);
        assert.ok(c['resources']?.requests?.memory && c['resources']?.limits?.memory, `${what}: memory request and limit`);
        assert.ok((c['volumeMounts'] as Array<{ mountPath: string }>).some((v) => v.mountPath === '/tmp'), `${what}: a writable /tmp`);
        assert.match(c['image'], /^ramp:0\.1\.0$/, what);
      }
    }
  }
});

test('chart › the webhook has liveness on /healthz and readiness on /readyz over HTTPS; the controller over HTTP on its healthz port', () => {
  const manifests = render();
  const webhook = podSpec(one(manifests, 'Deployment', 'ramp-webhook'))['containers'][0];
  assert.deepEqual(webhook.livenessProbe.httpGet, { path: '/healthz', port: 'https', scheme: 'HTTPS' });
  assert.deepEqual(webhook.readinessProbe.httpGet, { path: '/readyz', port: 'https', scheme: 'HTTPS' });
  const controller = podSpec(one(manifests, 'Deployment', 'ramp-controller'))['containers'][0];
  assert.deepEqual(controller.livenessProbe.httpGet, { path: '/healthz', port: 'healthz' });
  assert.deepEqual(controller.readinessProbe.httpGet, { path: '/readyz', port: 'healthz' });
  assert.deepEqual(controller.ports, [
    { name: 'metrics', containerPort: 8090, protocol: 'TCP' },
    { name: 'healthz', containerPort: 8080, protocol: 'TCP' },
  ]);
  const moved = podSpec(one(render({ controller: { healthzPort: 9080, metricsPort: 9090 } }), 'Deployment', 'ramp-controller'))['containers'][0];
  assert.deepEqual(moved.ports.map((p: { containerPort: number }) => p.containerPort), [9090, 9080]);
  assert.ok(moved.args.includes('--healthzPort=9080') && moved.args.includes('--metricsPort=9090'));
  const unprobed = render({ controller: { livenessProbe: null, readinessProbe: null } });
  assert.equal(podSpec(one(unprobed, 'Deployment', 'ramp-controller'))['containers'][0].livenessProbe, undefined);
});

test('chart › the controller metrics Service selects the controller pods on the metrics port, with prometheus.io annotations', () => {
  const manifests = render({ controller: { metricsPort: 9090 } });
  const svc = one(manifests, 'Service', 'ramp-controller-metrics');
  assert.deepEqual(svc['spec'].ports, [{ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }]);
  assert.deepEqual(svc['spec'].selector, one(manifests, 'Deployment', 'ramp-controller')['spec'].selector.matchLabels);
  assert.equal(svc['metadata'].annotations?.['prometheus.io/port'], '9090');
  assert.equal(svc['metadata'].annotations?.['prometheus.io/path'], '/metrics');
  assert.equal(byKind(render({ metrics: { service: { enabled: false } } }), 'Service').filter((s) => s['metadata'].name === 'ramp-controller-metrics').length, 0);
  assert.equal(byKind(render({ controller: { mode: 'cronjob' } }), 'Service').filter((s) => s['metadata'].name === 'ramp-controller-metrics').length, 0, 'job mode serves nothing');
});

test('chart › image by tag, by digest, and pull secrets', () => {
  const tagged = render({ image: { repository: 'registry.example/ramp', tag: '1.2.3' }, imagePullSecrets: [{ name: 'regcred' }] });
  for (const d of byKind(tagged, 'Deployment')) {
    assert.equal(podSpec(d)['containers'][0].image, 'registry.example/ramp:1.2.3');
    assert.deepEqual(podSpec(d)['imagePullSecrets'], [{ name: 'regcred' }]);
  }
  const digest = `sha256:${'a'.repeat(64)}`;
  for (const d of byKind(render({ image: { repository: 'registry.example/ramp', digest } }), 'Deployment')) {
    assert.equal(podSpec(d)['containers'][0].image, `registry.example/ramp@${digest}`);
  }
});

test('chart › the metrics Service points at the webhook\'s HTTPS /metrics; the webhook Service at its https port', () => {
  const manifests = render();
  const metrics = one(manifests, 'Service', 'ramp-webhook-metrics');
  assert.equal(metrics.metadata.annotations?.['prometheus.io/scheme'], 'https');
  assert.equal(metrics.metadata.annotations?.['prometheus.io/path'], '/metrics');
  const webhook = one(manifests, 'Service', 'ramp-webhook');
  assert.deepEqual(webhook['spec'].ports, [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }]);
  const pods = one(manifests, 'Deployment', 'ramp-webhook')['spec'].template.metadata.labels;
  for (const [k, v] of Object.entries(webhook['spec'].selector as Record<string, string>)) assert.equal(pods[k], v, `Service selector ${k}`);
  assert.equal(byKind(render({ metrics: { service: { enabled: false } } }), 'Service').length, 1);
});

test('chart › with networkPolicy.enabled the controller accepts its metrics and healthz ports (deployment mode) and nothing in job mode', () => {
  const policy = one(render({ networkPolicy: { enabled: true } }), 'NetworkPolicy', 'ramp-controller');
  assert.deepEqual(policy['spec'].ingress, [{ ports: [{ protocol: 'TCP', port: 8090 }, { protocol: 'TCP', port: 8080 }] }]);
  const job = one(render({ networkPolicy: { enabled: true }, controller: { mode: 'cronjob' } }), 'NetworkPolicy', 'ramp-controller');
  assert.deepEqual(job['spec'].ingress, []);
});
