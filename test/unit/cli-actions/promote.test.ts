import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout, blueGreenPausedStatus, canaryAbortedStatus, canaryPausedStatus } from '../../fixtures/index.ts';
import { ActionRefused, promote, promoteFull, type RolloutWrite } from '../../../functions/cli/index.ts';
import type { RolloutStatus } from '../../../functions/api/index.ts';

const statusWrite = (status: Record<string, unknown>, fallbackSpec = true): RolloutWrite => ({
  type: 'merge',
  target: { kind: 'Rollout', name: 'demo' },
  subresource: 'status',
  body: { status } as never,
  fallback: (fallbackSpec ? { spec: { paused: false }, status } : { status }) as never,
});
const unpause: RolloutWrite = { type: 'merge', target: { kind: 'Rollout', name: 'demo' }, body: { spec: { paused: false } } };

const fourSteps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { analysis: { templates: [{ templateName: 'rate' }] } }];

const cases: Array<{ name: string; build: () => ReturnType<ReturnType<typeof aRollout>['build']>; writes: RolloutWrite[] }> = [
  {
    name: 'canary at a pause step: clears the pause conditions only',
    build: () => aRollout().withStatus(canaryPausedStatus()).build(),
    writes: [statusWrite({ pauseConditions: null })],
  },
  {
    name: 'blue-green waiting for promotion: clears the pause conditions',
    build: () => aRollout().withBlueGreen('active').withStatus(blueGreenPausedStatus()).build(),
    writes: [statusWrite({ pauseConditions: null })],
  },
  {
    name: 'canary at a setWeight step, not paused: skips the step',
    build: () => aRollout().withCanarySteps(fourSteps).withStatus({ currentStepIndex: 2 }).build(),
    writes: [statusWrite({ pauseConditions: null, currentStepIndex: 3 })],
  },
  {
    name: 'canary without currentStepIndex counts from step 0',
    build: () => aRollout().withCanarySteps(fourSteps).build(),
    writes: [statusWrite({ pauseConditions: null, currentStepIndex: 1 })],
  },
  {
    name: 'spec.paused and pause conditions: status patch first, then spec patch',
    build: () => aRollout().withSpec({ paused: true }).withStatus(canaryPausedStatus()).build(),
    writes: [statusWrite({ pauseConditions: null }), unpause],
  },
  {
    name: 'canary only spec.paused: unpauses and (as Argo) skips the current step',
    build: () => aRollout().withCanarySteps(fourSteps).withSpec({ paused: true }).withStatus({ currentStepIndex: 1 }).build(),
    writes: [statusWrite({ pauseConditions: null, currentStepIndex: 2 }), unpause],
  },
  {
    name: 'canary paused by spec with all steps done: the index stays at len(steps)',
    build: () => aRollout().withCanarySteps(fourSteps).withSpec({ paused: true }).withStatus({ currentStepIndex: 4 }).build(),
    writes: [statusWrite({ pauseConditions: null, currentStepIndex: 4 }), unpause],
  },
  {
    name: 'blue-green only spec.paused: spec patch only',
    build: () => aRollout().withBlueGreen('active').withSpec({ paused: true }).build(),
    writes: [unpause],
  },
  {
    name: 'canary without steps, spec.paused: spec patch only',
    build: () => aRollout().withCanarySteps([]).withSpec({ paused: true }).build(),
    writes: [unpause],
  },
  {
    name: 'inconclusive step analysis under controller pause: also lifts controllerPause and moves on',
    build: () =>
      aRollout()
        .withCanarySteps(fourSteps)
        .withStatus({
          currentStepIndex: 3,
          controllerPause: true,
          pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: '2026-01-01T00:00:00Z' }],
          canary: { currentStepAnalysisRunStatus: { name: 'demo-abc-2-3', status: 'Inconclusive' } },
        })
        .build(),
    writes: [statusWrite({ pauseConditions: null, controllerPause: false, currentStepIndex: 4 })],
  },
];

for (const c of cases) {
  test(`promote › ${c.name}`, () => {
    const plan = promote(c.build());
    assert.deepEqual(plan.writes, c.writes);
    assert.equal(plan.message, "rollout 'demo' promoted");
  });
}

const refusals: Array<{ name: string; status?: RolloutStatus; blueGreen?: boolean; steps?: typeof fourSteps; message: RegExp }> = [
  { name: 'blue-green not paused', blueGreen: true, status: { currentPodHash: 'a', stableRS: 'a' }, message: /^nothing to promote: blue-green rollout 'demo' is not paused \(to skip analysis and pauses to the end, use --full\)$/ },
  { name: 'canary with all steps done', steps: fourSteps, status: { currentStepIndex: 4 }, message: /^nothing to promote: rollout 'demo' has completed all 4 steps and is not paused/ },
  { name: 'canary without steps, not paused', steps: [], message: /^nothing to promote: rollout 'demo' is not paused/ },
  { name: 'aborted', status: canaryAbortedStatus(), message: /rollout 'demo' is aborted: run 'ramp retry demo'/ },
];

for (const r of refusals) {
  test(`promote › refused: ${r.name}`, () => {
    let builder = aRollout();
    if (r.blueGreen) builder = builder.withBlueGreen('active');
    if (r.steps) builder = builder.withCanarySteps(r.steps);
    if (r.status) builder = builder.withStatus(r.status);
    assert.throws(() => promote(builder.build()), (e: unknown) => e instanceof ActionRefused && r.message.test(e.message));
  });
}

test('promote --full › sets promoteFull while the current template is not stable', () => {
  const plan = promoteFull(aRollout().withStatus(canaryPausedStatus()).build());
  assert.deepEqual(plan.writes, [statusWrite({ promoteFull: true })]);
  assert.equal(plan.message, "rollout 'demo' fully promoted");
});

test('promote --full › also unpauses a paused rollout (status first)', () => {
  const plan = promoteFull(aRollout().withSpec({ paused: true }).withStatus(canaryPausedStatus()).build());
  assert.deepEqual(plan.writes, [statusWrite({ promoteFull: true }), unpause]);
});

test('promote --full › fully promoted but paused: only unpauses', () => {
  const plan = promoteFull(aRollout().withSpec({ paused: true }).withStatus({ currentPodHash: 'a', stableRS: 'a' }).build());
  assert.deepEqual(plan.writes, [unpause]);
});

test('promote --full › fully promoted and not paused: nothing to write', () => {
  const plan = promoteFull(aRollout().withStatus({ currentPodHash: 'a', stableRS: 'a' }).build());
  assert.deepEqual(plan.writes, []);
  assert.match(plan.message, /already fully promoted/);
});

test('promote --full › works on an aborted rollout', () => {
  const plan = promoteFull(aRollout().withStatus(canaryAbortedStatus()).build());
  assert.deepEqual(plan.writes, [statusWrite({ promoteFull: true })]);
});
