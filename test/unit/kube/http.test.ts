// The retrying, rate-limited HTTP layer, driven through an injected transport. These tests pin
// down our retry policy; how the real API server answers is covered by the integration tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext, ResponseContext, type PromiseHttpLibrary } from '@kubernetes/client-node';
import { ResilientHttpLibrary, type RequestAttempt } from '../../../controller/kube/http.ts';
import { ManualClock } from '../../../controller/kube/manual-clock.ts';
import { TokenBucket } from '../../../controller/kube/rate-limiter.ts';
import { retryableNetworkError, retryableStatus } from '../../../controller/kube/retry-policy.ts';

function response(status: number, headers: Record<string, string> = {}): ResponseContext {
  return new ResponseContext(status, headers, { text: async () => '{}', binary: async () => Buffer.from('{}'), stream: () => null });
}

function refused(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }) });
}

/** A transport that plays back a script of answers and records when each request arrived. */
function scripted(clock: ManualClock, script: Array<ResponseContext | Error>): PromiseHttpLibrary & { at: number[] } {
  const at: number[] = [];
  return {
    at,
    async send() {
      at.push(clock.now());
      const next = script.shift();
      if (!next) throw new Error('script exhausted');
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

function setup(script: Array<ResponseContext | Error>, retry = {}) {
  const clock = new ManualClock();
  const inner = scripted(clock, script);
  const attempts: RequestAttempt[] = [];
  const http = new ResilientHttpLibrary({
    limiter: new TokenBucket({ qps: 0, burst: 1, clock }),
    clock,
    inner,
    random: () => 1,
    retry: { baseDelayMs: 100, maxDelayMs: 1_000, ...retry },
    observe: (a) => attempts.push(a),
  });
  return { clock, inner, http, attempts };
}

const get = () => new RequestContext('https://127.0.0.1:6443/api/v1/namespaces/a/configmaps/b', 'GET');
const post = () => new RequestContext('https://127.0.0.1:6443/api/v1/namespaces/a/configmaps', 'POST');

test('retry policy › which answers are retried, by verb', () => {
  assert.equal(retryableStatus('POST', 429), true, '429: rejected before processing');
  assert.equal(retryableStatus('POST', 503), true);
  assert.equal(retryableStatus('GET', 500), true);
  assert.equal(retryableStatus('POST', 500), false, 'a create that got 500 may have happened');
  assert.equal(retryableStatus('PUT', 504), true, 'a replayed PUT fails with Conflict, not a double write');
  assert.equal(retryableStatus('GET', 404), false);
  assert.equal(retryableStatus('PUT', 409), false);
  assert.equal(retryableNetworkError('POST', refused()), true, 'connection refused: nothing was sent');
  const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
  assert.equal(retryableNetworkError('GET', reset), true);
  assert.equal(retryableNetworkError('PATCH', reset), false);
});

test('http › while the API server is away, retries with growing delays until it answers', async () => {
  const { clock, inner, http } = setup([refused(), refused(), refused(), response(200)]);
  const done = http.send(get());
  await clock.advance(10_000);
  const res = await done;
  assert.equal(res.httpStatusCode, 200);
  assert.deepEqual(
    inner.at.map((t) => t - inner.at[0]!),
    [0, 100, 300, 700],
  );
});

test('http › 429 waits for Retry-After seconds', async () => {
  const { clock, inner, http } = setup([response(429, { 'retry-after': '3' }), response(201)]);
  const done = http.send(post());
  await clock.advance(5_000);
  assert.equal((await done).httpStatusCode, 201);
  assert.equal(inner.at[1]! - inner.at[0]!, 3_000);
});

test('http › a POST answered 500 is returned, not repeated', async () => {
  const { clock, inner, http } = setup([response(500), response(201)]);
  const done = http.send(post());
  await clock.advance(1_000);
  assert.equal((await done).httpStatusCode, 500);
  assert.equal(inner.at.length, 1);
});

test('http › gives up after maxAttempts and hands back the last answer', async () => {
  const { clock, inner, http } = setup([response(503), response(503), response(503), response(503)], { maxAttempts: 3 });
  const done = http.send(get());
  await clock.advance(10_000);
  assert.equal((await done).httpStatusCode, 503);
  assert.equal(inner.at.length, 3);
});

test('http › gives up when the next delay would pass maxElapsedMs, rethrowing the network error', async () => {
  const { clock, http } = setup([refused(), refused(), refused(), refused(), refused()], { maxElapsedMs: 500 });
  const done = http.send(get());
  const settled = assert.rejects(done, /fetch failed/);
  await clock.advance(10_000);
  await settled;
});

test('http › every attempt takes a rate-limiter token', async () => {
  const clock = new ManualClock();
  const inner = scripted(clock, [response(503), response(200), response(200)]);
  const limiter = new TokenBucket({ qps: 1, burst: 1, clock });
  const attempts: RequestAttempt[] = [];
  const http = new ResilientHttpLibrary({ limiter, clock, inner, random: () => 1, retry: { baseDelayMs: 10 }, observe: (a) => attempts.push(a) });
  const first = http.send(get());
  await clock.advance(5_000);
  await first;
  assert.deepEqual(
    attempts.map((a) => [a.status, a.attempt]),
    [
      [503, 1],
      [200, 2],
    ],
  );
  assert.equal(attempts[1]!.throttledMs, 990, 'the retry waited for a token, not only for its backoff');
});
