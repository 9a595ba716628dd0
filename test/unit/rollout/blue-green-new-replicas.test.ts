import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blueGreenNewReplicaSetReplicas, type BlueGreenNewReplicaSetInput } from '../../../functions/rollout/blue-green-new-replicas.ts';

const update: BlueGreenNewReplicaSetInput = {
  replicas: 2,
  previewReplicaCount: 1,
  newRSHash: 'new',
  activeRSHash: 'old',
  currentPodHash: 'new',
};

describe('blue-green new ReplicaSet size › reference §9.1', () => {
  const cases: Array<[rule: string, input: BlueGreenNewReplicaSetInput, replicas: number]> = [
    ['without previewReplicaCount it is always full size', { ...update, previewReplicaCount: undefined }, 2],
    ['before the preview checkpoint it runs previewReplicaCount', update, 1],
    ['a fresh update (hash not yet recorded as current) starts at previewReplicaCount', { ...update, currentPodHash: 'old', scaleUpPreviewCheckPoint: true }, 1],
    ['past the checkpoint and not paused it scales to full', { ...update, scaleUpPreviewCheckPoint: true }, 2],
    ['past the checkpoint but spec.paused it stays at preview size', { ...update, scaleUpPreviewCheckPoint: true, paused: true }, 1],
    ['past the checkpoint but with a pause condition it stays at preview size', { ...update, scaleUpPreviewCheckPoint: true, hasPauseConditions: true }, 1],
    ['promoteFull scales it to full', { ...update, promoteFull: true }, 2],
    ['first deploy (no active RS) is full size', { ...update, activeRSHash: undefined }, 2],
    ['once active (promoted) it is full size', { ...update, activeRSHash: 'new' }, 2],
    ['previewReplicaCount 0 keeps the preview empty', { ...update, previewReplicaCount: 0 }, 0],
  ];
  for (const [rule, input, replicas] of cases) {
    it(`${rule} → ${replicas}`, () => assert.equal(blueGreenNewReplicaSetReplicas(input), replicas));
  }

  it('kitchen-sink timeline (§9.7b): 1 pod for preview and analysis, 2 after the auto-promotion pause completes', () => {
    const sizes = [
      blueGreenNewReplicaSetReplicas({ ...update, currentPodHash: 'old' }), // template just changed
      blueGreenNewReplicaSetReplicas(update), // pre-promotion analysis running
      blueGreenNewReplicaSetReplicas({ ...update, hasPauseConditions: true }), // BlueGreenPause
      blueGreenNewReplicaSetReplicas({ ...update, scaleUpPreviewCheckPoint: true }), // pause completed
      blueGreenNewReplicaSetReplicas({ ...update, activeRSHash: 'new' }), // active switched
    ];
    assert.deepEqual(sizes, [1, 1, 1, 2, 2]);
  });
});
