import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergePatchFor } from '../../../controller/analysis/merge-patch.ts';

describe('status merge patch', () => {
  it('sets changed values, nulls removed keys, replaces arrays whole', () => {
    assert.deepEqual(
      mergePatchFor({ phase: 'Running', message: 'x', metricResults: [{ name: 'a' }], runSummary: { count: 1 } }, { phase: 'Successful', metricResults: [{ name: 'a', count: 1 }], runSummary: { count: 1 } }),
      { phase: 'Successful', message: null, metricResults: [{ name: 'a', count: 1 }] },
    );
  });
  it('nothing to write when nothing changed', () => {
    assert.equal(mergePatchFor({ phase: 'Running', runSummary: { count: 1 } }, { phase: 'Running', runSummary: { count: 1 } }), undefined);
  });
});
