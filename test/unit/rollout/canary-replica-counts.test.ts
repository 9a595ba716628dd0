import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  approximateCanaryStableSplit,
  canaryReplicaCounts,
  trafficWeightToReplicas,
  type ReplicaSetCounts,
} from '../../../functions/rollout/canary-replica-counts.ts';
import { desiredCanaryScale, type CanaryStepLike } from '../../../functions/rollout/desired-weight.ts';
import { IntOrPercent } from '../../../functions/values/int-or-percent.ts';

type Pair = [spec: number, available: number];

/** One row of reference Appendix A: a rollout with the single step {setWeight: W, setCanaryScale?}. */
interface VectorRow {
  n: number;
  rule: string;
  R: number;
  W: number;
  S?: number | string;
  U?: number | string;
  stable: Pair;
  canary?: Pair;
  older?: Pair;
  promoteFull?: boolean;
  aborted?: boolean;
  trafficRouted?: boolean;
  setCanaryScale?: CanaryStepLike['setCanaryScale'];
  abortScaleDownDelaySeconds?: number;
  minPodsPerReplicaSet?: number;
  expect: { stable: number; canary: number };
}

const appendixA: VectorRow[] = [
  { n: 1, rule: 'available pods above spec are not counted', R: 10, W: 100, S: 3, U: 0, stable: [7, 8], canary: [6, 3], expect: { stable: 7, canary: 6 } },
  { n: 2, rule: 'integer maxSurge sizes the first canary pods', R: 10, W: 20, S: 2, U: 0, stable: [10, 10], canary: [0, 0], expect: { stable: 10, canary: 2 } },
  { n: 3, rule: 'percentage maxSurge sizes the first canary pods', R: 10, W: 20, S: '20%', U: 0, stable: [10, 10], canary: [0, 0], expect: { stable: 10, canary: 2 } },
  { n: 4, rule: 'surplus stable pods are scaled down once the canary is available', R: 10, W: 20, S: '20%', U: 0, stable: [10, 10], canary: [2, 2], expect: { stable: 8, canary: 2 } },
  { n: 5, rule: 'the canary does not grow past maxSurge', R: 10, W: 30, S: 2, U: 0, stable: [10, 10], canary: [0, 0], expect: { stable: 10, canary: 2 } },
  { n: 6, rule: 'integer maxUnavailable makes room by scaling stable down', R: 10, W: 20, S: 0, U: 2, stable: [10, 10], canary: [0, 0], expect: { stable: 8, canary: 0 } },
  { n: 7, rule: 'percentage maxUnavailable makes room by scaling stable down', R: 10, W: 20, S: 0, U: '20%', stable: [10, 10], canary: [0, 0], expect: { stable: 8, canary: 0 } },
  { n: 8, rule: 'stable does not drop past maxUnavailable', R: 10, W: 30, S: 0, U: 2, stable: [10, 10], canary: [0, 0], expect: { stable: 8, canary: 0 } },
  { n: 9, rule: 'surge and unavailability are used together', R: 10, W: 50, S: 2, U: 1, stable: [10, 10], canary: [0, 0], expect: { stable: 9, canary: 2 } },
  { n: 10, rule: 'weight 0 scales the canary to zero', R: 10, W: 0, S: 1, U: 1, stable: [10, 10], canary: [1, 1], expect: { stable: 10, canary: 0 } },
  { n: 11, rule: 'weight 100 scales the stable to zero', R: 10, W: 100, S: 1, U: 1, stable: [1, 1], canary: [10, 10], expect: { stable: 0, canary: 10 } },
  { n: 12, rule: 'a non-zero weight keeps at least one canary pod (R=1, surge)', R: 1, W: 20, S: 1, U: 0, stable: [1, 1], canary: [0, 0], expect: { stable: 1, canary: 1 } },
  { n: 13, rule: 'a weight below 100 keeps the stable pod (R=1, surge)', R: 1, W: 90, S: 1, U: 0, stable: [1, 1], canary: [0, 0], expect: { stable: 1, canary: 1 } },
  { n: 14, rule: 'R=1 without surge rounds a weight below 50 to no canary', R: 1, W: 49, S: 0, U: 1, stable: [1, 1], canary: [0, 0], expect: { stable: 1, canary: 0 } },
  { n: 15, rule: 'R=1 without surge drops the stable first for a weight above 50', R: 1, W: 51, S: 0, U: 1, stable: [1, 1], canary: [0, 0], expect: { stable: 0, canary: 0 } },
  { n: 16, rule: 'R=1 without surge then starts the canary pod', R: 1, W: 51, S: 0, U: 1, stable: [0, 0], canary: [0, 0], expect: { stable: 0, canary: 1 } },
  { n: 17, rule: 'stable grows before the canary and older pods block scale-down', R: 10, W: 30, S: 1, U: 0, stable: [1, 1], canary: [0, 0], older: [3, 3], expect: { stable: 7, canary: 1 } },
  { n: 18, rule: 'crash-looping stable pods do not block the canary', R: 10, W: 30, S: 0, U: 3, stable: [8, 5], canary: [4, 4], expect: { stable: 7, canary: 3 } },
  { n: 19, rule: 'scale-down counts the stable spec and the canary available pods', R: 10, W: 100, S: 1, U: 0, stable: [10, 2], canary: [10, 8], expect: { stable: 2, canary: 9 } },
  { n: 20, rule: 'nothing shrinks while an older ReplicaSet has pods', R: 10, W: 30, S: 0, U: 1, stable: [8, 6], canary: [4, 2], older: [3, 3], expect: { stable: 8, canary: 4 } },
  { n: 21, rule: 'an uneven weight without surge drops a stable pod first', R: 10, W: 5, S: 0, U: 1, stable: [10, 10], canary: [0, 0], expect: { stable: 9, canary: 0 } },
  { n: 22, rule: 'an uneven weight without surge then adds the canary pod', R: 10, W: 5, S: 0, U: 1, stable: [9, 9], canary: [0, 0], expect: { stable: 9, canary: 1 } },
  { n: 23, rule: 'maxUnavailable becomes 1 when both resolve to 0', R: 10, W: 10, S: '0%', U: '0%', stable: [10, 10], canary: [0, 0], expect: { stable: 9, canary: 0 } },
  { n: 24, rule: 'setCanaryScale.replicas sets the canary with traffic routing', R: 1, W: 100, stable: [1, 1], trafficRouted: true, setCanaryScale: { replicas: 9 }, expect: { stable: 1, canary: 9 } },
  { n: 25, rule: 'setCanaryScale.weight sizes the canary with traffic routing', R: 4, W: 100, stable: [4, 4], trafficRouted: true, setCanaryScale: { weight: 200 }, expect: { stable: 4, canary: 8 } },
  { n: 26, rule: 'matchTrafficWeight makes setCanaryScale follow setWeight', R: 10, W: 20, S: '20%', U: 0, stable: [10, 10], canary: [0, 0], trafficRouted: true, setCanaryScale: { replicas: 9, weight: 100, matchTrafficWeight: true }, expect: { stable: 10, canary: 2 } },
  { n: 27, rule: 'setCanaryScale is ignored without traffic routing', R: 10, W: 20, S: '20%', U: 0, stable: [10, 10], canary: [0, 0], setCanaryScale: { replicas: 9, weight: 100 }, expect: { stable: 10, canary: 2 } },
  { n: 28, rule: 'maxSurge holds while the stable is unavailable', R: 4, W: 100, S: 1, U: 0, stable: [4, 1], canary: [0, 0], expect: { stable: 4, canary: 1 } },
  { n: 29, rule: 'scale down to maxUnavailable without exceeding maxSurge', R: 3, W: 99, S: 0, U: 2, stable: [3, 3], canary: [0, 0], expect: { stable: 1, canary: 0 } },
  { n: 30, rule: 'then grow the canary into the freed room', R: 3, W: 99, S: 0, U: 2, stable: [1, 1], canary: [0, 0], expect: { stable: 1, canary: 2 } },
  { n: 31, rule: 'maxUnavailable holds while the stable is unavailable', R: 4, W: 100, S: 1, U: 0, stable: [4, 1], canary: [1, 1], expect: { stable: 3, canary: 1 } },
  { n: 32, rule: 'reducing weight surges the stable before the canary shrinks', R: 4, W: 0, S: 1, U: 0, stable: [0, 0], canary: [4, 4], expect: { stable: 1, canary: 4 } },
  { n: 33, rule: 'reducing weight waits for the surged stable pod', R: 4, W: 0, S: 1, U: 0, stable: [1, 0], canary: [4, 4], expect: { stable: 1, canary: 4 } },
  { n: 34, rule: 'reducing weight shrinks the canary by what maxUnavailable allows', R: 4, W: 0, S: 1, U: 0, stable: [1, 1], canary: [4, 4], expect: { stable: 1, canary: 3 } },
  { n: 35, rule: 'promoteFull ignores the step weight', R: 4, W: 1, S: 4, U: 4, stable: [4, 4], canary: [0, 0], promoteFull: true, expect: { stable: 0, canary: 4 } },
  { n: 36, rule: 'promoteFull still honours maxSurge and maxUnavailable', R: 4, W: 1, S: 3, U: 0, stable: [4, 4], canary: [0, 0], promoteFull: true, expect: { stable: 4, canary: 3 } },
  { n: 37, rule: 'aborted with abortScaleDownDelaySeconds 0 keeps setCanaryScale', R: 1, W: 0, stable: [1, 1], canary: [1, 1], trafficRouted: true, aborted: true, setCanaryScale: { replicas: 1 }, abortScaleDownDelaySeconds: 0, expect: { stable: 1, canary: 1 } },
  { n: 38, rule: 'aborted with abortScaleDownDelaySeconds 30 drops setCanaryScale', R: 1, W: 0, stable: [1, 1], canary: [1, 1], trafficRouted: true, aborted: true, setCanaryScale: { replicas: 1 }, abortScaleDownDelaySeconds: 30, expect: { stable: 1, canary: 0 } },
  { n: 39, rule: 'minPodsPerReplicaSet raises a small canary', R: 10, W: 5, stable: [10, 10], canary: [0, 0], trafficRouted: true, minPodsPerReplicaSet: 2, expect: { stable: 10, canary: 2 } },
  { n: 40, rule: 'minPodsPerReplicaSet is capped at replicas', R: 1, W: 100, stable: [1, 1], canary: [0, 0], trafficRouted: true, promoteFull: true, minPodsPerReplicaSet: 2, expect: { stable: 1, canary: 1 } },
];

