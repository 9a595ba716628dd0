// Ramp's admission webhooks, served over TLS on 127.0.0.1 and called by the real API server:
// invalid manifests are refused with every field path, defaults and policy defaults land on the
// stored object, policy rules deny and warn, a managed Service keeps its controller-owned
// selector, /status writes never reach the webhook, and failurePolicy does what docs/admission.md
// says when the webhook is down.
import { before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1MutatingWebhookConfiguration, V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { createKubeClient } from '../../controller/kube/client.ts';
import { createCertificateAuthority, issueCertificate } from '../../controller/localcluster/pki.ts';
import type { Rollout } from '../../functions/api/index.ts';
import {
  clusterNamespaceLabels,
  clusterPolicySource,
  clusterRolloutLookup,
  startWebhookServer,
  type WebhookServer,
} from '../../webhooks/index.ts';
import { aRollout } from '../fixtures/index.ts';
import { apiError, clients, kubeConfig, kubectl } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor } from './helpers/wait-for.ts';

const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' } as const;
const POLICIES = { group: 'ramp.dev', version: 'v1alpha1', plural: 'rolloutpolicies' } as const;
const MANAGED = 'argo-rollouts.argoproj.io/managed-by-rollouts';
const HASH = 'rollouts-pod-template-hash';
/** RolloutPolicies are cluster-scoped: the test's policy webhook only sees policies with this label. */
const POLICY_SCOPE_LABEL = 'ramp.dev/admission-test';

interface Seen {
  endpoint: string;
  operation: string;
  kind: string;
  name: string;
  subResource?: string;
}

interface Admission {
  server: WebhookServer;
  seen: Seen[];
  /** Stops the server but leaves the configurations registered (failurePolicy test). */
  stopServer(): Promise<void>;
}

before(async () => {
  await installCrds();
});

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-admission-it-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Starts Ramp's webhook (real policy and namespace watches against the cluster) and registers
 * the validating and mutating configurations, scoped to `namespace`; both are removed after the
 * test, the configurations first.
 */
