// The webhook configurations the chart registers: main resources only (never a subresource such
// as rollouts/status), the endpoints the server really has, small timeouts, the documented
// failure policies, and a serving certificate the caBundle really verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { MANAGED_BY_ROLLOUTS_ANNOTATION } from '../../../functions/api/index.ts';
import { ENDPOINTS } from '../../../webhooks/app.ts';
import { byKind, one, podSpec, render, VARIANTS, type Manifest } from './helm.ts';

interface Rule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
  scope?: string;
}
interface Webhook {
  name: string;
  clientConfig: { service: { name: string; namespace: string; path: string; port: number }; caBundle?: string };
  rules: Rule[];
  failurePolicy: string;
  timeoutSeconds: number;
  sideEffects: string;
  admissionReviewVersions: string[];
  reinvocationPolicy?: string;
  matchPolicy?: string;
  namespaceSelector?: unknown;
  objectSelector?: unknown;
  matchConditions?: Array<{ name: string; expression: string }>;
}

function webhooks(manifests: readonly Manifest[]): Array<{ kind: string; webhook: Webhook }> {
  return manifests
    .filter((m) => m.kind === 'ValidatingWebhookConfiguration' || m.kind === 'MutatingWebhookConfiguration')
    .flatMap((m) => (m['webhooks'] as Webhook[]).map((webhook) => ({ kind: m.kind, webhook })));
}

function find(manifests: readonly Manifest[], name: string): Webhook {
  const found = webhooks(manifests).filter((w) => w.webhook.name === name);
  assert.equal(found.length, 1, `one webhook ${name}`);
  return found[0]!.webhook;
}

const ARGO_KINDS = ['analysisruns', 'analysistemplates', 'clusteranalysistemplates', 'experiments', 'rollouts'];

test('webhook configurations › no rule names a subresource (rollouts/status, */status, */*) or a wildcard, in any variant', () => {
  for (const [variant, values] of Object.entries(VARIANTS)) {
    for (const { webhook } of webhooks(render(values))) {
      for (const rule of webhook.rules) {
        for (const resource of rule.resources) {
          assert.ok(!resource.includes('/'), `${variant}: ${webhook.name} registers the subresource ${resource}`);
          assert.notEqual(resource, '*', `${variant}: ${webhook.name} registers every resource`);
        }
        for (const list of [rule.apiGroups, rule.apiVersions, rule.operations]) assert.ok(!list.includes('*'), `${variant}: ${webhook.name} has a wildcard: ${JSON.stringify(rule)}`);
        assert.ok(!rule.operations.includes('DELETE') && !rule.operations.includes('CONNECT'), `${variant}: ${webhook.name} has nothing to check on DELETE/CONNECT`);
      }
    }
  }
});

test('webhook configurations › validate covers the five Argo kinds and RolloutPolicies; defaults Rollouts and Experiments', () => {
  const manifests = render();
  const validate = find(manifests, 'validate.ramp.dev');
  assert.deepEqual(validate.rules.map((r) => [r.apiGroups, r.apiVersions, [...r.resources].sort(), r.operations]), [
    [['argoproj.io'], ['v1alpha1'], ARGO_KINDS, ['CREATE', 'UPDATE']],
    [['ramp.dev'], ['v1alpha1'], ['rolloutpolicies'], ['CREATE', 'UPDATE']],
  ]);
  const defaults = find(manifests, 'defaults.ramp.dev');
  assert.deepEqual(defaults.rules.map((r) => [r.apiGroups, [...r.resources].sort(), r.operations]), [[['argoproj.io'], ['experiments', 'rollouts'], ['CREATE', 'UPDATE']]]);
  assert.equal(validate.clientConfig.service.path, ENDPOINTS.validate);
  assert.equal(defaults.clientConfig.service.path, ENDPOINTS.mutate);
  assert.deepEqual(
    webhooks(manifests).map((w) => `${w.kind}/${w.webhook.name}`),
    ['MutatingWebhookConfiguration/defaults.ramp.dev', 'MutatingWebhookConfiguration/managed.ramp.dev', 'ValidatingWebhookConfiguration/validate.ramp.dev'],
  );
});

test('webhook configurations › the managed guard: Service and Ingress UPDATE only, filtered on the managed-by annotation, Ignore on failure', () => {
  const guard = find(render(), 'managed.ramp.dev');
  assert.equal(guard.clientConfig.service.path, ENDPOINTS.managed);
  assert.deepEqual(guard.rules.map((r) => [r.apiGroups, r.apiVersions, r.resources, r.operations]), [
    [[''], ['v1'], ['services'], ['UPDATE']],
    [['networking.k8s.io'], ['v1'], ['ingresses'], ['UPDATE']],
  ]);
  // An objectSelector sees labels only; Argo's managed-by marker is an annotation.
  assert.equal(guard.objectSelector, undefined);
  const managed = guard.matchConditions?.find((c) => c.name === 'managed-by-a-rollout');
  assert.ok(managed?.expression.includes(`'${MANAGED_BY_ROLLOUTS_ANNOTATION}' in oldObject.metadata.annotations`), managed?.expression);
  assert.equal(guard.failurePolicy, 'Ignore');
  assert.ok(guard.timeoutSeconds <= 3);
  assert.equal(webhooks(render({ webhook: { managedGuard: { enabled: false } } })).some((w) => w.webhook.name === 'managed.ramp.dev'), false);
});