const counts = ([replicas, availableReplicas]: Pair): ReplicaSetCounts => ({ replicas, availableReplicas });
const describePair = (p: Pair | undefined): string => (p === undefined ? '–' : `${p[0]}/${p[1]}`);

describe('canary replica counts › reference Appendix A', () => {
  it('has all 40 vectors', () => {
    assert.deepEqual(appendixA.map((row) => row.n), Array.from({ length: 40 }, (_, i) => i + 1));
  });

  for (const row of appendixA) {
    const name =
      `A${row.n} ${row.rule}: R=${row.R} W=${row.W} surge ${row.S ?? '–'} unavailable ${row.U ?? '–'} ` +
      `stable ${describePair(row.stable)} canary ${describePair(row.canary)} → stable ${row.expect.stable} canary ${row.expect.canary}`;
    it(name, () => {
      const step: CanaryStepLike = { setWeight: row.W, ...(row.setCanaryScale ? { setCanaryScale: row.setCanaryScale } : {}) };
      const scale = desiredCanaryScale({
        steps: [step],
        currentStepIndex: 0,
        stableRS: 'stable-hash',
        currentPodHash: 'canary-hash',
        promoteFull: row.promoteFull,
        aborted: row.aborted,
        trafficRouted: row.trafficRouted,
        abortScaleDownDelaySeconds: row.abortScaleDownDelaySeconds,
      });
      const result = canaryReplicaCounts({
        replicas: row.R,
        desiredWeight: scale.weight,
        setCanaryScaleReplicas: scale.canaryReplicas,
        maxSurge: row.S ?? 0,
        maxUnavailable: row.U ?? 0,
        stable: counts(row.stable),
        canary: row.canary ? counts(row.canary) : undefined,
        older: row.older ? [counts(row.older)] : [],
        trafficRouting: row.trafficRouted ? { minPodsPerReplicaSet: row.minPodsPerReplicaSet } : undefined,
      });
      assert.deepEqual(result, row.expect);
    });
  }
});