async function startAdmission(t: TestContext, namespace: string): Promise<Admission> {
  const dir = tempDir(t);
  const ca = await createCertificateAuthority('ramp-admission-it-ca');
  const leaf = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', ipAddresses: ['127.0.0.1'] });
  writeFileSync(join(dir, 'tls.crt'), leaf.certPem);
  writeFileSync(join(dir, 'tls.key'), leaf.keyPem);
  const caBundle = Buffer.from(ca.certPem).toString('base64');

  const client = createKubeClient({ kubeConfig: kubeConfig(), userAgent: 'ramp-webhook-it' });
  const policies = clusterPolicySource(client);
  const namespaces = clusterNamespaceLabels(client);
  policies.start();
  namespaces.start();
  const seen: Seen[] = [];
  const server = await startWebhookServer({
    port: 0,
    address: '127.0.0.1',
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
    policies: () => policies.policies(),
    namespaceLabels: (ns) => namespaces.labels(ns),
    lookupRollout: clusterRolloutLookup(client),
    readiness: () => ({ ready: policies.synced() && namespaces.synced(), waitingFor: [] }),
    observe: (endpoint, review) => {
      const r = (review as { request?: Record<string, any> }).request ?? {};
      seen.push({ endpoint, operation: r['operation'], kind: r['kind']?.kind, name: r['name'], ...(r['subResource'] ? { subResource: r['subResource'] } : {}) });
    },
  });
  let serverStopped = false;
  const stopServer = async (): Promise<void> => {
    if (serverStopped) return;
    serverStopped = true;
    await server.close();
    await Promise.all([policies.stop(), namespaces.stop()]);
  };

  const { admission } = clients();
  const name = `ramp-${namespace}`;
  const inNamespace = { matchLabels: { 'kubernetes.io/metadata.name': namespace } };
  const validating: V1ValidatingWebhookConfiguration = {
    metadata: { name },
    webhooks: [
      {
        name: 'validate.ramp.dev',
        clientConfig: { url: `${server.url}/validate`, caBundle },
        rules: [
          {
            apiGroups: ['argoproj.io'],
            apiVersions: ['v1alpha1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['rollouts', 'experiments', 'analysistemplates', 'analysisruns'],
            scope: 'Namespaced',
          },
        ],
        namespaceSelector: inNamespace,
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        timeoutSeconds: 5,
      },
      {
        name: 'policies.ramp.dev',
        clientConfig: { url: `${server.url}/validate`, caBundle },
        rules: [{ apiGroups: ['ramp.dev'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: ['rolloutpolicies'], scope: 'Cluster' }],
        objectSelector: { matchLabels: { [POLICY_SCOPE_LABEL]: namespace } },
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        failurePolicy: 'Fail',
        timeoutSeconds: 5,
      },
    ],
  };
  const mutating: V1MutatingWebhookConfiguration = {
    metadata: { name },
    webhooks: [
      {
        name: 'defaults.ramp.dev',
        clientConfig: { url: `${server.url}/mutate`, caBundle },
        rules: [{ apiGroups: ['argoproj.io'], apiVersions: ['v1alpha1'], operations: ['CREATE', 'UPDATE'], resources: ['rollouts', 'experiments'], scope: 'Namespaced' }],
        namespaceSelector: inNamespace,
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        reinvocationPolicy: 'IfNeeded',
        timeoutSeconds: 5,
      },
      {
        name: 'managed.ramp.dev',
        clientConfig: { url: `${server.url}/mutate-managed`, caBundle },
        rules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['services'], scope: 'Namespaced' },
          { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['ingresses'], scope: 'Namespaced' },
        ],
        namespaceSelector: inNamespace,
        // objectSelector only sees labels; the managed-by marker is an annotation.
        matchConditions: [
          {
            name: 'managed-by-a-rollout',
            expression: `has(oldObject.metadata.annotations) && '${MANAGED}' in oldObject.metadata.annotations`,
          },
        ],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        failurePolicy: 'Ignore',
        reinvocationPolicy: 'IfNeeded',
        timeoutSeconds: 5,
      },
    ],
  };
  await admission.createValidatingWebhookConfiguration({ body: validating });
  t.after(async () => {
    try {
      await admission.deleteValidatingWebhookConfiguration({ name });
    } catch (error) {
      if (apiError(error).code !== 404) throw error;
    } finally {
      try {
        await admission.deleteMutatingWebhookConfiguration({ name });
      } catch (error) {
        if (apiError(error).code !== 404) throw error;
      } finally {
        await stopServer();
      }
    }
  });
  await admission.createMutatingWebhookConfiguration({ body: mutating });

  // The API server picks configurations up through an informer: wait until a dry-run create is
  // both defaulted (mutating) and refused when invalid (validating).
  await waitFor(() => policies.synced() && namespaces.synced(), { what: 'the webhook\'s RolloutPolicy and Namespace caches to sync' });
  const { custom } = clients();
  await waitFor(
    async () => {
      const probe = aRollout().named('probe').inNamespace(namespace).build();
      const created = (await custom.createNamespacedCustomObject({ ...ROLLOUTS, namespace, body: probe, dryRun: 'All' })) as Rollout;
      return created.spec.revisionHistoryLimit === 10;
    },
    { what: 'the API server to call the mutating webhook', timeoutMs: 30_000 },
  );
  await waitFor(
    async () => {
      const probe = aRollout().named('probe').inNamespace(namespace).withCanarySteps([{ setWeight: 101 }]).build();
      try {
        await custom.createNamespacedCustomObject({ ...ROLLOUTS, namespace, body: probe, dryRun: 'All' });
        return false;
      } catch (error) {
        return /admission webhook "validate\.ramp\.dev" denied the request/.test(apiError(error).message);
      }
    },
    { what: 'the API server to call the validating webhook', timeoutMs: 30_000 },
  );
  return { server, seen, stopServer };
}

function writeManifest(t: TestContext, objects: unknown[]): string {
  const file = join(tempDir(t), 'manifest.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  return file;
}

async function readRollout(namespace: string, name: string): Promise<Rollout> {
  return (await clients().custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace, name })) as Rollout;
}

function invalidRollout(namespace: string): Record<string, any> {
  const rollout = aRollout()
    .named('broken')
    .inNamespace(namespace)
    .withCanarySteps([{ setWeight: 120 }, { pause: { duration: '-5s' } }], { maxSurge: 0, maxUnavailable: 0 })
    .build() as Record<string, any>;
  delete rollout['spec'].selector;
  return rollout;
}

