// AnalysisRun: one execution of metrics (created from templates by Rollouts and Experiments).
import Type, { type Static } from 'typebox';
import { ObjectMetaSchema } from './meta.ts';
import {
  AnalysisPhaseSchema,
  ArgumentSchema,
  DryRunSchema,
  MeasurementRetentionSchema,
  MetricSchema,
} from './metric.ts';
import { bool, int32, str, stringMap, time } from './primitives.ts';

export const TTLStrategySchema = Type.Object(
  {
    secondsAfterCompletion: Type.Optional(int32('Delete the run this long after it completed in any phase.')),
    secondsAfterFailure: Type.Optional(int32('Delete the run this long after it failed.')),
    secondsAfterSuccess: Type.Optional(int32('Delete the run this long after it succeeded.')),
  },
  { description: 'When to delete a completed run.' },
);
export type TTLStrategy = Static<typeof TTLStrategySchema>;

export const AnalysisRunSpecSchema = Type.Object(
  {
    metrics: Type.Array(MetricSchema, { description: 'Metrics to measure.' }),
    args: Type.Optional(Type.Array(ArgumentSchema, { description: 'Resolved arguments.' })),
    terminate: Type.Optional(bool('Stop taking measurements and complete the run.')),
    dryRun: Type.Optional(Type.Array(DryRunSchema)),
    measurementRetention: Type.Optional(Type.Array(MeasurementRetentionSchema)),
    ttlStrategy: Type.Optional(TTLStrategySchema),
  },
  { description: 'What the run measures.' },
);
export type AnalysisRunSpec = Static<typeof AnalysisRunSpecSchema>;

export const MeasurementSchema = Type.Object(
  {
    phase: AnalysisPhaseSchema,
    message: Type.Optional(str()),
    startedAt: Type.Optional(time()),
    finishedAt: Type.Optional(time()),
    value: Type.Optional(str('The provider\'s result, as a string.')),
    metadata: Type.Optional(stringMap('Provider details, e.g. job-name.')),
    resumeAt: Type.Optional(time('When to check an in-flight measurement again.')),
  },
  { description: 'One measurement of a metric.' },
);
export type Measurement = Static<typeof MeasurementSchema>;

export const MetricResultSchema = Type.Object(
  {
    name: str(),
    phase: AnalysisPhaseSchema,
    measurements: Type.Optional(Type.Array(MeasurementSchema)),
    message: Type.Optional(str()),
    count: Type.Optional(int32('successful + failed + inconclusive.')),
    successful: Type.Optional(int32()),
    failed: Type.Optional(int32()),
    inconclusive: Type.Optional(int32()),
    error: Type.Optional(int32()),
    consecutiveError: Type.Optional(int32()),
    consecutiveSuccess: Type.Optional(int32()),
    dryRun: Type.Optional(Type.Boolean()),
    metadata: Type.Optional(stringMap('Provider details, e.g. ResolvedPrometheusQuery.')),
  },
  { description: 'Progress and verdict of one metric.' },
);
export type MetricResult = Static<typeof MetricResultSchema>;

export const RunSummarySchema = Type.Object(
  {
    count: Type.Optional(int32()),
    successful: Type.Optional(int32()),
    failed: Type.Optional(int32()),
    inconclusive: Type.Optional(int32()),
    error: Type.Optional(int32()),
  },
  { description: 'Number of metrics in each final phase.' },
);
export type RunSummary = Static<typeof RunSummarySchema>;

export const AnalysisRunStatusSchema = Type.Object(
  {
    phase: AnalysisPhaseSchema,
    message: Type.Optional(str()),
    metricResults: Type.Optional(Type.Array(MetricResultSchema)),
    startedAt: Type.Optional(time()),
    runSummary: Type.Optional(RunSummarySchema),
    dryRunSummary: Type.Optional(RunSummarySchema),
    completedAt: Type.Optional(time()),
  },
  { description: 'Observed state of the run.' },
);
export type AnalysisRunStatus = Static<typeof AnalysisRunStatusSchema>;

export const AnalysisRunSchema = Type.Object(
  {
    apiVersion: Type.Optional(str()),
    kind: Type.Optional(str()),
    metadata: Type.Optional(ObjectMetaSchema),
    spec: AnalysisRunSpecSchema,
    status: Type.Optional(AnalysisRunStatusSchema),
  },
  { description: 'An instantiation of analysis templates: measures metrics and reaches a verdict.' },
);
export type AnalysisRun = Static<typeof AnalysisRunSchema>;