describe('canary replica counts › target split approximates the weight (reference §8.11 example C)', () => {
  const cases: Array<[R: number, W: number, surge: number, canary: number, stable: number]> = [
    [3, 50, 1, 2, 2], // (2,4) is exactly 50 % using the surge pod
    [3, 50, 0, 2, 1], // a .5 tie rounds the canary up
    [1, 20, 1, 1, 1],
    [1, 49, 0, 0, 1],
    [1, 51, 0, 1, 0],
    [10, 5, 0, 1, 9],
    [10, 20, 3, 2, 8],
    [4, 50, 1, 2, 2],
    [10, 1, 1, 1, 10], // 1 of 11 is closer to 1 % than 1 of 10
    [10, 99, 1, 10, 1],
    [2, 1, 0, 1, 1], // never 0 canary for a weight strictly between 0 and 100 with R>1
    [2, 99, 0, 1, 1], // nor 0 stable
    [10, 0, 1, 0, 10],
    [10, 100, 1, 10, 0],
    [0, 50, 1, 0, 0],
  ];
  for (const [R, W, surge, canary, stable] of cases) {
    it(`R=${R} W=${W} surge ${surge} → canary ${canary} stable ${stable}`, () => {
      assert.deepEqual(approximateCanaryStableSplit(R, W, 100, surge), { canary, stable });
    });
  }

  it('a max weight other than 100 scales the same way (W=100 of 200 is half)', () => {
    assert.deepEqual(approximateCanaryStableSplit(4, 100, 200, 0), { canary: 2, stable: 2 });
  });
});

