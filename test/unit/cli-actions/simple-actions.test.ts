import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout, canaryAbortedStatus, canaryPausedStatus, blueGreenPausedStatus } from '../../fixtures/index.ts';
import { abort, ActionRefused, formatRfc3339Seconds, pause, restart, resume, retry, retryExperimentPatch } from '../../../functions/cli/index.ts';

const target = { kind: 'Rollout', name: 'demo' } as const;

test('abort › sets status.abort through the status subresource', () => {
  const plan = abort(aRollout().withStatus(canaryPausedStatus()).build());
  assert.deepEqual(plan.writes, [{ type: 'merge', target, subresource: 'status', body: { status: { abort: true } }, fallback: { status: { abort: true } } }]);
  assert.equal(plan.message, "rollout 'demo' aborted");
});

test('abort › a rollout whose status has not been written yet can be aborted', () => {
  assert.equal(abort(aRollout().build()).writes.length, 1);
});

test('abort › already aborted: nothing to write', () => {
  const plan = abort(aRollout().withStatus(canaryAbortedStatus()).build());
  assert.deepEqual(plan.writes, []);
  assert.match(plan.message, /already aborted/);
});

test('abort › refused when fully promoted and the controller has seen the spec', () => {
  const rollout = aRollout().withGeneration(3).withStatus({ observedGeneration: '3', currentPodHash: 'abc', stableRS: 'abc' }).build();
  assert.throws(() => abort(rollout), (e: unknown) => e instanceof ActionRefused && /nothing to abort: rollout 'demo' is fully promoted/.test(e.message));
});

test('abort › allowed when fully promoted per status but a new spec is not yet observed', () => {
  const rollout = aRollout().withGeneration(4).withStatus({ observedGeneration: '3', currentPodHash: 'abc', stableRS: 'abc' }).build();
  assert.equal(abort(rollout).writes.length, 1);
});

test('retry › sets status.abort false through the status subresource', () => {
  const plan = retry(aRollout().withStatus(canaryAbortedStatus()).build());
  assert.deepEqual(plan.writes, [{ type: 'merge', target, subresource: 'status', body: { status: { abort: false } }, fallback: { status: { abort: false } } }]);
  assert.equal(plan.message, "rollout 'demo' retried");
});

test('retry › not aborted: nothing to write', () => {
  const plan = retry(aRollout().withStatus(canaryPausedStatus()).build());
  assert.deepEqual(plan.writes, []);
  assert.match(plan.message, /not aborted; nothing to retry/);
});

test('retry experiment › removes the whole status', () => {
  assert.deepEqual(retryExperimentPatch(), { status: null });
});

test('pause › sets spec.paused', () => {
  const plan = pause(aRollout().build());
  assert.deepEqual(plan.writes, [{ type: 'merge', target, body: { spec: { paused: true } } }]);
  assert.equal(plan.message, "rollout 'demo' paused");
});

test('pause › already paused: nothing to write', () => {
  assert.deepEqual(pause(aRollout().withSpec({ paused: true }).build()).writes, []);
});

test('resume › controller pause: clears the pause conditions (status first), nothing else', () => {
  const plan = resume(aRollout().withStatus(canaryPausedStatus()).build());
  assert.deepEqual(plan.writes, [
    { type: 'merge', target, subresource: 'status', body: { status: { pauseConditions: null } }, fallback: { spec: { paused: false }, status: { pauseConditions: null } } },
  ]);
  assert.equal(plan.message, "rollout 'demo' resumed");
});

test('resume › user pause: spec.paused false, never a step index', () => {
  const plan = resume(aRollout().withSpec({ paused: true }).withStatus({ currentStepIndex: 1 }).build());
  assert.deepEqual(plan.writes, [{ type: 'merge', target, body: { spec: { paused: false } } }]);
});

test('resume › both: status patch, then spec patch', () => {
  const plan = resume(aRollout().withBlueGreen('active').withSpec({ paused: true }).withStatus(blueGreenPausedStatus()).build());
  assert.deepEqual(
    plan.writes.map((w) => (w.type === 'merge' ? [w.subresource ?? 'main', w.body] : [])),
    [
      ['status', { status: { pauseConditions: null } }],
      ['main', { spec: { paused: false } }],
    ],
  );
});

test('resume › not paused: nothing to write', () => {
  const plan = resume(aRollout().build());
  assert.deepEqual(plan.writes, []);
  assert.match(plan.message, /not paused; nothing to resume/);
});

const restarts: Array<[string, Date, number, string, string]> = [
  ['now, milliseconds truncated', new Date('2026-03-04T05:06:07.890Z'), 0, '2026-03-04T05:06:07Z', "rollout 'demo' restarts now"],
  ['in 90 s', new Date('2026-03-04T05:06:07.000Z'), 90_000, '2026-03-04T05:07:37Z', "rollout 'demo' restarts at 2026-03-04T05:07:37Z"],
  ['across midnight', new Date('2026-12-31T23:59:59.999Z'), 1, '2027-01-01T00:00:00Z', "rollout 'demo' restarts at 2027-01-01T00:00:00Z"],
];
for (const [name, now, inMs, at, message] of restarts) {
  test(`restart › ${name}`, () => {
    const plan = restart(aRollout().build(), now, inMs);
    assert.deepEqual(plan.writes, [{ type: 'merge', target, body: { spec: { restartAt: at } } }]);
    assert.equal(plan.message, message);
  });
}

test('restart › a negative delay is a programming error', () => {
  assert.throws(() => restart(aRollout().build(), new Date(), -1), RangeError);
});

test('formatRfc3339Seconds › UTC with Z, like Go time.RFC3339', () => {
  assert.equal(formatRfc3339Seconds(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 999))), '2026-01-02T03:04:05Z');
});
