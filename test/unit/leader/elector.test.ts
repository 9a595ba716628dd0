// The election state machine against an in-memory LeaseStore (our own interface) and a manual
// clock. Whether a real API server enforces resourceVersion on Leases is checked in
// test/integration/leader-election.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, settle } from '../../../controller/kube/manual-clock.ts';
import { validateTimings } from '../../../controller/leader/config.ts';
import { LeaderElector, type ElectionOutcome } from '../../../controller/leader/elector.ts';
import { microTime, type LeaseRecord, type LeaseStore } from '../../../controller/leader/lease-store.ts';
import { MemoryLeaseStore } from './memory-lease-store.ts';

/** A view of the store that can be cut off, as a partitioned replica would be. */
function cutOff(store: LeaseStore): LeaseStore & { down: boolean } {
  const view = {
    description: store.description,
    down: false,
    get: (s?: AbortSignal) => (view.down ? Promise.reject(new Error('connect ECONNREFUSED')) : store.get(s)),
    create: (r: LeaseRecord, s?: AbortSignal) => (view.down ? Promise.reject(new Error('connect ECONNREFUSED')) : store.create(r, s)),
    update: (r: LeaseRecord, v: string, s?: AbortSignal) => (view.down ? Promise.reject(new Error('connect ECONNREFUSED')) : store.update(r, v, s)),
  };
  return view;
}

interface Candidate {
  elector: LeaderElector;
  stop: AbortController;
  outcome: Promise<ElectionOutcome>;
  log: string[];
  leadership?: AbortSignal;
}

function candidate(id: string, store: LeaseStore, clock: ManualClock, extra: { releaseOnCancel?: boolean; onStopped?: () => void } = {}): Candidate {
  const log: string[] = [];
  const stop = new AbortController();
  const c: Partial<Candidate> = { log, stop };
  c.elector = new LeaderElector({
    store,
    identity: id,
    clock,
    random: () => 0,
    ...(extra.releaseOnCancel !== undefined ? { releaseOnCancel: extra.releaseOnCancel } : {}),
    onStartedLeading: (signal) => {
      c.leadership = signal;
      log.push('started');
    },
    onStoppedLeading: () => {
      log.push('stopped');
      extra.onStopped?.();
    },
  });
  c.outcome = c.elector.run(stop.signal);
  return c as Candidate;
}

test('leader election › defaults are Argo\'s 15s / 10s / 2s and bad combinations are refused', () => {
  validateTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
  assert.throws(() => validateTimings({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 }), /lease-duration.*must be greater than.*renew-deadline/);
  assert.throws(() => validateTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }), /renew-deadline.*1\.2/);
  assert.throws(() => validateTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 0 }), /retry-period must be positive/);
});

test('leader election › a lone candidate creates the Lease, leads, and renews every retry period', async () => {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  const a = candidate('a', store, clock);
  await settle();
  assert.equal(a.elector.isLeader(), true);
  assert.deepEqual(a.log, ['started']);
  assert.deepEqual(store.stored?.record, {
    holderIdentity: 'a',
    leaseDurationSeconds: 15,
    acquireTime: microTime(clock.now()),
    renewTime: microTime(clock.now()),
    leaseTransitions: 0,
  });
  await clock.advance(6_000);
  assert.equal(store.stored?.record.renewTime, microTime(clock.now()), 'renewed at the last retry period');
  assert.equal(store.writes.length, 4, 'create + 3 renewals in 6 s');
  a.stop.abort();
  assert.equal(await a.outcome, 'stopped');
});

