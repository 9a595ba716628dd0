import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analysisRunsToDelete, isReusableAnalysisRun, reactionToRun } from '../../../functions/analysis/index.ts';
import type { AnalysisRun } from '../../../functions/api/index.ts';
import { metric } from './simulate.ts';

const ar = (name: string, phase: string | undefined, minute: number, owner = 'ro-uid'): AnalysisRun => ({
  metadata: { name, creationTimestamp: `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'web', uid: owner, controller: true }] },
  spec: { metrics: [metric('m')] },
  ...(phase ? { status: { phase: phase as 'Running' } } : {}),
});

describe('AnalysisRuns owned by a Rollout', () => {
  it('reaction: Successful proceeds, Inconclusive pauses, Failed and Error abort, the rest waits', () => {
    assert.deepEqual(['Successful', 'Inconclusive', 'Failed', 'Error', 'Running', 'Pending', undefined].map((p) => reactionToRun(ar('x', p, 0))), ['proceed', 'pause', 'abort', 'abort', 'wait', 'wait', 'wait']);
  });

  it('history: the newest 5 successful and 5 unsuccessful completed runs stay; running and in-use ones are never deleted', () => {
    const runs = [
      ...Array.from({ length: 7 }, (_, i) => ar(`ok-${i}`, 'Successful', i)),
      ...Array.from({ length: 6 }, (_, i) => ar(`bad-${i}`, i % 2 ? 'Failed' : 'Error', 10 + i)),
      ar('running', 'Running', 0),
      ar('ok-old-but-current', 'Successful', 0),
    ];
    const doomed = analysisRunsToDelete(runs, {}, new Set(['ok-old-but-current'])).map((r) => r.metadata?.name);
    assert.deepEqual(doomed, ['ok-0', 'ok-1', 'bad-0']);
    assert.deepEqual(analysisRunsToDelete(runs, { successfulRunHistoryLimit: 0, unsuccessfulRunHistoryLimit: 6 }).length, 8);
  });

  it('reuse: same owner, not completed, same metrics and args', () => {
    const existing = ar('web-abc-2-1', 'Running', 0);
    assert.equal(isReusableAnalysisRun(existing, ar('web-abc-2-1', undefined, 0), 'ro-uid'), true);
    assert.equal(isReusableAnalysisRun(existing, ar('web-abc-2-1', undefined, 0), 'other'), false);
    assert.equal(isReusableAnalysisRun(ar('x', 'Failed', 0), ar('x', undefined, 0), 'ro-uid'), false);
    const changed = ar('x', undefined, 0);
    changed.spec.args = [{ name: 'a', value: '1' }];
    assert.equal(isReusableAnalysisRun(existing, changed, 'ro-uid'), false);
  });
});
