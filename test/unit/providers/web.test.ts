import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { AnalysisRun, Metric } from '../../../functions/api/index.ts';
import { createWebProvider, goJson } from '../../../controller/providers/web.ts';
import { sendHttp } from '../../../controller/providers/http.ts';
import type { MeasureContext } from '../../../controller/providers/provider.ts';

const run: AnalysisRun = { metadata: { name: 'r', namespace: 'ns', uid: 'u' }, spec: { metrics: [] } };
const ctx = (): MeasureContext => ({ run, args: {}, signal: new AbortController().signal, now: () => new Date('2026-01-01T00:00:00Z') });

let base = '';
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    switch (req.url) {
      case '/ok': res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"data":{"ok":true,"rate":0.99,"items":[{"name":"a","v":1},{"name":"b","v":2}]}}'); break;
      case '/text': res.writeHead(200).end('healthy'); break;
      case '/500': res.writeHead(500).end('{}'); break;
      case '/big': res.writeHead(200).end('x'.repeat(5000)); break;
      case '/slow': setTimeout(() => res.writeHead(200).end('{}'), 3000); break;
      default: res.writeHead(200, { 'Content-Type': 'application/json' }).end(body || '{}');
    }
  });
});

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const web = (fields: Partial<NonNullable<Metric['provider']['web']>>, metric: Partial<Metric> = {}): Metric => ({
  name: 'm',
  provider: { web: { url: `${base}/ok`, ...fields } },
  ...metric,
});

describe('web provider', () => {
  const provider = createWebProvider({ maxResponseBytes: 1000 });

  it('judges the value at jsonPath; the measurement value is that value as JSON', async () => {
    const m = await provider.run(web({ jsonPath: '{$.data}' }, { successCondition: 'result.ok && result.rate > 0.95' }), ctx());
    assert.equal(m.phase, 'Successful');
    assert.equal(m.value, '{"items":[{"name":"a","v":1},{"name":"b","v":2}],"ok":true,"rate":0.99}');
  });

  it('a failing condition is Failed', async () => {
    const m = await provider.run(web({ jsonPath: '{$.data.rate}' }, { successCondition: 'result > 0.999' }), ctx());
    assert.equal(m.phase, 'Failed');
    assert.equal(m.value, '0.99');
  });

  it('filters and indexes', async () => {
    const m = await provider.run(web({ jsonPath: '{$.data.items[?(@.name == "b")].v}' }, { successCondition: 'result == 2' }), ctx());
    assert.equal(m.phase, 'Successful');
  });

  it('a body that is not JSON is given to the conditions as a string', async () => {
    const m = await provider.run(web({ url: `${base}/text` }, { successCondition: 'result == "healthy"' }), ctx());
    assert.equal(m.phase, 'Successful');
  });

  it('non-2xx is an Error', async () => {
    const m = await provider.run(web({ url: `${base}/500` }), ctx());
    assert.equal(m.phase, 'Error');
    assert.equal(m.message, 'received non 2xx response code: 500');
  });

  it('a missing path is an Error', async () => {
    const m = await provider.run(web({ jsonPath: '{$.nope}' }), ctx());
    assert.equal(m.phase, 'Error');
    assert.equal(m.message, 'Could not find JSONPath in body: nope is not found');
  });

  it('a body with GET is refused before sending', async () => {
    const m = await provider.run(web({ body: 'x' }), ctx());
    assert.equal(m.message, 'Body/JSONBody can only be used with POST or PUT WebMetric Method types');
  });

  it('POSTs jsonBody with Content-Type application/json and sends headers', async () => {
    seen.length = 0;
    const m = await provider.run(web({ url: `${base}/echo`, method: 'POST', jsonBody: { a: 1 }, headers: [{ key: 'X-Token', value: 'secret' }], jsonPath: '{$.a}' }, { successCondition: 'result == 1' }), ctx());
    assert.equal(m.phase, 'Successful');
    assert.equal(seen[0]?.method, 'POST');
    assert.equal(seen[0]?.headers['content-type'], 'application/json');
    assert.equal(seen[0]?.headers['x-token'], 'secret');
    assert.equal(seen[0]?.body, '{"a":1}');
  });

  it('a response larger than the limit is an Error, not a memory problem', async () => {
    const m = await provider.run(web({ url: `${base}/big` }), ctx());
    assert.equal(m.phase, 'Error');
    assert.match(m.message ?? '', /larger than the 1000 bytes accepted/);
  });

  it('timeoutSeconds bounds the call', async () => {
    const m = await provider.run(web({ url: `${base}/slow`, timeoutSeconds: 1 }), ctx());
    assert.equal(m.phase, 'Error');
    assert.match(m.message ?? '', /timeout/);
  });

  it('a closed port is an Error naming the URL without credentials', async () => {
    const m = await provider.run(web({ url: 'http://user:pw@127.0.0.1:1/health' }), ctx());
    assert.equal(m.phase, 'Error');
    assert.match(m.message ?? '', /^GET http:\/\/127\.0\.0\.1:1\/health: .*ECONNREFUSED/);
    assert.doesNotMatch(m.message ?? '', /pw/);
  });

  it('goJson sorts keys like Go', () => {
    assert.equal(goJson({ b: 1, a: { d: 2, c: 3 } }), '{"a":{"c":3,"d":2},"b":1}');
  });

  it('sendHttp refuses other schemes', async () => {
    await assert.rejects(sendHttp({ url: 'file:///etc/passwd', method: 'GET', timeoutMs: 1000 }), /unsupported URL scheme file:/);
  });
});
