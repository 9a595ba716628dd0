import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, keyFields, objectFields, parseLogLevel } from '../../../controller/log/logger.ts';
import { REDACTED, redact, redactString } from '../../../controller/log/redact.ts';

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const log = createLogger({ now: () => new Date('2026-01-01T00:00:00Z'), write: (l) => lines.push(l), ...options });
  return { log, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('logger › one JSON object per line with level, time, msg and the object\'s namespace/name', () => {
  const { log, json } = capture();
  log.child({ controller: 'rollouts' }).info('reconciled', { namespace: 'shop', name: 'web', durationMs: 12 });
  assert.deepEqual(json(), [{ level: 'info', time: '2026-01-01T00:00:00.000Z', msg: 'reconciled', controller: 'rollouts', namespace: 'shop', name: 'web', durationMs: 12 }]);
});

test('logger › lines below the level are dropped', () => {
  const { log, lines } = capture({ level: 'warn' });
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e');
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { level: string }).level),
    ['warn', 'error'],
  );
  assert.equal(log.enabled('info'), false);
});

test('logger › fields cannot overwrite level, time or msg', () => {
  const { log, json } = capture();
  log.info('real', { msg: 'fake', level: 'error' });
  assert.deepEqual(json()[0], { level: 'info', time: '2026-01-01T00:00:00.000Z', msg: 'real', 'field.msg': 'fake', 'field.level': 'error' });
});

test('logger › secret-looking keys are redacted at any depth', () => {
  const { log, lines } = capture();
  log.info('provider config', {
    provider: { url: 'http://127.0.0.1:9090', headers: { Authorization: 'Bearer abc.def', 'X-Api-Key': 'k-123' } },
    password: 'hunter2',
    clientSecret: 's3cr3t',
    token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig',
    items: [{ apiToken: 'zzz' }],
  });
  const out = lines.join('\n');
  for (const secret of ['abc.def', 'k-123', 'hunter2', 's3cr3t', 'eyJhbGciOiJIUzI1NiJ9', 'zzz']) assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
  assert.ok(out.includes('http://127.0.0.1:9090'), 'harmless values stay');
});

test('logger › a Secret object is reduced to its name and key names', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'db',
      namespace: 'shop',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}' },
    },
    type: 'Opaque',
    data: { password: 'aHVudGVyMg==', user: 'YWRtaW4=' },
    stringData: { extra: 'plain' },
  };
  const { log, lines, json } = capture();
  log.info('read secret', { object: secret });
  const out = lines.join('\n');
  for (const s of ['aHVudGVyMg==', 'YWRtaW4=', 'plain', 'last-applied']) assert.ok(!out.includes(s), `${s} leaked`);
  assert.deepEqual((json()[0]!['object'] as { data: unknown }).data, { extra: REDACTED, password: REDACTED, user: REDACTED });
});

test('logger › credentials inside messages and error text are scrubbed', () => {
  assert.equal(redactString('GET failed: Authorization: Bearer abcdef123'), 'GET failed: Authorization: Bearer [REDACTED]');
  assert.equal(redactString('dial https://admin:pa55@127.0.0.1:9090/q'), 'dial https://[REDACTED]@127.0.0.1:9090/q');
  assert.equal(redactString('query?token=abc&x=1'), 'query?token=[REDACTED]&x=1');
  const { log, lines } = capture();
  log.error('call failed password=letmein', { error: new Error('upstream said apiKey: "k-999"') });
  const out = lines.join('\n');
  assert.ok(!out.includes('letmein') && !out.includes('k-999'), out);
});

test('logger › errors, dates, cycles and bigints serialise without throwing', () => {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic['self'] = cyclic;
  const err = Object.assign(new Error('conflict'), { statusCode: 409 });
  const out = redact({ err, when: new Date(0), cyclic, big: 10n }) as Record<string, unknown>;
  assert.deepEqual(out['err'], { name: 'Error', message: 'conflict', statusCode: 409 });
  assert.equal(out['when'], '1970-01-01T00:00:00.000Z');
  assert.deepEqual(out['cyclic'], { name: 'loop', self: '[Circular]' });
  assert.equal(out['big'], '10');
});

test('logger › text format for humans', () => {
  const { log, lines } = capture({ format: 'text' });
  log.warn('slow reconcile', { namespace: 'shop', name: 'web', note: 'took a while' });
  assert.equal(lines[0], '2026-01-01T00:00:00.000Z WARN  slow reconcile namespace=shop name=web note="took a while"');
});

test('logger › a throwing sink does not throw into the caller', () => {
  const log = createLogger({
    write: () => {
      throw new Error('EPIPE');
    },
  });
  log.info('still fine');
});

test('logger › level names and field helpers', () => {
  assert.equal(parseLogLevel('WARNING'), 'warn');
  assert.throws(() => parseLogLevel('loud'), /invalid log level "loud"/);
  assert.deepEqual(keyFields('shop/web'), { namespace: 'shop', name: 'web' });
  assert.deepEqual(objectFields({ kind: 'Rollout', metadata: { namespace: 'shop', name: 'web' } }), { kind: 'Rollout', namespace: 'shop', name: 'web' });
});
