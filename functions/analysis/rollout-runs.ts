// What a Rollout (or Experiment) does with the AnalysisRuns it owns (reference §11.6), for the
// rollout controller: how to react to a run's phase, whether an existing run may be reused, and
// which old runs to delete so they never pile up.
import type { AnalysisRun } from '../api/index.ts';
import { isCompletedPhase } from './phases.ts';

/** Argo's defaults for spec.analysis.successfulRunHistoryLimit / unsuccessfulRunHistoryLimit. */
export const DEFAULT_SUCCESSFUL_RUN_HISTORY_LIMIT = 5;
export const DEFAULT_UNSUCCESSFUL_RUN_HISTORY_LIMIT = 5;

export type RunReaction = 'wait' | 'proceed' | 'pause' | 'abort';

/**
 * Successful → proceed (a step completes); Pending/Running → wait; Inconclusive → pause with
 * reason InconclusiveAnalysisRun; Failed or Error → abort.
 */
export function reactionToRun(run: Pick<AnalysisRun, 'status'> | undefined): RunReaction {
  switch (run?.status?.phase) {
    case 'Successful': return 'proceed';
    case 'Inconclusive': return 'pause';
    case 'Failed':
    case 'Error': return 'abort';
    default: return 'wait';
  }
}

/**
 * An existing run with the wanted name may be reused when the same owner controls it, it has not
 * completed, and its metrics, args, dryRun and measurementRetention are the ones wanted;
 * otherwise the next name (`<name>.1`, `<name>.2`, …) is tried.
 */
export function isReusableAnalysisRun(existing: AnalysisRun, desired: AnalysisRun, ownerUid: string): boolean {
  const owner = existing.metadata?.ownerReferences?.find((r) => r.controller);
  if (!owner || owner.uid !== ownerUid) return false;
  if (isCompletedPhase(existing.status?.phase)) return false;
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return same(existing.spec.metrics, desired.spec.metrics) && same(existing.spec.args, desired.spec.args)
    && same(existing.spec.dryRun, desired.spec.dryRun) && same(existing.spec.measurementRetention, desired.spec.measurementRetention);
}

/**
 * Completed runs beyond the history limits, oldest first: the newest `successful` Successful runs
 * and the newest `unsuccessful` Failed/Error/Inconclusive runs are kept, as are runs still
 * running and the ones named in `inUse`.
 */
export function analysisRunsToDelete(
  runs: readonly AnalysisRun[],
  limits: { successfulRunHistoryLimit?: number; unsuccessfulRunHistoryLimit?: number } = {},
  inUse: ReadonlySet<string> = new Set(),
): AnalysisRun[] {
  const newestFirst = [...runs]
    .filter((r) => isCompletedPhase(r.status?.phase) && !inUse.has(r.metadata?.name ?? '') && !r.metadata?.deletionTimestamp)
    .sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') || (b.metadata?.name ?? '').localeCompare(a.metadata?.name ?? ''));
  const keepSuccessful = Math.max(0, limits.successfulRunHistoryLimit ?? DEFAULT_SUCCESSFUL_RUN_HISTORY_LIMIT);
  const keepUnsuccessful = Math.max(0, limits.unsuccessfulRunHistoryLimit ?? DEFAULT_UNSUCCESSFUL_RUN_HISTORY_LIMIT);
  const successful = newestFirst.filter((r) => r.status?.phase === 'Successful');
  const unsuccessful = newestFirst.filter((r) => r.status?.phase !== 'Successful');
  const doomed = new Set([...successful.slice(keepSuccessful), ...unsuccessful.slice(keepUnsuccessful)]);
  return newestFirst.filter((r) => doomed.has(r)).reverse();
}
