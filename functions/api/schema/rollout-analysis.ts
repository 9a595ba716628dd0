// How a Rollout asks for an analysis (steps, background, blue-green pre/post promotion).
import Type, { type Static } from 'typebox';
import { AnalysisRunMetadataSchema } from './meta.ts';
import { AnalysisTemplateRefSchema, DryRunSchema, FieldRefSchema, MeasurementRetentionSchema } from './metric.ts';
import { int32, knownString, str } from './primitives.ts';

/** An argument as a Rollout passes it: literal, the pod template hash, or a field of the Rollout. */
export const RolloutAnalysisArgumentSchema = Type.Object(
  {
    name: str('Argument name of the template.'),
    value: Type.Optional(str('Literal value.')),
    valueFrom: Type.Optional(
      Type.Object(
        {
          podTemplateHashValue: Type.Optional(
            knownString(['Stable', 'Latest'] as const, 'Use the stable or the latest ReplicaSet\'s pod template hash.'),
          ),
          fieldRef: Type.Optional(FieldRefSchema),
        },
        { description: 'Where the Rollout takes the value from.' },
      ),
    ),
  },
  { description: 'An argument passed to analysis templates.' },
);
export type RolloutAnalysisArgument = Static<typeof RolloutAnalysisArgumentSchema>;

const rolloutAnalysisProperties = {
  templates: Type.Optional(Type.Array(AnalysisTemplateRefSchema, { description: 'Templates whose metrics make up the run.' })),
  args: Type.Optional(Type.Array(RolloutAnalysisArgumentSchema, { description: 'Arguments for the templates.' })),
  dryRun: Type.Optional(Type.Array(DryRunSchema)),
  measurementRetention: Type.Optional(Type.Array(MeasurementRetentionSchema)),
  analysisRunMetadata: Type.Optional(AnalysisRunMetadataSchema),
};

export const RolloutAnalysisSchema = Type.Object(rolloutAnalysisProperties, {
  description: 'An AnalysisRun the Rollout creates from templates.',
});
export type RolloutAnalysis = Static<typeof RolloutAnalysisSchema>;

export const RolloutAnalysisBackgroundSchema = Type.Object(
  {
    ...rolloutAnalysisProperties,
    startingStep: Type.Optional(int32('Step index from which the background analysis runs (default 0).')),
  },
  { description: 'Analysis running in the background during a canary update.' },
);
export type RolloutAnalysisBackground = Static<typeof RolloutAnalysisBackgroundSchema>;

export const AnalysisRunStrategySchema = Type.Object(
  {
    successfulRunHistoryLimit: Type.Optional(int32('Successful AnalysisRuns and Experiments to keep (default 5).')),
    unsuccessfulRunHistoryLimit: Type.Optional(int32('Failed, errored and inconclusive ones to keep (default 5).')),
  },
  { description: 'Retention of old AnalysisRuns and Experiments.' },
);
export type AnalysisRunStrategy = Static<typeof AnalysisRunStrategySchema>;