test('webhook configurations › every webhook: sideEffects None, v1 reviews, Equivalent matching, small timeouts, IfNeeded reinvocation on mutation, the chart\'s Service', () => {
  const manifests = render();
  const service = one(manifests, 'Service', 'ramp-webhook');
  for (const { kind, webhook } of webhooks(manifests)) {
    assert.equal(webhook.sideEffects, 'None', webhook.name);
    assert.deepEqual(webhook.admissionReviewVersions, ['v1'], webhook.name);
    assert.equal(webhook.matchPolicy, 'Equivalent', webhook.name);
    assert.ok(webhook.timeoutSeconds >= 1 && webhook.timeoutSeconds <= 5, `${webhook.name}: timeoutSeconds ${webhook.timeoutSeconds}`);
    if (kind === 'MutatingWebhookConfiguration') assert.equal(webhook.reinvocationPolicy, 'IfNeeded', webhook.name);
    assert.deepEqual(webhook.clientConfig.service, { name: service.metadata.name, namespace: 'ramp-system', path: webhook.clientConfig.service.path, port: service['spec'].ports[0].port });
  }
});

test('webhook configurations › requests from the controller\'s ServiceAccount are not sent to the webhook (a webhook outage never stalls it), unless turned off', () => {
  for (const [variant, values] of Object.entries({ default: {}, 'job mode': { controller: { mode: 'cronjob' } }, 'own ServiceAccount': { controller: { serviceAccount: { create: false, name: 'ops-ramp' } } } })) {
    const manifests = render(values, { namespace: 'shop' });
    const workload = manifests.find((m) => (m.kind === 'Deployment' || m.kind === 'CronJob') && m.metadata.labels?.['app.kubernetes.io/component'] === 'controller')!;
    const user = `system:serviceaccount:shop:${podSpec(workload)['serviceAccountName']}`;
    for (const { webhook } of webhooks(manifests)) {
      const condition = webhook.matchConditions?.find((c) => c.name === 'not-the-ramp-controller');
      assert.equal(condition?.expression, `request.userInfo.username != '${user}'`, `${variant}: ${webhook.name}`);
    }
  }
  for (const { webhook } of webhooks(render({ webhook: { exemptController: false } }))) {
    assert.ok(!webhook.matchConditions?.some((c) => c.name === 'not-the-ramp-controller'), webhook.name);
  }
});

test('webhook configurations › failurePolicy: Fail by default for validation and defaults, configurable; the guard keeps its own', () => {
  const byDefault = render();
  assert.equal(find(byDefault, 'validate.ramp.dev').failurePolicy, 'Fail');
  assert.equal(find(byDefault, 'defaults.ramp.dev').failurePolicy, 'Fail');
  const relaxed = render({ webhook: { failurePolicy: 'Ignore', timeoutSeconds: 2 } });
  assert.equal(find(relaxed, 'validate.ramp.dev').failurePolicy, 'Ignore');
  assert.equal(find(relaxed, 'defaults.ramp.dev').failurePolicy, 'Ignore');
  assert.equal(find(relaxed, 'validate.ramp.dev').timeoutSeconds, 2);
  assert.equal(find(relaxed, 'managed.ramp.dev').failurePolicy, 'Ignore');
  assert.equal(find(render({ webhook: { managedGuard: { failurePolicy: 'Fail' } } }), 'managed.ramp.dev').failurePolicy, 'Fail');
});

test('webhook configurations › namespaceSelector: all but kube-system; the watched namespace when namespaced; the user\'s verbatim', () => {
  assert.deepEqual(find(render(), 'validate.ramp.dev').namespaceSelector, { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] });
  for (const { webhook } of webhooks(render({ controller: { namespaced: true } }, { namespace: 'shop' }))) {
    assert.deepEqual(webhook.namespaceSelector, { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] }, webhook.name);
  }
  const own = { matchLabels: { 'ramp.dev/enabled': 'true' } };
  for (const { webhook } of webhooks(render({ webhook: { namespaceSelector: own, objectSelector: { matchLabels: { team: 'a' } } } }))) {
    assert.deepEqual(webhook.namespaceSelector, own, webhook.name);
    if (webhook.name === 'managed.ramp.dev') assert.equal(webhook.objectSelector, undefined, 'Argo-object labels do not select Services');
    else assert.deepEqual(webhook.objectSelector, { matchLabels: { team: 'a' } }, webhook.name);
  }
});

