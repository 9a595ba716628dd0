// AnalysisTemplate (namespaced) and ClusterAnalysisTemplate (cluster-scoped): same spec, no status.
import Type, { type Static } from 'typebox';
import { ObjectMetaSchema } from './meta.ts';
import {
  AnalysisTemplateRefSchema,
  ArgumentSchema,
  DryRunSchema,
  MeasurementRetentionSchema,
  MetricSchema,
} from './metric.ts';
import { str } from './primitives.ts';

export const AnalysisTemplateSpecSchema = Type.Object(
  {
    metrics: Type.Optional(Type.Array(MetricSchema, { description: 'Metrics to measure.' })),
    args: Type.Optional(Type.Array(ArgumentSchema, { description: 'Arguments the metrics use as {{args.NAME}}.' })),
    dryRun: Type.Optional(Type.Array(DryRunSchema)),
    measurementRetention: Type.Optional(Type.Array(MeasurementRetentionSchema)),
    templates: Type.Optional(
      Type.Array(AnalysisTemplateRefSchema, { description: 'Other templates whose metrics and args are merged into this one.' }),
    ),
  },
  { description: 'Metrics and arguments of an analysis.' },
);
export type AnalysisTemplateSpec = Static<typeof AnalysisTemplateSpecSchema>;

export const AnalysisTemplateSchema = Type.Object(
  {
    apiVersion: Type.Optional(str()),
    kind: Type.Optional(str()),
    metadata: Type.Optional(ObjectMetaSchema),
    spec: AnalysisTemplateSpecSchema,
  },
  { description: 'A namespaced template for analyses run by Rollouts and Experiments.' },
);
export type AnalysisTemplate = Static<typeof AnalysisTemplateSchema>;

export const ClusterAnalysisTemplateSchema = Type.Object(
  {
    apiVersion: Type.Optional(str()),
    kind: Type.Optional(str()),
    metadata: Type.Optional(ObjectMetaSchema),
    spec: AnalysisTemplateSpecSchema,
  },
  { description: 'A cluster-wide template for analyses, usable from every namespace.' },
);
export type ClusterAnalysisTemplate = Static<typeof ClusterAnalysisTemplateSchema>;