describe('canary replica counts › without a distinct stable ReplicaSet', () => {
  it('a fully promoted new RS is driven to spec.replicas and stable reports 0', () => {
    assert.deepEqual(
      canaryReplicaCounts({ replicas: 10, desiredWeight: 100, canary: { replicas: 7, availableReplicas: 7 } }),
      { canary: 10, stable: 0 },
    );
  });

  it('a scaled-down rollout shrinks the new RS to spec.replicas', () => {
    assert.deepEqual(
      canaryReplicaCounts({ replicas: 5, desiredWeight: 100, canary: { replicas: 10, availableReplicas: 10 } }),
      { canary: 5, stable: 0 },
    );
  });

  it('the weight is ignored when there is nothing to split with', () => {
    assert.deepEqual(
      canaryReplicaCounts({ replicas: 4, desiredWeight: 20, canary: { replicas: 0, availableReplicas: 0 } }),
      { canary: 4, stable: 0 },
    );
  });

  it('before the new RS exists only the stable is sized', () => {
    assert.deepEqual(
      canaryReplicaCounts({ replicas: 10, desiredWeight: 20, stable: { replicas: 10, availableReplicas: 10 } }),
      { canary: 0, stable: 8 },
    );
  });
});

describe('canary replica counts › maxSurge and maxUnavailable defaults and forms', () => {
  const base = { replicas: 10, desiredWeight: 20, stable: { replicas: 10, availableReplicas: 10 }, canary: { replicas: 0, availableReplicas: 0 } };

  it('unset means 25 % each (surge 3, unavailable 2 of 10)', () => {
    assert.deepEqual(canaryReplicaCounts(base), { canary: 2, stable: 8 });
  });

  it('a string without % is a percentage ("3" of 10 is 1 pod of surge)', () => {
    assert.deepEqual(canaryReplicaCounts({ ...base, desiredWeight: 30, maxSurge: '3', maxUnavailable: 0 }), { canary: 1, stable: 10 });
  });

  it('parsed IntOrPercent values are accepted as well as raw ones', () => {
    assert.deepEqual(
      canaryReplicaCounts({ ...base, maxSurge: IntOrPercent.ofInt(2), maxUnavailable: IntOrPercent.ofInt(0) }),
      canaryReplicaCounts({ ...base, maxSurge: 2, maxUnavailable: 0 }),
    );
  });

  it('an invalid raw value surfaces as ValueParseError', () => {
    assert.throws(() => canaryReplicaCounts({ ...base, maxSurge: '2%5' }), { name: 'ValueParseError' });
  });

  it('counts that are not non-negative integers are a programming error', () => {
    assert.throws(() => canaryReplicaCounts({ ...base, replicas: -1 }), RangeError);
    assert.throws(() => canaryReplicaCounts({ ...base, canary: { replicas: 1.5, availableReplicas: 0 } }), RangeError);
    assert.throws(() => canaryReplicaCounts({ ...base, maxWeight: 0 }), RangeError);
  });
});

