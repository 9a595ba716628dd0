// The status write is a two-way merge patch: smallest patch, removed fields as null, nothing when equal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonEqual, mergePatchDiff } from '../../../controller/rollouts/merge-patch.ts';

const rows: Array<{ name: string; from: unknown; to: unknown; want: unknown }> = [
  { name: 'equal objects → no patch', from: { phase: 'Healthy', replicas: 3 }, to: { replicas: 3, phase: 'Healthy' }, want: undefined },
  { name: 'undefined members count as absent', from: { phase: 'Healthy' }, to: { phase: 'Healthy', message: undefined }, want: undefined },
  { name: 'changed scalar', from: { phase: 'Progressing' }, to: { phase: 'Healthy' }, want: { phase: 'Healthy' } },
  { name: 'added field', from: {}, to: { stableRS: 'abc' }, want: { stableRS: 'abc' } },
  { name: 'removed field → null', from: { message: 'x', phase: 'Healthy' }, to: { phase: 'Healthy' }, want: { message: null } },
  { name: 'nested change only names the nested field', from: { canary: { weights: { a: 1 }, currentExperiment: 'e' } }, to: { canary: { weights: { a: 1 } } }, want: { canary: { currentExperiment: null } } },
  { name: 'empty object added (status.canary: {})', from: {}, to: { canary: {} }, want: { canary: {} } },
  { name: 'arrays are replaced whole', from: { conditions: [{ type: 'A' }, { type: 'B' }] }, to: { conditions: [{ type: 'A' }] }, want: { conditions: [{ type: 'A' }] } },
  { name: 'equal arrays → no patch', from: { pauseConditions: [{ reason: 'CanaryPauseStep', startTime: 't' }] }, to: { pauseConditions: [{ startTime: 't', reason: 'CanaryPauseStep' }] }, want: undefined },
  { name: 'array removed → null', from: { pauseConditions: [{ reason: 'x' }] }, to: {}, want: { pauseConditions: null } },
  { name: 'scalar replaced by object', from: { x: 1 }, to: { x: { y: 2 } }, want: { x: { y: 2 } } },
  { name: 'false and 0 are values, not absence', from: { controllerPause: true, currentStepIndex: 1 }, to: { controllerPause: false, currentStepIndex: 0 }, want: { controllerPause: false, currentStepIndex: 0 } },
  { name: 'from undefined (no status yet)', from: undefined, to: { phase: 'Progressing' }, want: { phase: 'Progressing' } },
  {
    name: 'AnalysisRun status: sets changed values, nulls removed keys, replaces arrays whole',
    from: { phase: 'Running', message: 'x', metricResults: [{ name: 'a' }], runSummary: { count: 1 } },
    to: { phase: 'Successful', metricResults: [{ name: 'a', count: 1 }], runSummary: { count: 1 } },
    want: { phase: 'Successful', message: null, metricResults: [{ name: 'a', count: 1 }] },
  },
  { name: 'AnalysisRun status: nothing to write when nothing changed', from: { phase: 'Running', runSummary: { count: 1 } }, to: { phase: 'Running', runSummary: { count: 1 } }, want: undefined },
];

for (const row of rows) {
  test(`status merge patch › ${row.name}`, () => {
    assert.deepEqual(mergePatchDiff(row.from, row.to), row.want);
  });
}

test('status merge patch › json equality ignores key order and treats null like absence', () => {
  assert.equal(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), true);
  assert.equal(jsonEqual({ a: null }, {}), true);
  assert.equal(jsonEqual([1, 2], [2, 1]), false);
  assert.equal(jsonEqual({ a: '1' }, { a: 1 }), false);
});
