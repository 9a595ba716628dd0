import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { AnalysisRun, Metric } from '../../../functions/api/index.ts';
import { createPrometheusProvider, prometheusResult } from '../../../controller/providers/prometheus.ts';
import type { MeasureContext } from '../../../controller/providers/provider.ts';

const run: AnalysisRun = { metadata: { name: 'r', namespace: 'ns', uid: 'u' }, spec: { metrics: [] } };
const ctx = (): MeasureContext => ({ run, args: { lookback: '1h' }, signal: new AbortController().signal, now: () => new Date('2026-01-01T00:00:00Z') });

let base = '';
const requests: Array<{ url: string; body: URLSearchParams; auth: string | undefined }> = [];
const responses: Record<string, unknown> = {
  scalar: { status: 'success', data: { resultType: 'scalar', result: [1767225600, '0.5'] } },
  vector: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.99'] }, { metric: {}, value: [1, 'NaN'] }] } },
  empty: { status: 'success', data: { resultType: 'vector', result: [] } },
  matrix: { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1, '1'], [2, '2']] }, { metric: {}, values: [[1, '+Inf']] }] } },
  bad: { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' },
};
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const params = new URLSearchParams(body);
    requests.push({ url: req.url ?? '', body: params, auth: req.headers.authorization });
    const answer = responses[params.get('query') ?? ''] ?? responses['bad'];
    res.writeHead((answer as { status: string }).status === 'success' ? 200 : 400, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
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

const prom = (query: string, metric: Partial<Metric> = {}, extra: object = {}): Metric => ({ name: 'm', provider: { prometheus: { address: base, query, ...extra } }, ...metric });

describe('prometheus provider', () => {
  const provider = createPrometheusProvider({ env: {} });

  it('a scalar is a number', async () => {
    const m = await provider.run(prom('scalar', { successCondition: 'result == 0.5' }), ctx());
    assert.equal(m.phase, 'Successful');
    assert.equal(m.value, '0.5');
  });

  it('a vector is a list of numbers, shown as Prometheus wrote them', async () => {
    const m = await provider.run(prom('vector', { successCondition: 'result[0] >= 0.95 && isNaN(result[1])' }), ctx());
    assert.equal(m.phase, 'Successful');
    assert.equal(m.value, '[0.99,NaN]');
  });

  it('an empty vector cannot be judged by result[0]: Error with the no-data message', async () => {
    const m = await provider.run(prom('empty', { successCondition: 'result[0] < 1' }), ctx());
    assert.equal(m.phase, 'Error');
    assert.equal(m.message, 'could not evaluate successCondition "result[0] < 1": metric result is nil or empty: no data returned from the metric provider');
    assert.equal(m.value, '[]');
  });

  it('a range query flattens the matrix and evaluates start/end expressions', async () => {
    requests.length = 0;
    const m = await provider.run(prom('matrix', { successCondition: 'len(result) == 3 && isInf(result[2])' }, { rangeQuery: { start: 'now() - duration("{{args.lookback}}")', end: 'now()', step: '1m' } }), ctx());
    assert.equal(m.phase, 'Successful');
    assert.equal(requests[0]?.url, '/api/v1/query_range');
    assert.equal(requests[0]?.body.get('start'), String(Date.parse('2025-12-31T23:00:00Z') / 1000));
    assert.equal(requests[0]?.body.get('step'), '60');
  });

  it('a query error is an Error measurement with Prometheus\' message', async () => {
    const m = await provider.run(prom('bad'), ctx());
    assert.equal(m.phase, 'Error');
    assert.equal(m.message, 'bad_data: parse error at char 3');
  });

  it('basic auth and headers are sent', async () => {
    requests.length = 0;
    await provider.run(prom('scalar', {}, { authentication: { basicAuth: { username: 'u', password: 'p' } } }), ctx());
    assert.equal(requests[0]?.auth, `Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('the address falls back to ARGO_ROLLOUTS_PROMETHEUS_ADDRESS', async () => {
    const p = createPrometheusProvider({ env: { ARGO_ROLLOUTS_PROMETHEUS_ADDRESS: base } });
    const m = await p.run({ name: 'm', provider: { prometheus: { query: 'scalar' } } }, ctx());
    assert.equal(m.phase, 'Successful');
    const none = await createPrometheusProvider({ env: {} }).run({ name: 'm', provider: { prometheus: { query: 'scalar' } } }, ctx());
    assert.match(none.message ?? '', /no Prometheus address/);
  });

  it('a negative timeout is refused; the resolved query is the metric metadata', async () => {
    const m = await provider.run(prom('scalar', {}, { timeout: -1 }), ctx());
    assert.equal(m.message, 'timeout must be >= 0');
    assert.deepEqual(provider.metadata?.(prom('up')), { ResolvedPrometheusQuery: 'up' });
  });

  it('prometheusResult refuses string results', () => {
    assert.throws(() => prometheusResult({ resultType: 'string', result: [1, 'x'] }), /Prometheus metric type not supported: string/);
  });
});
