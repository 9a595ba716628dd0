// The condition update shared by Rollouts and Experiments (functions/api/conditions.ts), with the
// Rollout's rule (Argo's SetRolloutCondition) and the Experiment's (SetExperimentCondition).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ExperimentCondition, RolloutCondition } from '../../../functions/api/index.ts';
import { setCondition as setExperimentCondition } from '../../../functions/experiment/conditions.ts';
import { setCondition } from '../../../functions/rollout/decide/conditions.ts';

const EARLIER = '2026-01-01T00:00:00Z';
const NOW = '2026-01-01T00:10:00Z';
const existing: RolloutCondition = {
  type: 'Progressing',
  status: 'True',
  reason: 'ReplicaSetUpdated',
  message: 'ReplicaSet "demo-a" is progressing.',
  lastUpdateTime: EARLIER,
  lastTransitionTime: EARLIER,
};

describe('conditions › timestamps', () => {
  const cases: Array<[rule: string, value: Omit<RolloutCondition, 'lastUpdateTime' | 'lastTransitionTime'>, refresh: boolean, expected: Partial<RolloutCondition>]> = [
    ['same status and reason: kept as it is, message included', { ...existing, message: 'other' }, false, { message: existing.message, lastUpdateTime: EARLIER, lastTransitionTime: EARLIER }],
    ['same status and reason, refreshed: update time moves', existing, true, { lastUpdateTime: NOW, lastTransitionTime: EARLIER }],
    ['new reason, same status: transition time kept', { ...existing, reason: 'NewReplicaSetAvailable' }, false, { reason: 'NewReplicaSetAvailable', lastUpdateTime: NOW, lastTransitionTime: EARLIER }],
    ['new status: both times move', { ...existing, status: 'False', reason: 'ProgressDeadlineExceeded' }, false, { status: 'False', lastUpdateTime: NOW, lastTransitionTime: NOW }],
  ];
  for (const [rule, value, refresh, expected] of cases) {
    it(rule, () => {
      const [result] = setCondition([existing], value, NOW, refresh);
      assert.deepEqual({ ...result, ...expected }, result);
    });
  }

  it('a new condition is appended with both times now', () => {
    const list = setCondition([existing], { type: 'Paused', status: 'True', reason: 'RolloutPaused', message: 'Rollout is paused' }, NOW);
    assert.deepEqual(list.map((c) => [c.type, c.lastTransitionTime]), [['Progressing', EARLIER], ['Paused', NOW]]);
  });
});

describe('conditions › a new message alone', () => {
  const progressing: ExperimentCondition = { ...existing, type: 'Progressing' };
  const newMessage = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'other' } as const;

  it('is no change for a Rollout', () => {
    assert.deepEqual(setCondition([existing], newMessage, NOW), [existing]);
  });

  it('rewrites an Experiment condition; the transition time stays', () => {
    assert.deepEqual(setExperimentCondition([progressing], newMessage, NOW), [{ ...progressing, message: 'other', lastUpdateTime: NOW, lastTransitionTime: EARLIER }]);
  });
});
