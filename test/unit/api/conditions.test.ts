// The condition update shared by Rollouts and Experiments (the Rollout's rules in detail:
// test/unit/rollout/decide/conditions.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ExperimentCondition, setCondition } from '../../../functions/api/index.ts';

const EARLIER = '2026-01-01T00:00:00Z';
const NOW = '2026-01-01T00:10:00Z';
const existing: ExperimentCondition = {
  type: 'Progressing',
  status: 'True',
  reason: 'ReplicaSetUpdated',
  message: 'Experiment "e" is progressing.',
  lastUpdateTime: EARLIER,
  lastTransitionTime: EARLIER,
};
const newMessage = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'other' } as const;

describe('conditions › a new message alone', () => {
  it('is no change by default (Argo SetRolloutCondition)', () => {
    assert.deepEqual(setCondition([existing], newMessage, NOW), [existing]);
  });

  it('rewrites the condition with messageIsChange (Argo SetExperimentCondition); the transition time stays', () => {
    assert.deepEqual(setCondition([existing], newMessage, NOW, { messageIsChange: true }), [
      { ...existing, message: 'other', lastUpdateTime: NOW, lastTransitionTime: EARLIER },
    ]);
  });
});
