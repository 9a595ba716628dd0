import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../../fixtures/index.ts';
import type { Rollout, RolloutCondition, RolloutStatus } from '../../../../functions/api/index.ts';
import { rolloutPhase } from '../../../../functions/rollout/decide/index.ts';

const T = '2026-01-01T00:00:00Z';
const cond = (type: RolloutCondition['type'], reason: string, message: string): RolloutCondition => ({
  type,
  status: 'True',
  reason,
  message,
  lastUpdateTime: T,
  lastTransitionTime: T,
});

const done: RolloutStatus = {
  replicas: 3,
  updatedReplicas: 3,
  availableReplicas: 3,
  currentPodHash: 'new',
  stableRS: 'new',
  blueGreen: { activeSelector: 'new' },
};
const canary = (): Rollout => aRollout().withReplicas(3).build();
const blueGreen = (post = false): Rollout =>
  aRollout().withReplicas(3).withBlueGreen('a', post ? { postPromotionAnalysis: { templates: [{ templateName: 't' }] } } : {}).build();

describe('phase › first matching rule wins (reference §3.3)', () => {
  const cases: Array<[rule: string, rollout: Rollout, status: RolloutStatus, phase: string, message: string]> = [
    ['InvalidSpec', canary(), { ...done, conditions: [cond('InvalidSpec', 'InvalidSpec', 'bad')] }, 'Degraded', 'InvalidSpec: bad'],
    ['aborted', canary(), { ...done, conditions: [cond('Progressing', 'RolloutAborted', 'Rollout aborted update to revision 2')] }, 'Degraded', 'RolloutAborted: Rollout aborted update to revision 2'],
    ['timed out', canary(), { ...done, conditions: [cond('Progressing', 'ProgressDeadlineExceeded', 'x')] }, 'Degraded', 'ProgressDeadlineExceeded: x'],
    ['spec.paused', aRollout().withReplicas(3).withSpec({ paused: true }).build(), done, 'Paused', 'manually paused'],
    ['a pause condition', canary(), { ...done, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: T }] }, 'Paused', 'CanaryPauseStep'],
    ['restarting', aRollout().withReplicas(3).withSpec({ restartAt: T }).build(), done, 'Progressing', 'rollout is restarting'],
    ['not all updated', canary(), { ...done, updatedReplicas: 2 }, 'Progressing', 'more replicas need to be updated'],
    ['updated not yet available', canary(), { ...done, availableReplicas: 2 }, 'Progressing', 'updated replicas are still becoming available'],
    ['blue-green before the switch', blueGreen(), { ...done, blueGreen: { activeSelector: 'old' } }, 'Progressing', 'active service cutover pending'],
    ['blue-green after the switch, stable behind', blueGreen(), { ...done, stableRS: 'old' }, 'Progressing', 'waiting for post-promotion verification to complete'],
    ['blue-green with post-promotion analysis', blueGreen(true), { ...done, stableRS: 'old' }, 'Progressing', 'waiting for analysis to complete'],
    ['canary with old pods left', canary(), { ...done, replicas: 4 }, 'Progressing', 'old replicas are pending termination'],
    ['canary steps not done', canary(), { ...done, stableRS: 'old' }, 'Progressing', 'waiting for all steps to complete'],
    ['canary done', canary(), done, 'Healthy', ''],
    ['blue-green done', blueGreen(), done, 'Healthy', ''],
  ];
  for (const [rule, rollout, status, phase, message] of cases) {
    it(`${rule} → ${phase}${message ? ` "${message}"` : ''}`, () => assert.deepEqual(rolloutPhase(rollout.spec, status), { phase, message }));
  }
});
