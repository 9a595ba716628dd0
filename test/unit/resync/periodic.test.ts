import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RESYNC_SCHEDULE, nodeCronScheduler, startPeriodicResync, validateResyncSchedule, type CronScheduler } from '../../../controller/resync/periodic.ts';
import { WorkQueue } from '../../../controller/resync/queue.ts';
import { ManualClock } from '../../../controller/kube/manual-clock.ts';

/** A scheduler that records what was scheduled and fires ticks when told. */
function fakeScheduler() {
  const jobs: Array<{ expression: string; name: string; task: () => void; stopped: boolean }> = [];
  const scheduler: CronScheduler = {
    schedule(expression, task, options) {
      const job = { expression, name: options.name, task, stopped: false };
      jobs.push(job);
      return { stop: () => void (job.stopped = true) };
    },
  };
  const tick = () => {
    for (const j of jobs) if (!j.stopped) j.task();
  };
  return { scheduler, jobs, tick };
}

test('resync › the default schedule is every 30 seconds and valid for node-cron', () => {
  assert.equal(DEFAULT_RESYNC_SCHEDULE, '*/30 * * * * *');
  validateResyncSchedule(DEFAULT_RESYNC_SCHEDULE);
});

test('resync › an invalid --resync expression is rejected with the field at fault', () => {
  assert.throws(() => validateResyncSchedule('*/30 * * * * * * *'), /invalid --resync cron expression/);
  assert.throws(() => validateResyncSchedule('70 * * * * *'), /second "70"/);
  assert.throws(() => validateResyncSchedule('every 30s'), /expected 5 or 6 fields/);
});

test('resync › each tick enqueues every key of every synced cache', async () => {
  const { scheduler, jobs, tick } = fakeScheduler();
  const runs: string[] = [];
  const queue = new WorkQueue({ clock: new ManualClock(), handler: (k) => void runs.push(k) });
  const counts: number[] = [];
  const resync = startPeriodicResync({
    schedule: '*/15 * * * * *',
    name: 'rollouts',
    scheduler,
    queue,
    sources: [
      { keys: () => ['ns/a', 'ns/b'], hasSynced: () => true },
      { keys: () => ['ns/c'] },
      { keys: () => ['ns/never'], hasSynced: () => false },
    ],
    onResync: (n) => counts.push(n),
  });
  assert.deepEqual(
    jobs.map((j) => [j.expression, j.name]),
    [['*/15 * * * * *', 'rollouts']],
  );
  tick();
  await queue.idle();
  tick();
  await queue.idle();
  assert.deepEqual(runs.sort(), ['ns/a', 'ns/a', 'ns/b', 'ns/b', 'ns/c', 'ns/c']);
  assert.deepEqual(counts, [3, 3]);
  await resync.stop();
  assert.equal(jobs[0]!.stopped, true);
});

test('resync › leaves keys that are backing off after a failure to their retry', async () => {
  const { scheduler, tick } = fakeScheduler();
  let runs = 0;
  const queue = new WorkQueue({
    clock: new ManualClock(),
    handler: () => {
      runs++;
      throw new Error('nope');
    },
  });
  startPeriodicResync({ scheduler, queue, sources: [{ keys: () => ['ns/a'] }] });
  tick();
  await queue.idle();
  tick();
  await queue.idle();
  assert.equal(runs, 1);
});

test('resync › node-cron really fires the job, and stop() removes it', async () => {
  const scheduler = nodeCronScheduler();
  let fired = 0;
  let resolveFired!: () => void;
  const firedOnce = new Promise<void>((r) => (resolveFired = r));
  const job = scheduler.schedule(
    '* * * * * *',
    () => {
      fired++;
      resolveFired();
    },
    { name: 'unit-test-every-second' },
  );
  await firedOnce;
  await job.stop();
  const after = fired;
  assert.ok(after >= 1);
});
