// Analysis metrics and the small records shared by templates, runs, rollouts and experiments.
import Type, { type Static } from 'typebox';
import { MetricProviderSchema } from './metric-providers.ts';
import { durationString, int32, intOrString, knownString, str } from './primitives.ts';

export const MetricSchema = Type.Object(
  {
    name: str('Metric name, unique within the analysis.'),
    interval: Type.Optional(durationString('Time between measurements; omitted means a single measurement.')),
    initialDelay: Type.Optional(durationString('Wait this long after the run started before the first measurement.')),
    count: Type.Optional(intOrString('Number of measurements to take; unbounded with an interval and no count.')),
    successCondition: Type.Optional(str('Expression over `result` that must hold for a measurement to succeed.')),
    failureCondition: Type.Optional(str('Expression over `result` that marks a measurement failed.')),
    failureLimit: Type.Optional(intOrString('Failed measurements tolerated (default 0; -1 disables).')),
    inconclusiveLimit: Type.Optional(intOrString('Inconclusive measurements tolerated (default 0).')),
    consecutiveErrorLimit: Type.Optional(intOrString('Consecutive measurement errors tolerated (default 4).')),
    consecutiveSuccessLimit: Type.Optional(intOrString('Consecutive successes that complete the metric (default 0 = off).')),
    provider: MetricProviderSchema,
  },
  { description: 'A metric to measure and the conditions that judge it.' },
);
export type Metric = Static<typeof MetricSchema>;

export const SecretKeyRefSchema = Type.Object({
  name: str('Secret name in the AnalysisRun namespace.'),
  key: str('Key within the secret.'),
});
export type SecretKeyRef = Static<typeof SecretKeyRefSchema>;

export const FieldRefSchema = Type.Object({
  fieldPath: str('Path into the owning Rollout, e.g. metadata.labels[\'app\'] or spec.template.spec.containers[0].image.'),
});
export type FieldRef = Static<typeof FieldRefSchema>;

/** An analysis argument as AnalysisTemplates, AnalysisRuns and Experiments declare it. */
export const ArgumentSchema = Type.Object(
  {
    name: str('Argument name, referenced as {{args.NAME}}.'),
    value: Type.Optional(str('Literal value.')),
    valueFrom: Type.Optional(
      Type.Object(
        {
          secretKeyRef: Type.Optional(SecretKeyRefSchema),
          fieldRef: Type.Optional(FieldRefSchema),
        },
        { description: 'Where to read the value from.' },
      ),
    ),
  },
  { description: 'An argument of an analysis.' },
);
export type Argument = Static<typeof ArgumentSchema>;

export const DryRunSchema = Type.Object(
  { metricName: str('Regular expression over metric names whose results must not affect the run phase.') },
  { description: 'Metrics evaluated without effect.' },
);
export type DryRun = Static<typeof DryRunSchema>;

export const MeasurementRetentionSchema = Type.Object(
  {
    metricName: str('Regular expression over metric names.'),
    limit: int32('Number of measurements to keep (default 10).'),
  },
  { description: 'How many measurements to keep for the matching metrics.' },
);
export type MeasurementRetention = Static<typeof MeasurementRetentionSchema>;

export const AnalysisTemplateRefSchema = Type.Object(
  {
    templateName: Type.Optional(str('Name of the AnalysisTemplate (or ClusterAnalysisTemplate).')),
    clusterScope: Type.Optional(Type.Boolean({ description: 'Refer to a ClusterAnalysisTemplate.' })),
  },
  { description: 'Reference to an analysis template.' },
);
export type AnalysisTemplateRef = Static<typeof AnalysisTemplateRefSchema>;

export const ANALYSIS_PHASES = ['Pending', 'Running', 'Successful', 'Failed', 'Error', 'Inconclusive'] as const;
export const AnalysisPhaseSchema = knownString(ANALYSIS_PHASES);
export type AnalysisPhase = Static<typeof AnalysisPhaseSchema>;
