// The Experiment kind (reference §12).
import Type, { type Static } from 'typebox';
import { conditionSchema } from './condition.ts';
import { AnalysisRunMetadataSchema, LabelSelectorSchema, ObjectMetaSchema } from './meta.ts';
import { AnalysisPhaseSchema, ArgumentSchema, DryRunSchema, MeasurementRetentionSchema } from './metric.ts';
import { PodTemplateSpecSchema } from './pod-template.ts';
import { TemplateServiceSchema } from './canary-step.ts';
import { bool, durationString, int32, knownString, str, time } from './primitives.ts';

export const ExperimentTemplateSchema = Type.Object(
  {
    name: str('Template name, unique within the experiment.'),
    replicas: Type.Optional(int32('Pods to run (default 1).')),
    minReadySeconds: Type.Optional(int32()),
    selector: LabelSelectorSchema,
    template: PodTemplateSpecSchema,
    service: Type.Optional(TemplateServiceSchema),
  },
  { description: 'A ReplicaSet the experiment runs.' },
);
export type ExperimentTemplate = Static<typeof ExperimentTemplateSchema>;

export const ExperimentAnalysisTemplateRefSchema = Type.Object(
  {
    name: str('Name of the analysis within the experiment.'),
    templateName: str('AnalysisTemplate (or ClusterAnalysisTemplate) name.'),
    clusterScope: Type.Optional(bool('Refer to a ClusterAnalysisTemplate.')),
    args: Type.Optional(Type.Array(ArgumentSchema)),
    requiredForCompletion: Type.Optional(bool('The experiment completes when this analysis succeeds.')),
  },
  { description: 'An analysis run once all templates are available.' },
);
export type ExperimentAnalysisTemplateRef = Static<typeof ExperimentAnalysisTemplateRefSchema>;

export const ExperimentSpecSchema = Type.Object(
  {
    templates: Type.Array(ExperimentTemplateSchema, { description: 'ReplicaSets to run.' }),
    duration: Type.Optional(durationString('How long to run once available; empty means until terminated or decided.')),
    progressDeadlineSeconds: Type.Optional(int32('Seconds a template may take to become available (default 600).')),
    terminate: Type.Optional(bool('Stop the experiment.')),
    analyses: Type.Optional(Type.Array(ExperimentAnalysisTemplateRefSchema)),
    scaleDownDelaySeconds: Type.Optional(int32('Delay before scaling the ReplicaSets down (default 30).')),
    dryRun: Type.Optional(Type.Array(DryRunSchema)),
    measurementRetention: Type.Optional(Type.Array(MeasurementRetentionSchema)),
    analysisRunMetadata: Type.Optional(AnalysisRunMetadataSchema),
  },
  { description: 'Desired state of an Experiment.' },
);
export type ExperimentSpec = Static<typeof ExperimentSpecSchema>;

export const TEMPLATE_STATUS_CODES = ['Progressing', 'Running', 'Successful', 'Failed', 'Error'] as const;

export const TemplateStatusSchema = Type.Object(
  {
    name: str(),
    replicas: int32(),
    updatedReplicas: int32(),
    readyReplicas: int32(),
    availableReplicas: int32(),
    collisionCount: Type.Optional(int32()),
    status: Type.Optional(knownString(TEMPLATE_STATUS_CODES)),
    message: Type.Optional(str()),
    lastTransitionTime: Type.Optional(time()),
    serviceName: Type.Optional(str()),
    podTemplateHash: Type.Optional(str()),
  },
  { description: 'State of one template\'s ReplicaSet.' },
);
export type TemplateStatus = Static<typeof TemplateStatusSchema>;

export const EXPERIMENT_CONDITION_TYPES = ['InvalidSpec', 'Completed', 'Progressing', 'Running', 'ReplicaFailure'] as const;
export const ExperimentConditionSchema = conditionSchema(EXPERIMENT_CONDITION_TYPES);
export type ExperimentCondition = Static<typeof ExperimentConditionSchema>;

export const ExperimentAnalysisRunStatusSchema = Type.Object(
  {
    name: str('Analysis name within the experiment.'),
    analysisRun: str('AnalysisRun name.'),
    phase: AnalysisPhaseSchema,
    message: Type.Optional(str()),
  },
  { description: 'Phase of one of the experiment\'s AnalysisRuns.' },
);
export type ExperimentAnalysisRunStatus = Static<typeof ExperimentAnalysisRunStatusSchema>;

export const ExperimentStatusSchema = Type.Object(
  {
    phase: Type.Optional(AnalysisPhaseSchema),
    message: Type.Optional(str()),
    templateStatuses: Type.Optional(Type.Array(TemplateStatusSchema)),
    availableAt: Type.Optional(time('When all templates first became available.')),
    conditions: Type.Optional(Type.Array(ExperimentConditionSchema)),
    analysisRuns: Type.Optional(Type.Array(ExperimentAnalysisRunStatusSchema)),
  },
  { description: 'Observed state of an Experiment.' },
);
export type ExperimentStatus = Static<typeof ExperimentStatusSchema>;

export const ExperimentSchema = Type.Object(
  {
    apiVersion: Type.Optional(str()),
    kind: Type.Optional(str()),
    metadata: Type.Optional(ObjectMetaSchema),
    spec: ExperimentSpecSchema,
    status: Type.Optional(ExperimentStatusSchema),
  },
  { description: 'Runs ReplicaSets side by side for a while, optionally with analyses.' },
);
export type Experiment = Static<typeof ExperimentSchema>;