test('leader election › two candidates on one Lease: exactly one leads; the other takes over as soon as the first releases', async () => {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  let holderWhenStopping: string | undefined;
  const a = candidate('a', store, clock, { onStopped: () => (holderWhenStopping = store.holder()) });
  await settle();
  const b = candidate('b', store, clock);
  await clock.advance(30_000);
  assert.equal(a.elector.isLeader(), true);
  assert.equal(b.elector.isLeader(), false);
  assert.equal(b.elector.leader(), 'a', 'the follower knows who leads');
  assert.deepEqual(b.log, []);

  a.stop.abort();
  assert.equal(await a.outcome, 'stopped');
  assert.equal(holderWhenStopping, 'a', 'the work stops before the lease is let go');
  assert.equal(store.holder(), '', 'released on graceful shutdown');
  const releasedAt = clock.now();
  await clock.advance(2_400);
  assert.equal(b.elector.isLeader(), true, 'took over within one retry period, not a lease duration');
  assert.ok(clock.now() - releasedAt < 15_000);
  assert.equal(store.stored?.record.leaseTransitions, 1);
  assert.equal(store.holder(), 'b');
  b.stop.abort();
  await b.outcome;
});

test('leader election › a leader that vanishes without releasing is replaced only after the lease duration', async () => {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  const aView = cutOff(store);
  const a = candidate('a', aView, clock);
  await settle();
  const b = candidate('b', store, clock);
  await clock.advance(4_000);
  aView.down = true; // a is partitioned: it can no longer renew
  const lastRenewal = clock.now() - (clock.now() % 2_000);
  await clock.advance(12_000);
  assert.equal(b.elector.isLeader(), false, 'b waits while the lease may still be valid');
  assert.equal(a.elector.isLeader(), false, 'a gave up after its renew deadline');
  assert.equal(await a.outcome, 'lost');
  assert.deepEqual(a.log, ['started', 'stopped']);
  assert.equal(a.leadership?.aborted, true);
  await clock.advance(8_000);
  assert.equal(b.elector.isLeader(), true);
  assert.ok(clock.now() - lastRenewal >= 15_000);
  b.stop.abort();
  await b.outcome;
});

test('leader election › a leader that finds someone else holding the Lease stops at once', async () => {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  const a = candidate('a', store, clock);
  await settle();
  const current = (await store.get())!;
  await store.update({ ...current.record, holderIdentity: 'intruder' }, current.resourceVersion);
  await clock.advance(2_000);
  assert.equal(await a.outcome, 'lost');
  assert.equal(a.elector.isLeader(), false);
  assert.deepEqual(a.log, ['started', 'stopped']);
});

test('leader election › a stale resourceVersion never wins: racing candidates for an expired lease yield one leader', async () => {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  // An expired lease held by a dead process.
  await store.create({ holderIdentity: 'dead', leaseDurationSeconds: 15, renewTime: microTime(clock.now()), leaseTransitions: 3 });
  const cs = ['x', 'y', 'z'].map((id) => candidate(id, store, clock));
  await clock.advance(20_000);
  const leaders = cs.filter((c) => c.elector.isLeader());
  assert.equal(leaders.length, 1);
  assert.equal(store.holder(), leaders[0]!.elector.identity);
  assert.equal(store.stored?.record.leaseTransitions, 4);
  for (const c of cs) c.stop.abort();
  await Promise.all(cs.map((c) => c.outcome));
});

test('leader election › releaseOnCancel false leaves the Lease to expire (Argo\'s behaviour)', async () => {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  const a = candidate('a', store, clock, { releaseOnCancel: false });
  await settle();
  a.stop.abort();
  await a.outcome;
  assert.equal(store.holder(), 'a');
});

test('leader election › stopping before ever leading does not touch callbacks', async () => {
  const clock = new ManualClock();
  const store = new MemoryLeaseStore();
  await store.create({ holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: microTime(clock.now()), leaseTransitions: 0 });
  const a = candidate('a', store, clock);
  await clock.advance(3_000);
  a.stop.abort();
  assert.equal(await a.outcome, 'stopped');
  assert.deepEqual(a.log, []);
  assert.equal(store.holder(), 'other');
});

test('lease store › MicroTime has exactly six fractional digits', () => {
  assert.equal(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), '2026-01-02T03:04:05.678000Z');
});
