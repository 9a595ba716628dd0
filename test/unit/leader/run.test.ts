import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, settle } from '../../../controller/kube/manual-clock.ts';
import { runLeaderWork, type LeaderWork } from '../../../controller/leader/run.ts';
import { MemoryLeaseStore } from './memory-lease-store.ts';

const timings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function recordingWork(failStart = false): LeaderWork & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    async start(signal) {
      log.push('start');
      signal.addEventListener('abort', () => log.push('leadership-ended'));
      if (failStart) throw new Error('CRDs not installed');
    },
    async stop() {
      log.push('stop');
    },
  };
}

test('run leader work › without election: starts at once, stops on shutdown', async () => {
  const work = recordingWork();
  const shutdown = new AbortController();
  const done = runLeaderWork({ work, signal: shutdown.signal });
  await settle();
  assert.deepEqual(work.log, ['start']);
  shutdown.abort();
  assert.equal(await done, 'stopped');
  assert.deepEqual(work.log, ['start', 'leadership-ended', 'stop']);
});

test('run leader work › with election: starts on winning, drains before releasing the lease', async () => {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  const work = recordingWork();
  let holderAtStop: string | undefined;
  const stop = work.stop;
  work.stop = async () => {
    holderAtStop = store.holder();
    await stop();
  };
  const shutdown = new AbortController();
  const done = runLeaderWork({ work, signal: shutdown.signal, clock, election: { store, identity: 'me', ...timings } });
  await clock.advance(10);
  assert.deepEqual(work.log, ['start']);
  shutdown.abort();
  assert.equal(await done, 'stopped');
  assert.deepEqual(work.log, ['start', 'leadership-ended', 'stop']);
  assert.equal(holderAtStop, 'me');
  assert.equal(store.holder(), '');
});

test('run leader work › a leader whose work cannot start steps down and reports why', async () => {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  const work = recordingWork(true);
  const done = runLeaderWork({ work, signal: new AbortController().signal, clock, election: { store, identity: 'me', ...timings } });
  const rejected = assert.rejects(done, /CRDs not installed/);
  await clock.advance(5_000);
  await rejected;
  assert.equal(store.holder(), '', 'the lease is released for another replica');
});
