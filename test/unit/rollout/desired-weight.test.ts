import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applicableSetCanaryScale,
  desiredCanaryScale,
  desiredWeight,
  type CanaryStepLike,
  type DesiredWeightInput,
} from '../../../functions/rollout/desired-weight.ts';

const ladder: CanaryStepLike[] = [{ setWeight: 10 }, {}, { setWeight: 50 }, {}, { setWeight: 80 }];
const updating = { stableRS: 'old', currentPodHash: 'new' } as const;

describe('desired weight › promotion state', () => {
  const cases: Array<[rule: string, input: DesiredWeightInput, weight: number]> = [
    ['first deploy (no stable RS) takes the max weight', { steps: ladder, currentPodHash: 'new' }, 100],
    ['an empty stableRS counts as none', { steps: ladder, stableRS: '', currentPodHash: 'new' }, 100],
    ['fully promoted (current == stable) takes the max weight', { steps: ladder, stableRS: 'new', currentPodHash: 'new' }, 100],
    ['promoteFull takes the max weight', { steps: ladder, ...updating, promoteFull: true }, 100],
    ['promoteFull wins over abort', { steps: ladder, ...updating, promoteFull: true, aborted: true }, 100],
    ['the max weight follows maxTrafficWeight', { steps: ladder, ...updating, promoteFull: true, maxWeight: 1000 }, 1000],
  ];
  for (const [rule, input, weight] of cases) {
    it(`${rule} → ${weight}`, () => assert.equal(desiredWeight(input), weight));
  }
});

describe('desired weight › step ladder', () => {
  const cases: Array<[rule: string, input: DesiredWeightInput, weight: number]> = [
    ['the current setWeight step', { steps: ladder, ...updating, currentStepIndex: 2 }, 50],
    ['a pause step keeps the setWeight before it', { steps: ladder, ...updating, currentStepIndex: 3 }, 50],
    ['an unset currentStepIndex reads as step 0', { steps: ladder, ...updating }, 10],
    ['no setWeight at or before the step is 0', { steps: [{}, { setWeight: 30 }], ...updating, currentStepIndex: 0 }, 0],
    ['past the last step is the max weight', { steps: ladder, ...updating, currentStepIndex: 5 }, 100],
    ['no steps at all is the max weight', { steps: [], ...updating }, 100],
    ['past the last step with maxTrafficWeight 200 is 200', { steps: ladder, ...updating, currentStepIndex: 5, maxWeight: 200 }, 200],
    ['aborted is 0', { steps: ladder, ...updating, currentStepIndex: 4, aborted: true }, 0],
    ['aborted past the last step is still 0', { steps: ladder, ...updating, currentStepIndex: 5, aborted: true }, 0],
    ['setCanaryScale does not change the ladder weight', { steps: [{ setWeight: 20 }, { setCanaryScale: { weight: 90 } }], ...updating, currentStepIndex: 1, trafficRouted: true }, 20],
  ];
  for (const [rule, input, weight] of cases) {
    it(`${rule} → ${weight}`, () => assert.equal(desiredWeight(input), weight));
  }

  it('a negative currentStepIndex is a programming error', () => {
    assert.throws(() => desiredWeight({ steps: ladder, ...updating, currentStepIndex: -1 }), RangeError);
  });
});

