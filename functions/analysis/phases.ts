// Analysis phases: which are final, and which is worse (reference §11.4).
import type { AnalysisPhase } from '../api/index.ts';

/** Best to worst. A run reports the worst phase of its completed metrics. */
const SEVERITY: readonly AnalysisPhase[] = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed'];

/** Successful, Failed, Error and Inconclusive are final: a metric or run in one never changes again. */
export function isCompletedPhase(phase: string | undefined): boolean {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}

/** True when `a` is worse than `b` (Failed > Error > Inconclusive > Pending > Running > Successful). */
export function isWorsePhase(a: AnalysisPhase, b: AnalysisPhase): boolean {
  return SEVERITY.indexOf(a) > SEVERITY.indexOf(b);
}

/** Failed, Error and Inconclusive stop a run (the other metrics stop measuring). */
export function isFailingPhase(phase: string | undefined): boolean {
  return phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}
