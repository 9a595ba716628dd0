import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileUntilSteady, rs } from './canary-simulation.ts';
import { approximateCanaryStableSplit } from '../../../functions/rollout/canary-replica-counts.ts';
import { resolveSurgeAndUnavailable } from '../../../functions/rollout/surge-and-unavailable.ts';

describe('canary worked examples › reference §8.11', () => {
  it('A: R=10 setWeight 20 with default 25 % bounds scales stable 10→8, then canary 0→2', () => {
    const run = reconcileUntilSteady({ replicas: 10, stable: rs(10), canary: rs(0) }, 20);
    assert.deepEqual(run.changes, ['stable 10→8', 'canary 0→2']);
  });

  it('A: promoting from 2/8 to weight 100 alternates stable down and canary up within 13 pods and 8 available', () => {
    const run = reconcileUntilSteady({ replicas: 10, stable: rs(8), canary: rs(2) }, 100);
    assert.deepEqual(run.changes, ['stable 8→6', 'canary 2→7', 'stable 6→1', 'canary 7→10', 'stable 1→0']);
    assert.deepEqual(run.world, { replicas: 10, stable: rs(0), canary: rs(10) });
  });

  it('B: R=4 maxSurge 1 maxUnavailable 0 setWeight 50 goes canary 0→1, stable 4→3, canary 1→2, stable 3→2', () => {
    const run = reconcileUntilSteady({ replicas: 4, maxSurge: 1, maxUnavailable: 0, stable: rs(4), canary: rs(0) }, 50);
    assert.deepEqual(run.changes, ['canary 0→1', 'stable 4→3', 'canary 1→2', 'stable 3→2']);
  });

  it('C: R=10 W=5 maxSurge 0 maxUnavailable 1 drops stable to 9 first, then the canary becomes 1', () => {
    const run = reconcileUntilSteady({ replicas: 10, maxSurge: 0, maxUnavailable: 1, stable: rs(10), canary: rs(0) }, 5);
    assert.deepEqual(run.changes, ['stable 10→9', 'canary 0→1']);
  });

  it('E: scaling from 1 to 8 replicas while paused at setWeight 25 settles at canary 2, stable 6', () => {
    const atOne = reconcileUntilSteady({ replicas: 1, stable: rs(1), canary: rs(0) }, 25);
    assert.deepEqual(atOne.world, { replicas: 1, stable: rs(1), canary: rs(1) });
    const atEight = reconcileUntilSteady({ ...atOne.world, replicas: 8 }, 25);
    assert.deepEqual(atEight.changes, ['stable 1→6', 'canary 1→2']);
  });

  it('E: then scaling to 4 replicas settles at canary 1, stable 3', () => {
    const run = reconcileUntilSteady({ replicas: 4, stable: rs(6), canary: rs(2) }, 25);
    assert.deepEqual(run.changes, ['stable 6→4', 'canary 2→1', 'stable 4→3']);
    assert.deepEqual({ canary: run.world.canary.replicas, stable: run.world.stable.replicas }, { canary: 1, stable: 3 });
  });
});

describe('canary worked examples › reference §8.12 abort/retry timeline (R=1, setWeight 50)', () => {
  it('the update uses the surge pod: canary 0→1 next to stable 1', () => {
    const run = reconcileUntilSteady({ replicas: 1, stable: rs(1), canary: rs(0) }, 50);
    assert.deepEqual(run.changes, ['canary 0→1']);
    assert.deepEqual(run.world.stable, rs(1));
  });

  it('abort (weight 0) scales the canary 1→0', () => {
    const run = reconcileUntilSteady({ replicas: 1, stable: rs(1), canary: rs(1) }, 0);
    assert.deepEqual(run.changes, ['canary 1→0']);
  });
});

describe('canary worked examples › any weight change converges inside the bounds', () => {
  // Every replica count, bound and weight pair below: start steady at the first weight, move to
  // the second; the helper asserts surge and availability at every change.
  const bounds: Array<[surge: number | string, unavailable: number | string]> = [['25', '25'], [1, 0], [0, 1], ['50%', '0%'], [2, 3]];
  const weights = [0, 1, 20, 33, 50, 67, 99, 100];
  for (const replicas of [1, 2, 3, 5, 10]) {
    for (const [maxSurge, maxUnavailable] of bounds) {
      it(`R=${replicas} surge ${maxSurge} unavailable ${maxUnavailable}: every weight to every weight reaches the target split`, () => {
        const { maxSurge: surge } = resolveSurgeAndUnavailable(replicas, maxSurge, maxUnavailable);
        for (const from of weights) {
          const start = approximateCanaryStableSplit(replicas, from, 100, surge);
          for (const to of weights) {
            const run = reconcileUntilSteady(
              { replicas, maxSurge, maxUnavailable, stable: rs(start.stable), canary: rs(start.canary) },
              to,
            );
            const target = approximateCanaryStableSplit(replicas, to, 100, surge);
            assert.deepEqual(
              { canary: run.world.canary.replicas, stable: run.world.stable.replicas },
              target,
              `from weight ${from} to ${to}: ${run.changes.join(', ')}`,
            );
          }
        }
      });
    }
  }
});