test('webhook TLS (helm) › the serving certificate is signed by the caBundle CA, names the Service, matches its key, and the pods mount it', () => {
  const manifests = render({ webhook: { tls: { helm: { validityDays: 400 } } } }, { namespace: 'shop', release: 'r1' });
  const secret = one(manifests, 'Secret', 'r1-ramp-webhook-tls');
  assert.equal(secret['type'], 'kubernetes.io/tls');
  const pem = (key: string): string => Buffer.from(secret['data'][key] as string, 'base64').toString('utf8');
  const cert = new X509Certificate(pem('tls.crt'));
  const ca = new X509Certificate(pem('ca.crt'));
  assert.ok(ca.ca, 'ca.crt is a CA');
  assert.ok(cert.verify(ca.publicKey), 'tls.crt is signed by ca.crt');
  assert.ok(cert.checkPrivateKey(createPrivateKey(pem('tls.key'))), 'tls.key is the certificate\'s key');
  for (const name of ['r1-ramp-webhook', 'r1-ramp-webhook.shop', 'r1-ramp-webhook.shop.svc', 'r1-ramp-webhook.shop.svc.cluster.local']) {
    assert.ok(cert.checkHost(name), `the certificate is valid for ${name} (SANs: ${cert.subjectAltName})`);
  }
  const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
  assert.ok(Math.abs(days - 400) <= 1, `valid for ${days} days`);
  for (const { webhook } of webhooks(manifests)) assert.equal(webhook.clientConfig.caBundle, secret['data']['ca.crt'], `${webhook.name} trusts the CA`);
  const pod = podSpec(one(manifests, 'Deployment', 'r1-ramp-webhook'));
  assert.deepEqual(pod['volumes'].find((v: { name: string }) => v.name === 'tls').secret.secretName, secret.metadata.name);
  const mount = pod['containers'][0].volumeMounts.find((v: { name: string }) => v.name === 'tls').mountPath;
  assert.ok(pod['containers'][0].args.includes(`--tls-cert-file=${mount}/tls.crt`) && pod['containers'][0].args.includes(`--tls-key-file=${mount}/tls.key`));
});

test('webhook TLS (cert-manager) › Certificates instead of a Secret, caBundle injected by annotation, renewals keep the chart\'s CA', () => {
  const manifests = render({ webhook: { tls: { mode: 'certManager' } } }, { namespace: 'shop' });
  assert.equal(byKind(manifests, 'Secret').length, 0);
  const serving = one(manifests, 'Certificate', 'ramp-webhook');
  assert.equal(serving['spec'].secretName, 'ramp-webhook-tls');
  assert.deepEqual(serving['spec'].dnsNames, ['ramp-webhook', 'ramp-webhook.shop', 'ramp-webhook.shop.svc', 'ramp-webhook.shop.svc.cluster.local']);
  assert.deepEqual(serving['spec'].issuerRef, { kind: 'Issuer', name: 'ramp-webhook-ca' });
  assert.equal(one(manifests, 'Certificate', 'ramp-webhook-ca')['spec'].isCA, true);
  assert.deepEqual(one(manifests, 'Issuer', 'ramp-webhook-ca')['spec'], { ca: { secretName: 'ramp-webhook-ca' } });
  assert.deepEqual(one(manifests, 'Issuer', 'ramp-webhook-selfsigned')['spec'], { selfSigned: {} });
  for (const m of manifests.filter((x) => x.kind.endsWith('WebhookConfiguration'))) {
    assert.equal(m.metadata.annotations?.['cert-manager.io/inject-ca-from'], 'shop/ramp-webhook');
    for (const w of m['webhooks'] as Webhook[]) assert.equal(w.clientConfig.caBundle, undefined, 'left to the cainjector');
  }
  const own = render({ webhook: { tls: { mode: 'certManager', certManager: { issuerRef: { kind: 'ClusterIssuer', name: 'corp-ca' } } } } });
  assert.deepEqual(byKind(own, 'Issuer'), []);
  assert.deepEqual(one(own, 'Certificate')['spec'].issuerRef, { kind: 'ClusterIssuer', name: 'corp-ca' });
});

test('webhook TLS (own Secret) › the pods mount the named Secret and every webhook trusts the given CA', () => {
  const caBundle = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
  const manifests = render({ webhook: { tls: { mode: 'secret', secret: { name: 'corp-tls', caBundle } } } });
  assert.equal(byKind(manifests, 'Secret').length, 0);
  assert.equal(podSpec(one(manifests, 'Deployment', 'ramp-webhook'))['volumes'].find((v: { name: string }) => v.name === 'tls').secret.secretName, 'corp-tls');
  for (const { webhook } of webhooks(manifests)) assert.equal(webhook.clientConfig.caBundle, caBundle);
});
