import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startControllerServers } from '../../../controller/metrics/server.ts';
import { parseControllerArgs, serverFlags, serverSettingsFrom } from '../../../controller/app/options.ts';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function call(port: number, path: string, method = 'GET', body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: body ? { 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function servers(state: { live: boolean; ready: boolean }) {
  return startControllerServers({
    host: '127.0.0.1',
    metricsPort: 0,
    healthzPort: 0,
    metrics: { text: async () => 'leader 1\n', contentType: 'text/plain; version=0.0.4; charset=utf-8' },
    health: { live: () => state.live, ready: () => state.ready },
  });
}

test('server › /metrics on the metrics port; /healthz and /readyz on the health port', async (t) => {
  const state = { live: true, ready: false };
  const s = await servers(state);
  t.after(() => s.close());
  const metrics = await call(s.metricsPort, '/metrics');
  assert.equal(metrics.status, 200);
  assert.equal(metrics.body, 'leader 1\n');
  assert.equal(metrics.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal((await call(s.healthzPort, '/healthz')).status, 200);
  assert.equal((await call(s.healthzPort, '/readyz')).status, 503);
  state.ready = true;
  assert.equal((await call(s.healthzPort, '/readyz?verbose')).status, 200);
  state.live = false;
  assert.equal((await call(s.healthzPort, '/healthz')).status, 503);
  assert.equal((await call(s.metricsPort, '/healthz')).status, 404, 'health is not on the metrics port');
  assert.equal((await call(s.healthzPort, '/metrics')).status, 404);
});

test('server › unknown paths 404, other methods 405, a request body 400', async (t) => {
  const s = await servers({ live: true, ready: true });
  t.after(() => s.close());
  assert.equal((await call(s.metricsPort, '/nope')).status, 404);
  const post = await call(s.metricsPort, '/metrics', 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers['allow'], 'GET, HEAD');
  assert.equal((await call(s.healthzPort, '/healthz', 'DELETE')).status, 405);
  const head = await call(s.healthzPort, '/healthz', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.equal((await call(s.metricsPort, '/metrics', 'GET', 'x')).status, 400);
});

test('server › equal ports share one listener', async (t) => {
  const probe = await servers({ live: true, ready: true });
  const port = probe.metricsPort;
  await probe.close();
  const s = await startControllerServers({
    host: '127.0.0.1',
    metricsPort: port,
    healthzPort: port,
    metrics: { text: async () => '', contentType: 'text/plain' },
    health: { live: () => true, ready: () => true },
  });
  t.after(() => s.close());
  assert.equal(s.healthzPort, port);
  assert.equal((await call(port, '/metrics')).status, 200);
  assert.equal((await call(port, '/readyz')).status, 200);
});

test('flags › Argo spellings and defaults: --metricsPort 8090 (alias --metricsport), --healthzPort 8080, --bind-address 0.0.0.0', () => {
  assert.deepEqual(serverSettingsFrom(parseControllerArgs([], serverFlags).own), { host: '0.0.0.0', metricsPort: 8090, healthzPort: 8080 });
  assert.deepEqual(serverSettingsFrom(parseControllerArgs(['--metricsport=9000', '--healthzPort', '9001', '--bind-address=127.0.0.1'], serverFlags).own), {
    host: '127.0.0.1',
    metricsPort: 9000,
    healthzPort: 9001,
  });
  assert.throws(() => serverSettingsFrom(parseControllerArgs(['--metricsPort=70000'], serverFlags).own), /port number/);
});