describe('canary replica counts › traffic routed (reference §8.11 example D)', () => {
  it('R=10 W=33 → canary ceil(3.3)=4, stable stays 10', () => {
    assert.deepEqual(canaryReplicaCounts({ replicas: 10, desiredWeight: 33, trafficRouting: {} }), { canary: 4, stable: 10 });
  });

  it('minPodsPerReplicaSet 5 raises the canary to 5', () => {
    assert.deepEqual(
      canaryReplicaCounts({ replicas: 10, desiredWeight: 33, trafficRouting: { minPodsPerReplicaSet: 5 } }),
      { canary: 5, stable: 10 },
    );
  });

  it('minPodsPerReplicaSet leaves a zero canary at zero', () => {
    assert.deepEqual(
      canaryReplicaCounts({ replicas: 10, desiredWeight: 0, trafficRouting: { minPodsPerReplicaSet: 5 } }),
      { canary: 0, stable: 10 },
    );
  });

  it('dynamicStableScale keeps the stable at 10 while the router still sends it 100 %', () => {
    assert.deepEqual(
      canaryReplicaCounts({
        replicas: 10,
        desiredWeight: 33,
        trafficRouting: { dynamicStableScale: true, currentWeights: { canary: 0, stable: 100 } },
      }),
      { canary: 4, stable: 10 },
    );
  });

  it('dynamicStableScale shrinks the stable to ceil(6.7)=7 once the router reports 67 %', () => {
    assert.deepEqual(
      canaryReplicaCounts({
        replicas: 10,
        desiredWeight: 33,
        trafficRouting: { dynamicStableScale: true, currentWeights: { canary: 33, stable: 67 } },
      }),
      { canary: 4, stable: 7 },
    );
  });

  it('dynamicStableScale without reported weights sizes the stable from the desired weight', () => {
    assert.deepEqual(
      canaryReplicaCounts({ replicas: 10, desiredWeight: 33, trafficRouting: { dynamicStableScale: true } }),
      { canary: 4, stable: 7 },
    );
  });

  it('dynamicStableScale while aborting keeps canary pods for the traffic it still gets', () => {
    assert.deepEqual(
      canaryReplicaCounts({
        replicas: 10,
        desiredWeight: 0,
        trafficRouting: { dynamicStableScale: true, aborted: true, currentWeights: { canary: 50, stable: 50 } },
      }),
      { canary: 5, stable: 10 },
    );
  });

  it('dynamicStableScale applies minPodsPerReplicaSet to both sides', () => {
    assert.deepEqual(
      canaryReplicaCounts({
        replicas: 10,
        desiredWeight: 95,
        trafficRouting: { dynamicStableScale: true, minPodsPerReplicaSet: 3, currentWeights: { canary: 95, stable: 5 } },
      }),
      { canary: 10, stable: 3 },
    );
  });

  it('an explicit setCanaryScale count is used as is', () => {
    assert.deepEqual(
      canaryReplicaCounts({ replicas: 10, desiredWeight: 0, setCanaryScaleReplicas: 1, trafficRouting: { minPodsPerReplicaSet: 3 } }),
      { canary: 1, stable: 10 },
    );
  });

  it('a basic canary ignores setCanaryScaleReplicas', () => {
    assert.deepEqual(
      canaryReplicaCounts({ replicas: 4, desiredWeight: 100, setCanaryScaleReplicas: 9, stable: { replicas: 4, availableReplicas: 4 }, canary: { replicas: 0, availableReplicas: 0 }, maxSurge: 1, maxUnavailable: 0 }),
      { canary: 1, stable: 4 },
    );
  });

  it('traffic weight to replicas rounds up', () => {
    assert.equal(trafficWeightToReplicas(10, 33, 100), 4);
    assert.equal(trafficWeightToReplicas(10, 30, 100), 3);
    assert.equal(trafficWeightToReplicas(3, 1, 1000), 1);
    assert.equal(trafficWeightToReplicas(3, 0, 100), 0);
  });
});

describe('canary replica counts › transient states', () => {
  it('scaled down to R=2 below an unready 3-pod canary (maxUnavailable 1): stable keeps 1 available pod, canary is cut to 1', () => {
    assert.deepEqual(
      canaryReplicaCounts({
        replicas: 2,
        desiredWeight: 100,
        maxSurge: 0,
        maxUnavailable: 1,
        canary: { replicas: 3, availableReplicas: 0 },
        stable: { replicas: 2, availableReplicas: 2 },
      }),
      { canary: 1, stable: 1 },
    );
  });

  it('after an abort, canary pods above its spec (still terminating) do not count as available: stable returns to 3, canary stays 0', () => {
    assert.deepEqual(
      canaryReplicaCounts({
        replicas: 3,
        desiredWeight: 0,
        maxSurge: 0,
        maxUnavailable: 1,
        canary: { replicas: 0, availableReplicas: 2 },
        stable: { replicas: 1, availableReplicas: 1 },
      }),
      { canary: 0, stable: 3 },
    );
  });
});
