import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { olderReplicaSetsScaleDown, rollingUpdateReplicaCounts, type OlderReplicaSet } from '../../../functions/rollout/rolling-update.ts';
import { resolveSurgeAndUnavailable, rollingUpdateBounds } from '../../../functions/rollout/surge-and-unavailable.ts';
import type { IntOrPercentInput } from '../../../functions/values/int-or-percent.ts';

describe('rolling update bounds › maxSurge rounds up, maxUnavailable rounds down', () => {
  const cases: Array<[R: number, surge: IntOrPercentInput | undefined, unavailable: IntOrPercentInput | undefined, expected: ReturnType<typeof rollingUpdateBounds>]> = [
    [10, undefined, undefined, { maxSurge: 3, maxUnavailable: 2, maxTotalReplicas: 13, minAvailableReplicas: 8 }],
    [10, '25', '25', { maxSurge: 3, maxUnavailable: 2, maxTotalReplicas: 13, minAvailableReplicas: 8 }],
    [10, '25%', '25%', { maxSurge: 3, maxUnavailable: 2, maxTotalReplicas: 13, minAvailableReplicas: 8 }],
    [1, undefined, undefined, { maxSurge: 1, maxUnavailable: 0, maxTotalReplicas: 2, minAvailableReplicas: 1 }],
    [4, 1, 0, { maxSurge: 1, maxUnavailable: 0, maxTotalReplicas: 5, minAvailableReplicas: 4 }],
    [10, 3, '3', { maxSurge: 3, maxUnavailable: 0, maxTotalReplicas: 13, minAvailableReplicas: 10 }],
    [10, '0%', '0%', { maxSurge: 0, maxUnavailable: 1, maxTotalReplicas: 10, minAvailableReplicas: 9 }],
    [10, 0, 0, { maxSurge: 0, maxUnavailable: 1, maxTotalReplicas: 10, minAvailableReplicas: 9 }],
    [3, '10%', '10%', { maxSurge: 1, maxUnavailable: 0, maxTotalReplicas: 4, minAvailableReplicas: 3 }],
    [4, '200%', '200%', { maxSurge: 8, maxUnavailable: 4, maxTotalReplicas: 12, minAvailableReplicas: 0 }],
    [4, 0, 9, { maxSurge: 0, maxUnavailable: 4, maxTotalReplicas: 4, minAvailableReplicas: 0 }],
    [0, undefined, undefined, { maxSurge: 0, maxUnavailable: 0, maxTotalReplicas: 0, minAvailableReplicas: 0 }],
    [0, 2, 2, { maxSurge: 2, maxUnavailable: 0, maxTotalReplicas: 2, minAvailableReplicas: 0 }],
  ];
  for (const [R, surge, unavailable, expected] of cases) {
    it(`R=${R} surge ${surge ?? 'unset'} unavailable ${unavailable ?? 'unset'} → surge ${expected.maxSurge} unavailable ${expected.maxUnavailable}`, () => {
      assert.deepEqual(rollingUpdateBounds(R, surge, unavailable), expected);
      assert.deepEqual(resolveSurgeAndUnavailable(R, surge, unavailable), { maxSurge: expected.maxSurge, maxUnavailable: expected.maxUnavailable });
    });
  }

  it('replicas that are not a non-negative integer are a programming error', () => {
    assert.throws(() => rollingUpdateBounds(-1, 1, 1), RangeError);
    assert.throws(() => rollingUpdateBounds(1.5, 1, 1), RangeError);
  });

  it('an invalid bound surfaces as ValueParseError', () => {
    assert.throws(() => rollingUpdateBounds(10, '-1', 1), { name: 'ValueParseError' });
  });
});

