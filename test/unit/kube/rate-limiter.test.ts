import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, settle } from '../../../controller/kube/manual-clock.ts';
import { TokenBucket } from '../../../controller/kube/rate-limiter.ts';

test('token bucket › the first `burst` requests go through at once', () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 40, burst: 80, clock });
  for (let i = 0; i < 80; i++) assert.equal(bucket.tryAcquire(), true, `request ${i + 1}`);
  assert.equal(bucket.tryAcquire(), false, 'request 81 has to wait');
});

test('token bucket › refills at qps and never beyond burst', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 10, burst: 5, clock });
  for (let i = 0; i < 5; i++) bucket.tryAcquire();
  assert.equal(bucket.tryAcquire(), false);
  await clock.advance(100); // one token at 10/s
  assert.equal(bucket.tryAcquire(), true);
  assert.equal(bucket.tryAcquire(), false);
  await clock.advance(60_000);
  assert.equal(bucket.available(), 5, 'a long idle period refills to burst, not more');
});

test('token bucket › waiters are served in arrival order, one every 1/qps', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 4, burst: 1, clock });
  const served: Array<[number, number]> = [];
  const waits = [0, 1, 2, 3].map((i) => bucket.acquire().then(() => served.push([i, clock.now() - start])));
  const start = clock.now();
  await settle();
  assert.deepEqual(served, [[0, 0]]);
  await clock.advance(250);
  assert.deepEqual(served.at(-1), [1, 250]);
  await clock.advance(250);
  assert.deepEqual(served.at(-1), [2, 500]);
  await clock.advance(250);
  await Promise.all(waits);
  assert.deepEqual(served, [
    [0, 0],
    [1, 250],
    [2, 500],
    [3, 750],
  ]);
});

test('token bucket › long-run rate stays at qps under constant demand', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 40, burst: 80, clock });
  let done = 0;
  for (let i = 0; i < 480; i++) void bucket.acquire().then(() => done++);
  await clock.advance(10_000);
  // 80 from the burst plus 40 per second for 10 s.
  assert.equal(done, 480);
  let more = 0;
  for (let i = 0; i < 100; i++) void bucket.acquire().then(() => more++);
  await clock.advance(1_000);
  assert.equal(more, 40);
});

test('token bucket › an aborted wait rejects and gives its token back', async () => {
  const clock = new ManualClock();
  const bucket = new TokenBucket({ qps: 1, burst: 1, clock });
  bucket.tryAcquire();
  const controller = new AbortController();
  const waiting = bucket.acquire(controller.signal);
  controller.abort(new Error('shutting down'));
  await assert.rejects(waiting, /shutting down/);
  await clock.advance(1_000);
  assert.equal(bucket.tryAcquire(), true, 'the refilled token is available, not owed to the aborted waiter');
});

test('token bucket › qps <= 0 means no client-side limit', async () => {
  const bucket = new TokenBucket({ qps: 0, burst: 1, clock: new ManualClock() });
  for (let i = 0; i < 1000; i++) await bucket.acquire();
  assert.equal(bucket.tryAcquire(), true);
});

test('token bucket › rejects a non-finite qps', () => {
  assert.throws(() => new TokenBucket({ qps: Number.NaN, burst: 1 }), /qps must be a finite number/);
});