test('kubectl apply of an invalid Rollout is refused with every field path; nothing is stored', async (t) => {
  const namespace = await withNamespace(t);
  await startAdmission(t, namespace);
  const result = await kubectl(['apply', '-n', namespace, '-f', writeManifest(t, [invalidRollout(namespace)])]);
  assert.notEqual(result.code, 0);
  // kubectl prints an Invalid status as "The <Kind> <name> is invalid:" and one "* path: message" per cause.
  assert.match(result.stderr, /The Rollout "broken" is invalid: /);
  for (const path of [
    '* spec.selector: Required value',
    '* spec.strategy.canary.steps[0].setWeight: Invalid value: 120: must be between 0 and 100',
    '* spec.strategy.canary.steps[1].pause.duration: Invalid value: "-5s"',
    '* spec.strategy.canary.maxUnavailable: Invalid value: 0',
  ]) {
    assert.ok(result.stderr.includes(path), `${path} missing from:\n${result.stderr}`);
  }
  await assert.rejects(readRollout(namespace, 'broken'), (error: unknown) => apiError(error).code === 404);

  // Through the API, the message itself names the webhook and lists every problem.
  await assert.rejects(clients().custom.createNamespacedCustomObject({ ...ROLLOUTS, namespace, body: invalidRollout(namespace) }), (error: unknown) => {
    const e = apiError(error);
    assert.equal(e.code, 422);
    assert.match(e.message, /^admission webhook "validate\.ramp\.dev" denied the request: Rollout "broken" is invalid: spec\.selector: Required value: .*; spec\.strategy\.canary\.steps\[0\]\.setWeight: Invalid value: 120/);
    return true;
  });
});

test('a valid Rollout is stored with Argo\'s defaults written out', async (t) => {
  const namespace = await withNamespace(t);
  const admission = await startAdmission(t, namespace);
  const rollout = aRollout().named('web').inNamespace(namespace).withReplicas(undefined).build();
  const result = await kubectl(['apply', '-n', namespace, '-f', writeManifest(t, [rollout])]);
  assert.equal(result.code, 0, result.stderr);
  const stored = await readRollout(namespace, 'web');
  assert.equal(stored.spec.replicas, 1);
  assert.equal(stored.spec.revisionHistoryLimit, 10);
  assert.equal(stored.spec.progressDeadlineSeconds, 600);
  assert.deepEqual(stored.spec.analysis, { successfulRunHistoryLimit: 5, unsuccessfulRunHistoryLimit: 5 });
  assert.equal(stored.spec.strategy?.canary?.maxSurge, '25%');
  assert.equal(stored.spec.strategy?.canary?.maxUnavailable, '25%');
  assert.deepEqual(stored.spec.strategy?.canary?.steps, [{ setWeight: 20 }, { pause: {} }]);
  assert.ok(admission.seen.some((s) => s.endpoint === '/mutate' && s.name === 'web' && s.operation === 'CREATE'));
  assert.ok(admission.seen.some((s) => s.endpoint === '/validate' && s.name === 'web' && s.operation === 'CREATE'));

  // Re-applying the same manifest is a no-op: defaulting is idempotent, the generation stays.
  const again = await kubectl(['apply', '-n', namespace, '-f', writeManifest(t, [rollout])]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await readRollout(namespace, 'web')).metadata?.generation, stored.metadata?.generation);
});