describe('rolling update › canary without steps replaces every pod within the bounds', () => {
  const cases: Array<[R: number, surge: IntOrPercentInput | undefined, unavailable: IntOrPercentInput | undefined]> = [
    [10, undefined, undefined],
    [10, 1, 0],
    [10, 0, 1],
    [5, '50%', '0%'],
    [3, 0, '100%'],
    [1, undefined, undefined],
  ];
  for (const [R, maxSurge, maxUnavailable] of cases) {
    it(`R=${R} surge ${maxSurge ?? 'unset'} unavailable ${maxUnavailable ?? 'unset'} ends with all ${R} pods new and none old`, () => {
      const { maxTotalReplicas, minAvailableReplicas } = rollingUpdateBounds(R, maxSurge, maxUnavailable);
      let stable = { replicas: R, availableReplicas: R };
      let canary = { replicas: 0, availableReplicas: 0 };
      for (let reconcile = 0; reconcile < 50; reconcile++) {
        const desired = rollingUpdateReplicaCounts({ replicas: R, maxSurge, maxUnavailable, stable, canary });
        if (desired.stable !== stable.replicas) {
          stable = { replicas: desired.stable, availableReplicas: Math.min(stable.availableReplicas, desired.stable) };
        } else if (desired.canary !== canary.replicas) {
          canary = { replicas: desired.canary, availableReplicas: canary.availableReplicas };
        } else {
          assert.deepEqual({ stable: stable.replicas, canary: canary.replicas }, { stable: 0, canary: R });
          return;
        }
        assert.ok(stable.replicas + canary.replicas <= maxTotalReplicas, 'exceeded replicas + maxSurge');
        assert.ok(stable.availableReplicas + canary.availableReplicas >= minAvailableReplicas, 'fell below replicas − maxUnavailable');
        canary = { ...canary, availableReplicas: canary.replicas }; // new pods become ready
      }
      assert.fail('did not finish in 50 reconciles');
    });
  }

  it('the first reconcile of R=10 with defaults asks for 3 new pods and scales the old ones to 8', () => {
    assert.deepEqual(
      rollingUpdateReplicaCounts({ replicas: 10, stable: { replicas: 10, availableReplicas: 10 }, canary: { replicas: 0, availableReplicas: 0 } }),
      { canary: 3, stable: 8 },
    );
  });
});

describe('rolling update › older ReplicaSets of a basic canary', () => {
  const older = (revision: number, replicas: number, availableReplicas = replicas): OlderReplicaSet => ({ revision, replicas, availableReplicas });
  const cases: Array<[rule: string, input: Parameters<typeof olderReplicaSetsScaleDown>[0], expected: number[]]> = [
    [
      'with enough available pods an older RS goes straight to 0',
      { replicas: 10, canary: { replicas: 10, availableReplicas: 10 }, older: [older(1, 3)] },
      [0],
    ],
    [
      'the budget is available pods minus (replicas − maxUnavailable)',
      { replicas: 10, maxSurge: 1, maxUnavailable: 0, canary: { replicas: 8, availableReplicas: 8 }, older: [older(1, 3)] },
      [2],
    ],
    [
      'the stable RS counts toward the available pods',
      { replicas: 10, maxSurge: 1, maxUnavailable: 0, canary: { replicas: 4, availableReplicas: 4 }, stable: { replicas: 6, availableReplicas: 6 }, older: [older(1, 2)] },
      [0],
    ],
    [
      'newest revision first',
      { replicas: 10, maxSurge: 1, maxUnavailable: 0, canary: { replicas: 9, availableReplicas: 9 }, older: [older(1, 2), older(2, 2)] },
      [1, 0],
    ],
    [
      'equal revisions: the later-created one first',
      { replicas: 10, maxSurge: 1, maxUnavailable: 0, canary: { replicas: 9, availableReplicas: 9 }, older: [older(3, 2), older(3, 2)] },
      [1, 0],
    ],
    [
      'no budget leaves healthy older pods alone',
      { replicas: 10, maxSurge: 1, maxUnavailable: 0, canary: { replicas: 7, availableReplicas: 7 }, older: [older(1, 3)] },
      [3],
    ],
    [
      'unavailable pods of an older RS are removed even without budget',
      { replicas: 10, maxSurge: 1, maxUnavailable: 0, canary: { replicas: 7, availableReplicas: 7 }, older: [older(1, 3, 1)] },
      [1],
    ],
    [
      'an RS still above its spec stops the pass (earlier RSs keep their cut)',
      { replicas: 10, canary: { replicas: 10, availableReplicas: 10 }, older: [older(1, 3, 1), older(2, 1, 2), older(3, 2)] },
      [1, 1, 2],
    ],
    [
      'RSs already at 0 are skipped',
      { replicas: 10, maxSurge: 1, maxUnavailable: 0, canary: { replicas: 10, availableReplicas: 10 }, older: [older(5, 0), older(1, 2)] },
      [0, 0],
    ],
  ];
  for (const [rule, input, expected] of cases) {
    it(`${rule} → ${JSON.stringify(expected)}`, () => assert.deepEqual(olderReplicaSetsScaleDown(input), expected));
  }
});
