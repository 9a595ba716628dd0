import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEV_SESSION_ANNOTATION,
  devConfigurationName,
  devWebhookConfigurations,
} from '../../../controller/dev/webhook-configurations.ts';

const input = { name: 'ramp-dev', url: 'https://127.0.0.1:40000', caBundle: 'Q0E=', session: 'host/123' };

describe('devWebhookConfigurations', () => {
  const all = devWebhookConfigurations(input);
  const webhooks = [...(all.validating.webhooks ?? []), ...(all.mutating.webhooks ?? [])];

  it('the three webhooks of docs/admission.md, each calling 127.0.0.1 by URL with the caBundle', () => {
    assert.deepEqual(webhooks.map((w) => [w.name, w.clientConfig.url, w.clientConfig.caBundle, w.clientConfig.service]), [
      ['validate.ramp.dev', 'https://127.0.0.1:40000/validate', 'Q0E=', undefined],
      ['defaults.ramp.dev', 'https://127.0.0.1:40000/mutate', 'Q0E=', undefined],
      ['managed.ramp.dev', 'https://127.0.0.1:40000/mutate-managed', 'Q0E=', undefined],
    ]);
  });

  it('failurePolicy Ignore everywhere: a session that died never blocks the cluster', () => {
    assert.deepEqual(webhooks.map((w) => w.failurePolicy), ['Ignore', 'Ignore', 'Ignore']);
  });

  it('main resources only: no subresource (rollouts/status, /scale) is ever sent to the webhook', () => {
    for (const w of webhooks) for (const rule of w.rules ?? []) for (const r of rule.resources ?? []) assert.doesNotMatch(r, /\//, `${w.name}: ${r}`);
  });

  it('side-effect free, v1 reviews, short timeouts, kube-system left out', () => {
    for (const w of webhooks) {
      assert.equal(w.sideEffects, 'None');
      assert.deepEqual(w.admissionReviewVersions, ['v1']);
      assert.ok((w.timeoutSeconds ?? 10) <= 5);
      assert.deepEqual(w.namespaceSelector, { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] });
    }
    assert.deepEqual(all.validating.webhooks?.[0]?.rules?.map((r) => r.resources), [
      ['rollouts', 'experiments', 'analysistemplates', 'analysisruns', 'clusteranalysistemplates'],
      ['rolloutpolicies'],
    ]);
  });

  it('the managed-object guard only sees Services and Ingresses the controller marked', () => {
    const managed = all.mutating.webhooks?.[1];
    assert.deepEqual(managed?.rules?.map((r) => [r.resources, r.operations]), [
      [['services'], ['UPDATE']],
      [['ingresses'], ['UPDATE']],
    ]);
    assert.match(managed?.matchConditions?.[0]?.expression ?? '', /'argo-rollouts\.argoproj\.io\/managed-by-rollouts' in oldObject\.metadata\.annotations/);
  });

  it('labelled and annotated with the session that owns them', () => {
    for (const c of [all.validating, all.mutating]) {
      assert.equal(c.metadata?.name, 'ramp-dev');
      assert.equal(c.metadata?.labels?.['app.kubernetes.io/managed-by'], 'ramp-up');
      assert.equal(c.metadata?.annotations?.[DEV_SESSION_ANNOTATION], 'host/123');
    }
  });

  it('namespaced: every webhook selects the one namespace, and cluster-scoped kinds are left alone', () => {
    const one = devWebhookConfigurations({ ...input, name: devConfigurationName('shop'), namespace: 'shop' });
    assert.equal(one.validating.metadata?.name, 'ramp-dev-shop');
    for (const w of [...(one.validating.webhooks ?? []), ...(one.mutating.webhooks ?? [])]) {
      assert.deepEqual(w.namespaceSelector, { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } });
      for (const rule of w.rules ?? []) assert.equal(rule.scope, 'Namespaced');
    }
    assert.deepEqual(one.validating.webhooks?.[0]?.rules?.flatMap((r) => r.resources), ['rollouts', 'experiments', 'analysistemplates', 'analysisruns']);
  });

  it('refuses a URL that is not https://127.0.0.1:PORT', () => {
    assert.throws(() => devWebhookConfigurations({ ...input, url: 'https://localhost:40000' }), /127\.0\.0\.1/);
    assert.throws(() => devWebhookConfigurations({ ...input, url: 'https://10.96.0.5:443' }), /127\.0\.0\.1/);
  });

  it('configuration names: ramp-dev, or ramp-dev-<namespace>', () => {
    assert.equal(devConfigurationName(undefined), 'ramp-dev');
    assert.equal(devConfigurationName('ramp-demo'), 'ramp-dev-ramp-demo');
  });
});
