// The Kubernetes events a reconcile should record, from the status before and after it
// (reference §11.4 step 7): `Metric<Phase>` per metric that completed, `AnalysisRun<Phase>` when the run did.
import type { AnalysisRunStatus } from '../api/index.ts';
import { isCompletedPhase } from './phases.ts';

export interface AnalysisEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const eventType = (phase: string): 'Normal' | 'Warning' => (phase === 'Failed' || phase === 'Error' ? 'Warning' : 'Normal');

export function completionEvents(before: AnalysisRunStatus | undefined, after: AnalysisRunStatus): AnalysisEvent[] {
  const events: AnalysisEvent[] = [];
  for (const result of after.metricResults ?? []) {
    const previous = before?.metricResults?.find((r) => r.name === result.name)?.phase;
    if (isCompletedPhase(result.phase) && previous !== result.phase) {
      events.push({ type: eventType(result.phase), reason: `Metric${result.phase}`, message: `Metric '${result.name}' Completed. Result: ${result.phase}` });
    }
  }
  if (isCompletedPhase(after.phase) && before?.phase !== after.phase) {
    events.push({ type: eventType(after.phase), reason: `AnalysisRun${after.phase}`, message: `Analysis Completed. Result: ${after.phase}` });
  }
  return events;
}
