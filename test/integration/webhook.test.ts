// The API server calls an HTTPS admission webhook served by this test on 127.0.0.1 and honours
// its answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import type { V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';
import { apiError, clients } from './helpers/cluster.ts';
import { withNamespace } from './helpers/namespace.ts';
import { startTlsServer } from './helpers/tls-server.ts';
import { waitFor } from './helpers/wait-for.ts';

interface AdmissionReview {
  apiVersion: string;
  kind: string;
  request: { uid: string; operation: string; namespace?: string; name?: string; object?: { metadata?: { labels?: Record<string, string> } } };
}

test('a validating webhook on https://127.0.0.1 is called and its denial is honoured', async (t) => {
  const namespace = await withNamespace(t);
  const seen: AdmissionReview['request'][] = [];
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.post('/validate-configmaps', (req, res) => {
    const review = req.body as AdmissionReview;
    seen.push(review.request);
    const verdict = review.request.object?.metadata?.labels?.['ramp.dev/verdict'];
    const allowed = verdict !== 'deny';
    res.json({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: review.request.uid,
        allowed,
        ...(allowed ? {} : { status: { code: 403, reason: 'Forbidden', message: 'denied by the ramp integration-test webhook: label ramp.dev/verdict=deny' } }),
      },
    });
  });
  const server = await startTlsServer(app);
  const { admission, core } = clients();
  const name = `${namespace}-deny-configmaps`;
  let registered = false;
  // One hook, so the order is certain: the configuration goes before the server stops
  // (with failurePolicy Fail, a registered webhook that cannot be reached blocks requests).
  t.after(async () => {
    try {
      if (registered) await admission.deleteValidatingWebhookConfiguration({ name });
    } catch (error) {
      if (apiError(error).code !== 404) throw error;
    } finally {
      await server.close();
    }
  });

  const config: V1ValidatingWebhookConfiguration = {
    metadata: { name },
    webhooks: [
      {
        name: 'configmaps.it.ramp.dev',
        clientConfig: { url: `${server.url}/validate-configmaps`, caBundle: server.caBundle },
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'], scope: 'Namespaced' }],
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        failurePolicy: 'Fail',
        timeoutSeconds: 5,
      },
    ],
  };
  await admission.createValidatingWebhookConfiguration({ body: config });
  registered = true;

  // The API server learns of new webhook configurations through an informer: wait until a dry-run
  // create is refused, which proves the webhook is active.
  const probe = { metadata: { name: 'probe', labels: { 'ramp.dev/verdict': 'deny' } }, data: { a: 'b' } };
  const denial = await waitFor(
    async () => {
      try {
        await core.createNamespacedConfigMap({ namespace, body: probe, dryRun: 'All' });
        return undefined;
      } catch (error) {
        const e = apiError(error);
        if (e.code === 403) return e;
        throw error;
      }
    },
    { what: 'the API server to start calling the webhook (a dry-run create to be denied)', timeoutMs: 30_000 },
  );
  assert.match(denial.message, /admission webhook "configmaps\.it\.ramp\.dev" denied the request/);
  assert.match(denial.message, /label ramp\.dev\/verdict=deny/);

  const before = seen.length;
  await assert.rejects(
    core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'denied', labels: { 'ramp.dev/verdict': 'deny' } } } }),
    (error: unknown) => apiError(error).code === 403,
  );
  await assert.rejects(core.readNamespacedConfigMap({ name: 'denied', namespace }), (error: unknown) => apiError(error).code === 404);

  const allowed = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'allowed', labels: { 'ramp.dev/verdict': 'allow' } } } });
  assert.equal(allowed.metadata?.name, 'allowed');
  assert.equal((await core.readNamespacedConfigMap({ name: 'allowed', namespace })).metadata?.labels?.['ramp.dev/verdict'], 'allow');

  const calls = seen.slice(before);
  assert.deepEqual(
    calls.map((r) => [r.operation, r.namespace, r.name]),
    [
      ['CREATE', namespace, 'denied'],
      ['CREATE', namespace, 'allowed'],
    ],
  );
  // Scoped by namespaceSelector: other namespaces never reach the webhook.
  const other = await withNamespace(t);
  await core.createNamespacedConfigMap({ namespace: other, body: { metadata: { name: 'elsewhere', labels: { 'ramp.dev/verdict': 'deny' } } } });
  assert.equal(seen.filter((r) => r.namespace === other).length, 0);
});
