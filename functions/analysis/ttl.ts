// When a completed AnalysisRun is deleted (spec.ttlStrategy, reference §11.4 step 10).
import type { AnalysisRunStatus, TTLStrategy } from '../api/index.ts';
import { parseMetaTime } from '../values/meta-time.ts';

/**
 * The time (ms since the epoch) after which a completed run should be deleted, or undefined when
 * it is kept: secondsAfterSuccess for a Successful run, secondsAfterFailure for a Failed one,
 * otherwise (and as the fallback) secondsAfterCompletion.
 */
export function ttlExpiry(ttl: TTLStrategy | undefined, status: AnalysisRunStatus | undefined): number | undefined {
  if (!ttl || !status) return undefined;
  const completedAt = parseMetaTime(status.completedAt);
  if (completedAt === undefined) return undefined;
  let seconds: number | undefined;
  if (status.phase === 'Successful' && ttl.secondsAfterSuccess !== undefined) seconds = ttl.secondsAfterSuccess;
  else if (status.phase === 'Failed' && ttl.secondsAfterFailure !== undefined) seconds = ttl.secondsAfterFailure;
  else seconds = ttl.secondsAfterCompletion;
  return seconds === undefined ? undefined : completedAt + seconds * 1000;
}
