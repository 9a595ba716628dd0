import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, settle } from '../../../controller/kube/manual-clock.ts';
import { WorkQueue, type ReconcileResult } from '../../../controller/resync/queue.ts';

/** A handler whose runs the test finishes by hand. */
function gatedHandler() {
  const started: string[] = [];
  const gates = new Map<string, Array<(r?: ReconcileResult | Error) => void>>();
  let running = 0;
  let maxRunning = 0;
  const handler = (key: string) => {
    started.push(key);
    running++;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<ReconcileResult | void>((resolve, reject) => {
      const list = gates.get(key) ?? [];
      list.push((r) => {
        running--;
        if (r instanceof Error) reject(r);
        else resolve(r);
      });
      gates.set(key, list);
    });
  };
  const finish = async (key: string, r?: ReconcileResult | Error) => {
    const fn = gates.get(key)?.shift();
    assert.ok(fn, `${key} is not running`);
    fn(r);
    await settle();
  };
  return { handler, started, finish, maxRunning: () => maxRunning };
}

test('queue › a key added many times while it waits is processed once', async () => {
  const g = gatedHandler();
  const q = new WorkQueue({ workers: 1, clock: new ManualClock(), handler: g.handler });
  q.add('ns/busy');
  for (let i = 0; i < 5; i++) {
    q.add('ns/a');
    q.add('ns/b');
  }
  assert.equal(q.stats().ready, 2);
  await g.finish('ns/busy');
  await g.finish('ns/a');
  await g.finish('ns/b');
  await q.idle();
  assert.deepEqual(g.started, ['ns/busy', 'ns/a', 'ns/b']);
});

test('queue › the same key never runs on two workers at once; an add while it runs re-runs it once after', async () => {
  const g = gatedHandler();
  const q = new WorkQueue({ workers: 4, clock: new ManualClock(), handler: g.handler });
  q.add('ns/a');
  await settle();
  q.add('ns/a');
  q.add('ns/a');
  await settle();
  assert.deepEqual(g.started, ['ns/a'], 'second add waits for the first run');
  await g.finish('ns/a');
  assert.deepEqual(g.started, ['ns/a', 'ns/a'], 're-run once, not twice');
  await g.finish('ns/a');
  await q.idle();
  assert.equal(g.maxRunning(), 1);
});

test('queue › runs at most `workers` keys concurrently', async () => {
  const g = gatedHandler();
  const q = new WorkQueue({ workers: 2, clock: new ManualClock(), handler: g.handler });
  for (const k of ['a', 'b', 'c', 'd']) q.add(`ns/${k}`);
  await settle();
  assert.deepEqual(g.started, ['ns/a', 'ns/b']);
  await g.finish('ns/a');
  assert.deepEqual(g.started, ['ns/a', 'ns/b', 'ns/c'], 'a freed worker takes the next key in order');
  await g.finish('ns/b');
  await g.finish('ns/c');
  await g.finish('ns/d');
  await q.idle();
  assert.equal(g.maxRunning(), 2);
});

test('queue › failures back off exponentially per key, capped, and success resets', async () => {
  const clock = new ManualClock();
  const at: number[] = [];
  let fail = 5;
  const q = new WorkQueue({
    workers: 1,
    clock,
    backoff: { baseMs: 1_000, maxMs: 5_000 },
    handler: () => {
      at.push(clock.now());
      if (fail-- > 0) throw new Error('API says no');
    },
  });
  const t0 = clock.now();
  q.add('ns/a');
  await clock.advance(60_000);
  assert.deepEqual(
    at.map((t) => t - t0),
    [0, 1_000, 3_000, 7_000, 12_000, 17_000],
    'delays 1s, 2s, 4s, then capped at 5s',
  );
  assert.equal(q.failures('ns/a'), 0, 'success forgets the failures');
  assert.equal(q.stats().delayed, 0);
});

test('queue › a failing key does not hold up other keys', async () => {
  const clock = new ManualClock();
  const runs: string[] = [];
  const q = new WorkQueue({
    workers: 1,
    clock,
    handler: (key) => {
      runs.push(key);
      if (key === 'ns/bad') throw new Error('broken');
    },
  });
  q.add('ns/bad');
  q.add('ns/good');
  await q.idle();
  assert.deepEqual(runs, ['ns/bad', 'ns/good']);
  assert.equal(q.isBackingOff('ns/bad'), true);
});

test('queue › resync adds respect a key\'s backoff; event adds do not', async () => {
  const clock = new ManualClock();
  let runs = 0;
  const q = new WorkQueue({
    workers: 1,
    clock,
    backoff: { baseMs: 60_000 },
    handler: () => {
      runs++;
      throw new Error('still broken');
    },
  });
  q.add('ns/a');
  await q.idle();
  assert.equal(runs, 1);
  q.add('ns/a', { respectBackoff: true });
  await q.idle();
  assert.equal(runs, 1, 'the periodic resync leaves a backing-off key alone');
  q.add('ns/a');
  await q.idle();
  assert.equal(runs, 2, 'a watch event runs it now: the change may be the fix');
});