test('RolloutPolicy: its default is applied, its deny rule refuses, its warn rule reaches kubectl, and a bad policy is refused', async (t) => {
  const namespace = await withNamespace(t, { labels: { env: 'prod' } });
  await startAdmission(t, namespace);
  const { custom } = clients();
  const policyName = `it-${namespace}`;
  const policy = {
    apiVersion: 'ramp.dev/v1alpha1',
    kind: 'RolloutPolicy',
    metadata: { name: policyName, labels: { [POLICY_SCOPE_LABEL]: namespace } },
    spec: {
      match: { kinds: ['Rollout'], namespaces: [namespace], namespaceSelector: { matchLabels: { env: 'prod' } } },
      defaults: { rollout: { progressDeadlineSeconds: 900, progressDeadlineAbort: true } },
      rules: [
        { name: 'two-replicas', message: 'production Rollouts run at least two pods', enforcementAction: 'deny', require: { field: 'spec.replicas', min: 2 } },
        { name: 'small-steps', message: 'no setWeight step may jump more than 25', enforcementAction: 'warn', require: { maxWeightIncrease: 25 } },
      ],
    },
  };
  t.after(async () => {
    try {
      await custom.deleteClusterCustomObject({ ...POLICIES, name: policyName });
    } catch (error) {
      if (apiError(error).code !== 404) throw error;
    }
  });

  // The policy webhook validates RolloutPolicies when they are applied (after the CRD schema,
  // which already refuses an unknown enforcementAction).
  const broken = {
    ...policy,
    metadata: { ...policy.metadata, name: `${policyName}-broken` },
    spec: {
      defaults: { rollout: { progresDeadlineSeconds: 60 } },
      rules: [
        { name: 'r', message: 'm', require: { field: 'spec..x', present: true } },
        { name: 'r', message: 'm', require: { maxWeightIncrease: 0 } },
      ],
    },
  };
  await assert.rejects(custom.createClusterCustomObject({ ...POLICIES, body: broken }), (error: unknown) => {
    const e = apiError(error);
    assert.match(e.message, /admission webhook "policies\.ramp\.dev" denied the request: RolloutPolicy ".*-broken" is invalid: /);
    assert.match(e.message, /spec\.defaults\.rollout\.progresDeadlineSeconds: Forbidden: unknown field/);
    assert.match(e.message, /spec\.rules\[0\]\.require\.field: Invalid value: "spec\.\.x"/);
    assert.match(e.message, /spec\.rules\[1\]\.name: Duplicate value: "r"/);
    assert.match(e.message, /spec\.rules\[1\]\.require\.maxWeightIncrease: Invalid value: 0/);
    return true;
  });

  await custom.createClusterCustomObject({ ...POLICIES, body: policy });
  // The webhook learns of the policy through its watch.
  const single = aRollout().named('single').inNamespace(namespace).withReplicas(1).build();
  const denial = await waitFor(
    async () => {
      try {
        await custom.createNamespacedCustomObject({ ...ROLLOUTS, namespace, body: single, dryRun: 'All' });
        return undefined;
      } catch (error) {
        const e = apiError(error);
        return /RolloutPolicy/.test(e.message) ? e : undefined;
      }
    },
    { what: 'the webhook to enforce the new RolloutPolicy' },
  );
  assert.equal(denial.code, 403);
  assert.match(
    denial.message,
    new RegExp(`Rollout "single" is refused by policy: RolloutPolicy "${policyName}" rule "two-replicas": production Rollouts run at least two pods \\(spec\\.replicas: is 1, must be at least 2\\)`),
  );

  const web = aRollout().named('web').inNamespace(namespace).withReplicas(3).withCanarySteps([{ setWeight: 50 }, { pause: {} }]).build();
  const applied = await kubectl(['apply', '-n', namespace, '-f', writeManifest(t, [web])]);
  assert.equal(applied.code, 0, applied.stderr);
  assert.match(applied.stderr, new RegExp(`Warning: RolloutPolicy "${policyName}" rule "small-steps": no setWeight step may jump more than 25 \\(spec\\.strategy\\.canary\\.steps\\[0\\]\\.setWeight: raises the weight from 0 to 50`));
  const stored = await readRollout(namespace, 'web');
  assert.equal(stored.spec.progressDeadlineSeconds, 900, 'policy default');
  assert.equal(stored.spec.progressDeadlineAbort, true, 'policy default');
  assert.equal(stored.spec.revisionHistoryLimit, 10, 'built-in default');
});

