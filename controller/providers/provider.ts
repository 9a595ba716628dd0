// The metric provider interface (STYLE §5): one file per provider, registered in registry.ts.
//
//   run        take a new measurement (finished, or in flight like a Job)
//   resume     look at an in-flight measurement again; finish it if its source has
//   terminate  stop an in-flight measurement (the run is stopping)
//   garbageCollect  remove what belonged to measurements no longer kept (e.g. old Jobs)
//
// A provider never throws for a measurement problem: it returns a Measurement with phase Error
// and a message saying what went wrong (without secrets). The metric it gets has its
// {{args.NAME}} placeholders already substituted, secret values included.
import { formatTime } from '../../functions/analysis/index.ts';
import type { AnalysisRun, Measurement, Metric } from '../../functions/api/index.ts';

export interface MeasureContext {
  /** The run being measured (namespace, name, uid, status). */
  run: AnalysisRun;
  /** Resolved argument values, secrets included. Never log them. */
  args: Readonly<Record<string, string>>;
  /** Aborted when the controller shuts down: give up quickly. */
  signal: AbortSignal;
  now(): Date;
}

export interface MetricProvider {
  /** The key of `metric.provider` this provider serves: 'prometheus', 'web', 'job'. */
  readonly type: string;
  run(metric: Metric, ctx: MeasureContext): Promise<Measurement>;
  resume(metric: Metric, measurement: Measurement, ctx: MeasureContext): Promise<Measurement>;
  terminate(metric: Metric, measurement: Measurement, ctx: MeasureContext): Promise<Measurement>;
  /** Keep what belongs to the newest `keep` measurements of `metric`; remove the rest. */
  garbageCollect(metric: Metric, keep: number, ctx: MeasureContext): Promise<void>;
  /** Details stored once on the metric's result, e.g. ResolvedPrometheusQuery. */
  metadata?(metric: Metric): Record<string, string> | undefined;
}

/** Resume and terminate for providers whose measurements always finish in run(). */
export const instantMeasurement = {
  async resume(_metric: Metric, measurement: Measurement): Promise<Measurement> {
    return measurement;
  },
  async terminate(_metric: Metric, measurement: Measurement, ctx: MeasureContext): Promise<Measurement> {
    return { ...measurement, phase: 'Successful', finishedAt: measurement.finishedAt ?? formatTime(ctx.now()) };
  },
  async garbageCollect(): Promise<void> {},
};
