import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../controller/kube/manual-clock.ts';
import { runOnce } from '../../../controller/resync/run-once.ts';

test('run once › every key is handled once and the summary reports failures', async () => {
  const seen: string[] = [];
  const summary = await runOnce({
    keys: ['ns/a', 'ns/b', 'ns/c'],
    clock: new ManualClock(),
    handler: (key) => {
      seen.push(key);
      if (key === 'ns/b') throw new Error('ReplicaSet quota exceeded');
    },
  });
  assert.deepEqual(seen.sort(), ['ns/a', 'ns/b', 'ns/c']);
  assert.equal(summary.processed, 3);
  assert.equal(summary.runs, 3);
  assert.deepEqual(summary.failed, [{ key: 'ns/b', error: 'ReplicaSet quota exceeded' }]);
  assert.equal(summary.aborted, false);
});

test('run once › immediate requeues are followed within the pass, up to maxRunsPerKey', async () => {
  const runs = new Map<string, number>();
  const summary = await runOnce({
    keys: ['ns/converges', 'ns/loops'],
    clock: new ManualClock(),
    maxRunsPerKey: 4,
    handler: (key) => {
      const n = (runs.get(key) ?? 0) + 1;
      runs.set(key, n);
      if (key === 'ns/converges' && n < 3) return { requeueAfterMs: 0 };
      if (key === 'ns/loops') return { requeueAfterMs: 0 };
      return undefined;
    },
  });
  assert.equal(runs.get('ns/converges'), 3);
  assert.equal(runs.get('ns/loops'), 4);
  assert.equal(summary.processed, 2);
  assert.equal(summary.runs, 7);
  assert.deepEqual(
    summary.wakeUps.map((w) => w.key),
    ['ns/loops'],
  );
});

test('run once › later wake-ups are reported, earliest first, not waited for', async () => {
  const clock = new ManualClock();
  const t0 = clock.now();
  const summary = await runOnce({
    keys: ['ns/pause-60s', 'ns/pause-10s', 'ns/done'],
    clock,
    handler: (key) => (key === 'ns/done' ? undefined : { requeueAfterMs: key === 'ns/pause-60s' ? 60_000 : 10_000 }),
  });
  assert.deepEqual(
    summary.wakeUps.map((w) => [w.key, w.at.getTime() - t0]),
    [
      ['ns/pause-10s', 10_000],
      ['ns/pause-60s', 60_000],
    ],
  );
});

test('run once › a key that fails then succeeds on a followed requeue is not reported failed', async () => {
  let n = 0;
  const summary = await runOnce({
    keys: ['ns/a'],
    clock: new ManualClock(),
    handler: () => {
      n++;
      if (n === 1) return { requeueAfterMs: 0 };
      return undefined;
    },
  });
  assert.deepEqual(summary.failed, []);
});

test('run once › an aborted pass stops taking keys and says so', async () => {
  const controller = new AbortController();
  controller.abort();
  const summary = await runOnce({ keys: ['ns/a'], clock: new ManualClock(), handler: () => undefined, signal: controller.signal });
  assert.equal(summary.processed, 0);
  assert.equal(summary.aborted, true);
});
