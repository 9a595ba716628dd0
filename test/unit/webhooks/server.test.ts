import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it, type TestContext } from 'node:test';
import { writeFileSync } from 'node:fs';
import { startWebhookServer, type WebhookServer } from '../../../webhooks/index.ts';
import { aRollout } from '../../fixtures/index.ts';
import { aReview } from '../admission/reviews.ts';
import { aPolicy } from '../policy/policy-fixtures.ts';
import { aCertDir, aServingPair, type CertDir, type ServingPair } from './tls-fixtures.ts';
import { httpsRequest, postJson } from './https-client.ts';

interface Started {
  server: WebhookServer;
  pair: ServingPair;
  certs: CertDir;
  ready: { value: boolean };
}

async function start(t: TestContext, options: { tlsPollIntervalMs?: number } = {}): Promise<Started> {
  const pair = await aServingPair('webhook-a');
  const certs = aCertDir(t, pair);
  const ready = { value: true };
  const server = await startWebhookServer({
    port: 0,
    certFile: certs.certFile,
    keyFile: certs.keyFile,
    tlsPollIntervalMs: options.tlsPollIntervalMs ?? 60_000,
    policies: () => [aPolicy('p', { rules: [{ name: 'replicas', message: 'two at least', require: { field: 'spec.replicas', min: 2 } }] })],
    namespaceLabels: async () => ({}),
    lookupRollout: async () => ({ state: 'not-found' }),
    readiness: () => ({ ready: ready.value, waitingFor: ready.value ? [] : ['RolloutPolicies'] }),
  });
  t.after(() => server.close());
  return { server, pair, certs, ready };
}

async function stillUp(s: Started): Promise<void> {
  const res = await httpsRequest(`${s.server.url}/healthz`, { ca: s.pair.caPem });
  assert.equal(res.status, 200);
}

describe('webhook server', () => {
  it('listens on 127.0.0.1 only and answers a well-formed review', async (t) => {
    const s = await start(t);
    assert.match(s.server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await postJson(`${s.server.url}/validate`, aReview({ object: aRollout().withReplicas(1).build() }), s.pair.caPem);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    const response = res.json().response;
    assert.equal(response.allowed, false);
    assert.match(response.status.message, /RolloutPolicy "p" rule "replicas": two at least \(spec\.replicas: is 1, must be at least 2\)/);
  });

  it('mutates over HTTPS', async (t) => {
    const s = await start(t);
    const res = await postJson(`${s.server.url}/mutate`, aReview({ object: aRollout().build() }), s.pair.caPem);
    assert.equal(res.status, 200);
    assert.equal(res.json().response.patchType, 'JSONPatch');
  });

  describe('malformed requests get a 4xx and the server stays up', () => {
    const cases: Array<[string, string | Buffer, number, RegExp]> = [
      ['not JSON', 'this is not json', 400, /the body is not JSON/],
      ['truncated JSON', '{"apiVersion": "admission.k8s.io/v1", "kind": "Adm', 400, /the body is not JSON/],
      ['an empty body', '', 400, /the request has no body/],
      ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]), 400, /the body is not JSON/],
      ['JSON that is not an AdmissionReview', '{"hello": "world"}', 400, /malformed AdmissionReview: apiVersion: Unsupported value: null/],
      ['a review without request.uid', JSON.stringify({ ...aReview({ object: {} }), request: { ...aReview({ object: {} })['request'], uid: undefined } }), 400, /request\.uid: Required value/],
      ['a review of an unknown kind', JSON.stringify(aReview({ kind: { group: '', version: 'v1', kind: 'ConfigMap' }, object: {} })), 400, /request\.kind: Unsupported value: "v1, Kind=ConfigMap"/],
      ['deeply nested JSON', '['.repeat(5000) + ']'.repeat(5000), 400, /the body must be a JSON object/],
    ];
    for (const [name, body, code, message] of cases) {
      it(name, async (t) => {
        const s = await start(t);
        const res = await httpsRequest(`${s.server.url}/validate`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, ca: s.pair.caPem });
        assert.equal(res.status, code, res.body);
        assert.equal(res.json().kind, 'Status');
        assert.match(res.json().message, message);
        await stillUp(s);
      });
    }

    it('a body over the 3 MiB limit → 413', async (t) => {
      const s = await start(t);
      const big = JSON.stringify({ padding: 'x'.repeat(3 * 1024 * 1024) });
      const res = await httpsRequest(`${s.server.url}/validate`, { method: 'POST', body: big, headers: { 'content-type': 'application/json' }, ca: s.pair.caPem });
      assert.equal(res.status, 413);
      assert.match(res.json().message, /larger than the limit of 3145728 bytes/);
      await stillUp(s);
    });

    it('a body just under the limit is read', async (t) => {
      const s = await start(t);
      const review = aReview({ object: aRollout().withAnnotations({ filler: 'x'.repeat(2 * 1024 * 1024) }).build() });
      const res = await postJson(`${s.server.url}/mutate`, review, s.pair.caPem);
      assert.equal(res.status, 200);
    });

    it('a wrong method → 405, an unknown path → 404', async (t) => {
      const s = await start(t);
      assert.equal((await httpsRequest(`${s.server.url}/validate`, { ca: s.pair.caPem })).status, 405);
      const missing = await httpsRequest(`${s.server.url}/nope`, { method: 'POST', body: '{}', ca: s.pair.caPem });
      assert.equal(missing.status, 404);
      assert.match(missing.json().message, /admission endpoints are \/validate, \/mutate, \/mutate-managed/);
    });

    it('a plain-HTTP client is refused at the TLS layer and the server stays up', async (t) => {
      const s = await start(t);
      const res = await fetch(s.server.url.replace('https', 'http') + '/healthz').then(
        (r) => r.status,
        () => 'refused',
      );
      assert.notEqual(res, 200);
      await stillUp(s);
    });
  });

  it('/healthz, /readyz and /metrics', async (t) => {
    const s = await start(t);
    assert.equal((await httpsRequest(`${s.server.url}/readyz`, { ca: s.pair.caPem })).status, 200);
    s.ready.value = false;
    const notReady = await httpsRequest(`${s.server.url}/readyz`, { ca: s.pair.caPem });
    assert.equal(notReady.status, 503);
    assert.match(notReady.body, /waiting for RolloutPolicies/);
    await postJson(`${s.server.url}/validate`, aReview({ object: aRollout().build() }), s.pair.caPem);
    await postJson(`${s.server.url}/validate`, 'nope', s.pair.caPem);
    const metrics = await httpsRequest(`${s.server.url}/metrics`, { ca: s.pair.caPem });
    assert.match(metrics.body, /ramp_webhook_requests_total\{endpoint="\/validate",outcome="allowed"\} 1/);
    assert.match(metrics.body, /ramp_webhook_requests_total\{endpoint="\/validate",outcome="bad-request"\} 1/);
    assert.match(metrics.body, /ramp_webhook_request_duration_seconds_count\{endpoint="\/validate"\} 2/);
  });

  it('the server timeouts are set deliberately', async (t) => {
    const s = await start(t);
    assert.equal(s.server.server.headersTimeout, 10_000);
    assert.equal(s.server.server.requestTimeout, 35_000);
    assert.equal(s.server.server.keepAliveTimeout, 120_000);
  });
});