test('queue › wakeAt keeps only the earliest pending wake-up for a key', async () => {
  const clock = new ManualClock();
  const at: number[] = [];
  const q = new WorkQueue({ workers: 1, clock, handler: () => void at.push(clock.now()) });
  const t0 = clock.now();
  q.wakeAt('ns/a', new Date(t0 + 10_000));
  q.wakeAt('ns/a', new Date(t0 + 30_000)); // later: ignored
  q.addAfter('ns/a', 5_000); // earlier: replaces
  assert.equal(q.pendingWakeUp('ns/a')?.getTime(), t0 + 5_000);
  await clock.advance(60_000);
  assert.deepEqual(
    at.map((t) => t - t0),
    [5_000],
  );
});

test('queue › a handler result schedules the next look', async () => {
  const clock = new ManualClock();
  const at: number[] = [];
  let n = 0;
  const q = new WorkQueue({
    workers: 1,
    clock,
    handler: () => {
      at.push(clock.now());
      return n++ === 0 ? { requeueAfterMs: 20_000, requeueAt: new Date(clock.now() + 8_000) } : undefined;
    },
  });
  const t0 = clock.now();
  q.add('ns/a');
  await clock.advance(60_000);
  assert.deepEqual(
    at.map((t) => t - t0),
    [0, 8_000],
    'the earlier of requeueAt and requeueAfterMs',
  );
});

test('queue › a wake-up in the past runs the key now', async () => {
  const clock = new ManualClock();
  const runs: string[] = [];
  const q = new WorkQueue({ clock, handler: (k) => void runs.push(k) });
  q.wakeAt('ns/a', new Date(clock.now() - 1));
  await q.idle();
  assert.deepEqual(runs, ['ns/a']);
});

test('queue › shutdown waits for running handlers, drops queued keys and wake-ups, refuses new keys', async () => {
  const clock = new ManualClock();
  const g = gatedHandler();
  const q = new WorkQueue({ workers: 1, clock, handler: g.handler });
  q.add('ns/a');
  q.add('ns/b');
  q.addAfter('ns/c', 1_000);
  await settle();
  let finished = false;
  const stopping = q.shutdown().then((r) => {
    finished = true;
    return r;
  });
  q.add('ns/d');
  await settle();
  assert.equal(finished, false, 'still waiting for ns/a');
  await g.finish('ns/a');
  assert.deepEqual(await stopping, { abandoned: [] });
  await clock.advance(5_000);
  assert.deepEqual(g.started, ['ns/a']);
});

test('queue › shutdown with processQueued drains the ready keys first', async () => {
  const runs: string[] = [];
  const q = new WorkQueue({ workers: 1, clock: new ManualClock(), handler: (k) => void runs.push(k) });
  q.add('ns/a');
  q.add('ns/b');
  q.add('ns/c');
  await q.shutdown({ processQueued: true });
  assert.deepEqual(runs, ['ns/a', 'ns/b', 'ns/c']);
});

test('queue › shutdown timeout aborts the handlers\' signal and reports what was running', async () => {
  const clock = new ManualClock();
  let seen: AbortSignal | undefined;
  const q = new WorkQueue({
    workers: 1,
    clock,
    handler: (_key, ctx) => {
      seen = ctx.signal;
      return new Promise<void>(() => {});
    },
  });
  q.add('ns/stuck');
  await settle();
  const stopping = q.shutdown({ timeoutMs: 5_000 });
  await clock.advance(5_000);
  assert.deepEqual(await stopping, { abandoned: ['ns/stuck'] });
  assert.equal(seen?.aborted, true);
});

test('queue › onProcessed reports each run with its error', async () => {
  const infos: Array<{ key: string; failed: boolean }> = [];
  const q = new WorkQueue({
    clock: new ManualClock(),
    retryOnError: false,
    handler: (key) => {
      if (key === 'ns/x') throw new Error('x');
    },
    onProcessed: (i) => infos.push({ key: i.key, failed: i.error !== undefined }),
  });
  q.add('ns/x');
  q.add('ns/y');
  await q.idle();
  assert.deepEqual(
    infos.sort((a, b) => a.key.localeCompare(b.key)),
    [
      { key: 'ns/x', failed: true },
      { key: 'ns/y', failed: false },
    ],
  );
});

test('queue › forget drops a deleted object\'s failures and wake-ups', async () => {
  const clock = new ManualClock();
  const q = new WorkQueue({
    clock,
    handler: () => {
      throw new Error('x');
    },
  });
  q.add('ns/gone');
  await q.idle();
  assert.equal(q.isBackingOff('ns/gone'), true);
  q.forget('ns/gone');
  assert.deepEqual(q.stats(), { ready: 0, inFlight: 0, delayed: 0, failing: 0 });
});
