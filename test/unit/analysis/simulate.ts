// Drives decideAnalysisRun/recordMeasurement like the controller does, with scripted outcomes and
// a virtual clock, so a test can say "these measurements, this verdict".
import type { AnalysisPhase, AnalysisRun, Measurement, Metric } from '../../../functions/api/index.ts';
import { decideAnalysisRun, lastMeasurementOf, recordMeasurement, type AnalysisDecision } from '../../../functions/analysis/index.ts';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

export function runOf(metrics: Metric[], spec: Partial<AnalysisRun['spec']> = {}): AnalysisRun {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'run', namespace: 'default', uid: 'uid-1' },
    spec: { metrics, ...spec },
  };
}

export function metric(name: string, fields: Partial<Metric> = {}): Metric {
  return { name, provider: { web: { url: 'http://127.0.0.1:1/x' } }, ...fields };
}

/** `S`, `F`, `I`, `E`, or `R` (a measurement left running, like a Job). */
export type Outcome = 'S' | 'F' | 'I' | 'E' | 'R';
const PHASE: Record<Outcome, AnalysisPhase> = { S: 'Successful', F: 'Failed', I: 'Inconclusive', E: 'Error', R: 'Running' };

export interface Simulation {
  run: AnalysisRun;
  decisions: AnalysisDecision[];
  /** Times (ms after T0) at which measurements were taken, per metric. */
  takenAt: Record<string, number[]>;
  now: number;
}

/**
 * Reconciles until the run completes or `maxSteps` runs out, jumping the clock to each requeue.
 * Each metric takes its outcomes in order; when they run out the metric's measurements repeat the last one.
 */
export function simulate(run: AnalysisRun, outcomes: Record<string, Outcome[]>, opts: { maxSteps?: number; until?: (s: Simulation) => boolean; start?: number } = {}): Simulation {
  const sim: Simulation = { run: structuredClone(run), decisions: [], takenAt: {}, now: opts.start ?? T0 };
  const used: Record<string, number> = {};
  for (let step = 0; step < (opts.maxSteps ?? 200); step++) {
    if (opts.until?.(sim)) break;
    const decision = decideAnalysisRun({ run: sim.run, now: new Date(sim.now) });
    sim.decisions.push(decision);
    let status = decision.status;
    for (const name of decision.measurementsToTake) {
      const list = outcomes[name] ?? ['S'];
      const i = used[name] ?? 0;
      used[name] = i + 1;
      const outcome = list[Math.min(i, list.length - 1)]!;
      const m: Measurement = { phase: PHASE[outcome], ...(outcome === 'E' ? { message: 'connection refused' } : {}) };
      (sim.takenAt[name] ??= []).push(sim.now - T0);
      status = recordMeasurement(status, { name }, m, { now: new Date(sim.now) });
    }
    for (const name of decision.terminateMetrics) {
      const last = lastMeasurementOf(status.metricResults?.find((r) => r.name === name));
      status = recordMeasurement(status, { name }, { ...last!, phase: 'Inconclusive', message: 'Metric Terminated' }, { now: new Date(sim.now) });
    }
    sim.run = { ...sim.run, status };
    const done = ['Successful', 'Failed', 'Error', 'Inconclusive'].includes(status.phase);
    if (done && decision.measurementsToTake.length === 0 && decision.terminateMetrics.length === 0) break;
    if (decision.measurementsToTake.length > 0 || decision.terminateMetrics.length > 0) continue; // decide again at once
    if (decision.requeueAfterMs === undefined) break;
    sim.now += Math.max(decision.requeueAfterMs, 1);
  }
  return sim;
}

export function resultOf(sim: Simulation, name: string) {
  return sim.run.status?.metricResults?.find((r) => r.name === name);
}