describe('webhook server › certificate reload', () => {
  it('new connections see the new certificate after the files are swapped (watch)', async (t) => {
    const s = await start(t, { tlsPollIntervalMs: 60_000 });
    const first = await httpsRequest(`${s.server.url}/healthz`, { ca: s.pair.caPem });
    const next = await aServingPair('webhook-b');
    s.certs.write(next);
    let served = '';
    for (let i = 0; i < 100 && served !== 'b'; i++) {
      await sleep(50);
      const res = await httpsRequest(`${s.server.url}/healthz`, { ca: [s.pair.caPem, next.caPem] });
      served = res.peer.fingerprint256 === first.peer.fingerprint256 ? 'a' : 'b';
    }
    assert.equal(served, 'b', 'the server never presented the new certificate');
    await assert.rejects(httpsRequest(`${s.server.url}/healthz`, { ca: s.pair.caPem }), /self-signed|unable to verify|certificate/i);
    assert.equal((await httpsRequest(`${s.server.url}/healthz`, { ca: next.caPem })).status, 200);
  });

  it('the periodic check picks up a change, and a mismatched pair keeps the old certificate', async (t) => {
    const s = await start(t);
    s.server.tls.stop(); // no watch, no timer: drive the checks by hand
    const next = await aServingPair('webhook-c');
    writeFileSync(s.certs.certFile, next.certPem); // the key still belongs to the old certificate
    assert.equal(s.server.tls.check(), false);
    assert.equal((await httpsRequest(`${s.server.url}/healthz`, { ca: s.pair.caPem })).status, 200);
    writeFileSync(s.certs.keyFile, next.keyPem);
    assert.equal(s.server.tls.check(), true);
    assert.equal((await httpsRequest(`${s.server.url}/healthz`, { ca: next.caPem })).status, 200);
    const metrics = await httpsRequest(`${s.server.url}/metrics`, { ca: next.caPem });
    assert.match(metrics.body, /ramp_webhook_tls_reloads_total\{result="success"\} 1/);
    assert.match(metrics.body, /ramp_webhook_tls_reloads_total\{result="failure"\} 1/);
  });

  it('refuses to start without a usable pair', async (t) => {
    const a = await aServingPair('webhook-d');
    const b = await aServingPair('webhook-e');
    const certs = aCertDir(t, { ...a, keyPem: b.keyPem });
    await assert.rejects(
      startWebhookServer({
        port: 0,
        certFile: certs.certFile,
        keyFile: certs.keyFile,
        policies: () => [],
        namespaceLabels: async () => undefined,
        lookupRollout: async () => ({ state: 'not-found' }),
        readiness: () => ({ ready: true, waitingFor: [] }),
      }),
      /are not a usable certificate and key/,
    );
  });
});
