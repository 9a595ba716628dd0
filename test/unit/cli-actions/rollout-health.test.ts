import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout, blueGreenPausedStatus, canaryAbortedStatus, canaryPausedStatus, invalidSpecStatus } from '../../fixtures/index.ts';
import { calculatePhase, formatHealth, healthVerdict, rolloutHealth } from '../../../functions/cli/index.ts';
import type { Rollout, RolloutStatus } from '../../../functions/api/index.ts';

const healthy: RolloutStatus = {
  phase: 'Healthy',
  observedGeneration: '2',
  currentPodHash: 'abc',
  stableRS: 'abc',
  replicas: 3,
  updatedReplicas: 3,
  availableReplicas: 3,
  readyReplicas: 3,
  currentStepIndex: 2,
};

const clientSide: Array<[string, Rollout, string]> = [
  ['the controller wrote Healthy', aRollout().withGeneration(2).withStatus(healthy).build(), 'Healthy'],
  ['paused at a canary step', aRollout().withGeneration(4).withStatus(canaryPausedStatus()).build(), 'Paused - CanaryPauseStep'],
  ['blue-green waiting for promotion', aRollout().withBlueGreen('active').withGeneration(2).withStatus(blueGreenPausedStatus()).build(), 'Paused - BlueGreenPause'],
  ['aborted', aRollout().withGeneration(4).withStatus(canaryAbortedStatus()).build(), 'Degraded - RolloutAborted: Rollout aborted update to revision 2'],
  ['invalid spec', aRollout().withGeneration(3).withStatus(invalidSpecStatus()).build(), `Degraded - ${invalidSpecStatus().message}`],
  ['a new spec not yet observed', aRollout().withGeneration(3).withStatus(healthy).build(), 'Progressing - waiting for rollout spec update to be observed'],
  ['a legacy hash in observedGeneration counts as observed', aRollout().withGeneration(3).withStatus({ ...healthy, observedGeneration: '5f7c9' }).build(), 'Healthy'],
  ['a legacy numeric hash above the generation counts as observed', aRollout().withGeneration(3).withStatus({ ...healthy, observedGeneration: '987654' }).build(), 'Healthy'],
  [
    'pause conditions cleared, controller has not reacted yet',
    aRollout().withGeneration(4).withStatus({ ...canaryPausedStatus(), pauseConditions: [] }).build(),
    'Progressing - waiting for rollout to unpause',
  ],
  [
    'workloadRef generation not yet observed',
    aRollout()
      .withGeneration(2)
      .withAnnotations({ 'rollout.argoproj.io/workload-generation': '5' })
      .withSpec({ workloadRef: { kind: 'Deployment', name: 'web' } })
      .withStatus({ ...healthy, workloadObservedGeneration: '4' })
      .build(),
    'Progressing - waiting for rollout spec update to be observed for the reference workload',
  ],
  ['no status at all: computed client-side', aRollout().build(), 'Progressing - more replicas need to be updated'],
];
for (const [name, rollout, line] of clientSide) {
  test(`rolloutHealth › ${name}`, () => assert.equal(formatHealth(rolloutHealth(rollout)), line));
}

// Argo's CalculateRolloutPhase, rule by rule (reference §3.3), for a controller that writes no phase.
const T = '2026-01-01T00:00:00Z';
const done: RolloutStatus = { currentPodHash: 'new', stableRS: 'new', replicas: 3, updatedReplicas: 3, availableReplicas: 3, currentStepIndex: 2 };
const calc: Array<[string, Rollout, string]> = [
  ['1 InvalidSpec condition', aRollout().withStatus({ conditions: [{ type: 'InvalidSpec', status: 'True', reason: 'InvalidSpec', message: 'bad', lastUpdateTime: T, lastTransitionTime: T }] }).build(), 'Degraded - InvalidSpec: bad'],
  ['2 RolloutAborted', aRollout().withStatus({ ...done, conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted', message: 'aborted it', lastUpdateTime: T, lastTransitionTime: T }] }).build(), 'Degraded - RolloutAborted: aborted it'],
  ['2 ProgressDeadlineExceeded', aRollout().withStatus({ ...done, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'slow', lastUpdateTime: T, lastTransitionTime: T }] }).build(), 'Degraded - ProgressDeadlineExceeded: slow'],
  ['3 spec.paused', aRollout().withSpec({ paused: true }).withStatus(done).build(), 'Paused - manually paused'],
  ['4 a pause condition', aRollout().withStatus({ ...done, pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: T }] }).build(), 'Paused - InconclusiveAnalysisRun'],
  ['5 restartAt not yet reached', aRollout().withSpec({ restartAt: T }).withStatus(done).build(), 'Progressing - rollout is restarting'],
  ['6 replicas to update', aRollout().withStatus({ ...done, updatedReplicas: 2 }).build(), 'Progressing - more replicas need to be updated'],
  ['7 updated not yet available', aRollout().withStatus({ ...done, availableReplicas: 2 }).build(), 'Progressing - updated replicas are still becoming available'],
  ['8 blue-green active switch pending', aRollout().withBlueGreen('active').withStatus({ ...done, blueGreen: { activeSelector: 'old' } }).build(), 'Progressing - active service cutover pending'],
  ['8 blue-green post-promotion verification', aRollout().withBlueGreen('active').withStatus({ ...done, stableRS: 'old', blueGreen: { activeSelector: 'new' } }).build(), 'Progressing - waiting for post-promotion verification to complete'],
  [
    '8 blue-green post-promotion analysis',
    aRollout().withBlueGreen('active', { postPromotionAnalysis: { templates: [{ templateName: 't' }] } }).withStatus({ ...done, stableRS: 'old', blueGreen: { activeSelector: 'new' } }).build(),
    'Progressing - waiting for analysis to complete',
  ],
  ['9 canary old pods still there', aRollout().withStatus({ ...done, replicas: 4 }).build(), 'Progressing - old replicas are pending termination'],
  ['9 canary steps not done', aRollout().withStatus({ ...done, stableRS: 'old' }).build(), 'Progressing - waiting for all steps to complete'],
  ['10 healthy', aRollout().withStatus(done).build(), 'Healthy'],
];
for (const [name, rollout, line] of calc) {
  test(`calculatePhase › ${name}`, () => {
    assert.equal(formatHealth(calculatePhase(rollout)), line);
    assert.equal(formatHealth(rolloutHealth(rollout)), line, 'rolloutHealth falls back to it without status.phase');
  });
}

test('healthVerdict › Healthy is done, Degraded failed, the rest waits', () => {
  assert.equal(healthVerdict({ status: 'Healthy', message: '' }), 'healthy');
  assert.equal(healthVerdict({ status: 'Degraded', message: 'x' }), 'degraded');
  assert.equal(healthVerdict({ status: 'Progressing', message: 'x' }), 'waiting');
  assert.equal(healthVerdict({ status: 'Paused', message: 'x' }), 'waiting');
});