describe('desired weight › abort with dynamicStableScale steps back down the ladder', () => {
  const steps: CanaryStepLike[] = [{ setWeight: 10 }, { setWeight: 50 }, { setWeight: 80 }];
  const aborting = { steps, ...updating, currentStepIndex: 3, aborted: true, trafficRouted: true };
  const cases: Array<[rule: string, dynamic: DesiredWeightInput['dynamicStableScale'], extra: Partial<DesiredWeightInput>, weight: number]> = [
    ['stable 2 of 10 available, canary 8: the largest setWeight below 8 pods is 50', { replicas: 10, stableAvailable: 2, canaryAvailable: 8 }, {}, 50],
    ['stable 6 available but canary still 8 available: still 50', { replicas: 10, stableAvailable: 6, canaryAvailable: 8 }, {}, 50],
    ['stable 6 and canary 4 available: 10 (1 pod) is the only step below 4', { replicas: 10, stableAvailable: 6, canaryAvailable: 4 }, {}, 10],
    ['stable fully available and canary gone: 0', { replicas: 10, stableAvailable: 10, canaryAvailable: 0 }, {}, 0],
    ['an explicit abort delay ignores canary availability (stable 6 → 4 pods needed → 10)', { replicas: 10, stableAvailable: 6, canaryAvailable: 8 }, { abortScaleDownDelaySeconds: 30 }, 10],
    ['abortScaleDownDelaySeconds 0 is not an explicit delay', { replicas: 10, stableAvailable: 6, canaryAvailable: 8 }, { abortScaleDownDelaySeconds: 0 }, 50],
    ['without the new RS the plain abort rule applies', { replicas: 10, stableAvailable: 2 }, {}, 0],
    ['without the stable RS the plain abort rule applies', { replicas: 10, canaryAvailable: 8 }, {}, 0],
  ];
  for (const [rule, dynamic, extra, weight] of cases) {
    it(`${rule} → ${weight}`, () => assert.equal(desiredWeight({ ...aborting, ...extra, dynamicStableScale: dynamic }), weight));
  }

  it('not aborted, dynamicStableScale changes nothing', () => {
    assert.equal(desiredWeight({ steps, ...updating, currentStepIndex: 1, dynamicStableScale: { replicas: 10, stableAvailable: 2, canaryAvailable: 8 } }), 50);
  });
});

describe('desired canary scale › setCanaryScale', () => {
  const steps: CanaryStepLike[] = [
    { setWeight: 20 },
    { setCanaryScale: { replicas: 3 } },
    { setWeight: 40 },
    { setCanaryScale: { weight: 60 } },
    { setWeight: 70 },
    { setCanaryScale: { matchTrafficWeight: true } },
    { setWeight: 90 },
    { setCanaryScale: {} },
  ];
  const routed = { steps, ...updating, trafficRouted: true };
  const cases: Array<[rule: string, input: DesiredWeightInput, scale: ReturnType<typeof desiredCanaryScale>]> = [
    ['before any setCanaryScale the ladder weight applies', { ...routed, currentStepIndex: 0 }, { weight: 20 }],
    ['setCanaryScale.replicas gives an explicit count', { ...routed, currentStepIndex: 1 }, { weight: 0, canaryReplicas: 3 }],
    ['it persists across later setWeight steps', { ...routed, currentStepIndex: 2 }, { weight: 0, canaryReplicas: 3 }],
    ['setCanaryScale.weight replaces the ladder weight', { ...routed, currentStepIndex: 4 }, { weight: 60 }],
    ['matchTrafficWeight returns to the ladder', { ...routed, currentStepIndex: 6 }, { weight: 90 }],
    ['an empty setCanaryScale falls through to the ladder', { ...routed, currentStepIndex: 7 }, { weight: 90 }],
    ['past the last step setCanaryScale no longer applies', { ...routed, currentStepIndex: 8 }, { weight: 100 }],
    ['without traffic routing it is ignored', { ...routed, trafficRouted: false, currentStepIndex: 2 }, { weight: 40 }],
    ['aborted with the default abort delay it is ignored', { ...routed, currentStepIndex: 2, aborted: true }, { weight: 0 }],
    ['aborted with abortScaleDownDelaySeconds 30 it is ignored', { ...routed, currentStepIndex: 2, aborted: true, abortScaleDownDelaySeconds: 30 }, { weight: 0 }],
    ['aborted with abortScaleDownDelaySeconds 0 it still applies', { ...routed, currentStepIndex: 2, aborted: true, abortScaleDownDelaySeconds: 0 }, { weight: 0, canaryReplicas: 3 }],
    ['promoteFull overrides it with the max weight', { ...routed, currentStepIndex: 2, promoteFull: true }, { weight: 100 }],
    ['fully promoted overrides it with the max weight', { ...routed, currentStepIndex: 2, stableRS: 'new' }, { weight: 100 }],
  ];
  for (const [rule, input, scale] of cases) {
    it(`${rule} → ${JSON.stringify(scale)}`, () => assert.deepEqual(desiredCanaryScale(input), scale));
  }

  it('applicableSetCanaryScale returns the step value itself', () => {
    assert.deepEqual(applicableSetCanaryScale({ ...routed, currentStepIndex: 4 }), { weight: 60 });
    assert.equal(applicableSetCanaryScale({ ...routed, currentStepIndex: 6 }), undefined);
  });
});