test('a managed Service keeps its controller-owned selector when its original manifest is re-applied', async (t) => {
  const namespace = await withNamespace(t);
  const admission = await startAdmission(t, namespace);
  const { core, custom } = clients();
  const rollout = aRollout().named('web').inNamespace(namespace).withCanarySteps([{ setWeight: 20 }, { pause: {} }], { stableService: 'web-stable', canaryService: 'web-canary' }).build();
  await custom.createNamespacedCustomObject({ ...ROLLOUTS, namespace, body: rollout });
  const manifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web-stable', namespace, labels: { app: 'web' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
  await core.createNamespacedService({ namespace, body: manifest });
  // What the controller does when it takes the Service over (reference §10.1).
  const adopted = await kubectl([
    'patch', 'service', 'web-stable', '-n', namespace, '--type=merge',
    '-p', JSON.stringify({ metadata: { annotations: { [MANAGED]: 'web' } }, spec: { selector: { [HASH]: 'abc123' } } }),
  ]);
  assert.equal(adopted.code, 0, adopted.stderr);

  // A GitOps sync with Replace (or kubectl replace) of the user's manifest, with one real change.
  const userChange = { ...manifest, metadata: { ...manifest.metadata, labels: { app: 'web', team: 'payments' } } };
  const replaced = await kubectl(['replace', '-n', namespace, '-f', writeManifest(t, [userChange])]);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.match(replaced.stderr, /Warning: kept the controller-owned annotation argo-rollouts\.argoproj\.io\/managed-by-rollouts=web and selector rollouts-pod-template-hash=abc123 on Service "web-stable"/);
  let service = await core.readNamespacedService({ name: 'web-stable', namespace });
  assert.deepEqual(service.spec?.selector, { app: 'web', [HASH]: 'abc123' });
  assert.equal(service.metadata?.annotations?.[MANAGED], 'web');
  assert.equal(service.metadata?.labels?.['team'], 'payments', 'the user\'s own change went through');
  assert.ok(admission.seen.some((s) => s.endpoint === '/mutate-managed' && s.name === 'web-stable'));

  // A JSON patch that removes just the key is undone too.
  const removed = await kubectl(['patch', 'service', 'web-stable', '-n', namespace, '--type=json', '-p', JSON.stringify([{ op: 'remove', path: `/spec/selector/${HASH}` }])]);
  assert.equal(removed.code, 0, removed.stderr);
  service = await core.readNamespacedService({ name: 'web-stable', namespace });
  assert.equal(service.spec?.selector?.[HASH], 'abc123');

  // Once the Rollout is gone the Service is the user's again.
  await custom.deleteNamespacedCustomObject({ ...ROLLOUTS, namespace, name: 'web' });
  await waitFor(
    async () => {
      try {
        await readRollout(namespace, 'web');
        return false;
      } catch (error) {
        return apiError(error).code === 404;
      }
    },
    { what: 'the Rollout to be deleted' },
  );
  const released = await kubectl(['replace', '-n', namespace, '-f', writeManifest(t, [userChange])]);
  assert.equal(released.code, 0, released.stderr);
  service = await core.readNamespacedService({ name: 'web-stable', namespace });
  assert.deepEqual(service.spec?.selector, { app: 'web' });
  assert.equal(service.metadata?.annotations?.[MANAGED], undefined);
});

test('writes to the Rollout status subresource never reach the webhook; spec writes do', async (t) => {
  const namespace = await withNamespace(t);
  const admission = await startAdmission(t, namespace);
  const { custom } = clients();
  await custom.createNamespacedCustomObject({ ...ROLLOUTS, namespace, body: aRollout().named('web').inNamespace(namespace).build() });
  const before = admission.seen.filter((s) => s.name === 'web').length;
  assert.ok(before >= 2, 'the create went through both webhooks');

  const status = await kubectl(['patch', 'rollout', 'web', '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Progressing', message: 'from the test' } })]);
  assert.equal(status.code, 0, status.stderr);
  assert.equal((await readRollout(namespace, 'web')).status?.phase, 'Progressing');

  // A spec write afterwards reaches the webhook: had the status write been sent, it would be seen by now.
  const paused = await kubectl(['patch', 'rollout', 'web', '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { paused: true } })]);
  assert.equal(paused.code, 0, paused.stderr);
  const after = admission.seen.filter((s) => s.name === 'web');
  assert.ok(after.length > before, 'the spec write reached the webhook');
  assert.deepEqual(after.filter((s) => s.subResource !== undefined), []);
});

test('with the webhook down: Rollout writes fail (failurePolicy Fail), managed Service updates go through (Ignore)', async (t) => {
  const namespace = await withNamespace(t);
  const admission = await startAdmission(t, namespace);
  const { core, custom } = clients();
  await custom.createNamespacedCustomObject({
    ...ROLLOUTS,
    namespace,
    body: aRollout().named('web').inNamespace(namespace).withCanarySteps([{ setWeight: 20 }], { stableService: 'web-stable', canaryService: 'web-canary' }).build(),
  });
  const manifest = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-stable', namespace }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  await core.createNamespacedService({ namespace, body: { ...manifest, metadata: { ...manifest.metadata, annotations: { [MANAGED]: 'web' } }, spec: { ...manifest.spec, selector: { app: 'web', [HASH]: 'abc' } } } });

  await admission.stopServer();

  await assert.rejects(
    custom.createNamespacedCustomObject({ ...ROLLOUTS, namespace, body: aRollout().named('other').inNamespace(namespace).build() }),
    (error: unknown) => {
      assert.match(apiError(error).message, /failed calling webhook "defaults\.ramp\.dev"|failed calling webhook "validate\.ramp\.dev"/);
      return true;
    },
  );
  const replaced = await kubectl(['replace', '-n', namespace, '-f', writeManifest(t, [manifest])]);
  assert.equal(replaced.code, 0, replaced.stderr);
  const service = await core.readNamespacedService({ name: 'web-stable', namespace });
  assert.deepEqual(service.spec?.selector, { app: 'web' }, 'without the guard the replace drops the hash (the controller restores it on its next pass)');
});
