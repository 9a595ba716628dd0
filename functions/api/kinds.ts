// The registry of served kinds: everything the CRD generator and the shape validator need to
// know about a kind besides its schema.
import type { TSchema } from 'typebox';
import { AnalysisRunSchema } from './schema/analysis-run.ts';
import { AnalysisTemplateSchema, ClusterAnalysisTemplateSchema } from './schema/analysis-template.ts';
import { ExperimentSchema } from './schema/experiment.ts';
import { RolloutSchema } from './schema/rollout.ts';

export const ARGO_KINDS = ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun', 'Experiment'] as const;
export type ArgoKind = (typeof ARGO_KINDS)[number];

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'string' | 'date';
  jsonPath: string;
  description: string;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath: string;
}

export interface KindDefinition {
  kind: ArgoKind;
  plural: string;
  singular: string;
  listKind: string;
  shortNames: readonly string[];
  scope: 'Namespaced' | 'Cluster';
  schema: TSchema;
  /**
   * Whether `status` is a subresource. As in Argo's CRDs only Rollout has one: AnalysisRun and
   * Experiment status is written on the main resource (reference §0.2, §12.2), so clients that
   * write it there (Argo's own controller, Argo CD, scripts) keep working against Ramp's CRDs.
   */
  statusSubresource: boolean;
  scaleSubresource?: ScaleSubresource;
  printerColumns: readonly PrinterColumn[];
}

const AGE: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'Time since resource was created',
};

const PHASE: PrinterColumn = {
  name: 'Status',
  type: 'string',
  jsonPath: '.status.phase',
  description: 'Phase of the run',
};

export const KIND_DEFINITIONS: Readonly<Record<ArgoKind, KindDefinition>> = {
  Rollout: {
    kind: 'Rollout',
    plural: 'rollouts',
    singular: 'rollout',
    listKind: 'RolloutList',
    shortNames: ['ro'],
    scope: 'Namespaced',
    schema: RolloutSchema,
    statusSubresource: true,
    scaleSubresource: {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.HPAReplicas',
      labelSelectorPath: '.status.selector',
    },
    printerColumns: [
      { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', description: 'Number of desired pods' },
      { name: 'Current', type: 'integer', jsonPath: '.status.replicas', description: 'Total number of non-terminated pods of the rollout' },
      {
        name: 'Up-to-date',
        type: 'integer',
        jsonPath: '.status.updatedReplicas',
        description: 'Pods of the rollout that run the desired template',
      },
      {
        name: 'Available',
        type: 'integer',
        jsonPath: '.status.availableReplicas',
        description: 'Pods of the rollout that have been ready for at least minReadySeconds',
      },
      AGE,
    ],
  },
  AnalysisTemplate: {
    kind: 'AnalysisTemplate',
    plural: 'analysistemplates',
    singular: 'analysistemplate',
    listKind: 'AnalysisTemplateList',
    shortNames: ['at'],
    scope: 'Namespaced',
    schema: AnalysisTemplateSchema,
    statusSubresource: false,
    printerColumns: [AGE],
  },
  ClusterAnalysisTemplate: {
    kind: 'ClusterAnalysisTemplate',
    plural: 'clusteranalysistemplates',
    singular: 'clusteranalysistemplate',
    listKind: 'ClusterAnalysisTemplateList',
    shortNames: ['cat'],
    scope: 'Cluster',
    schema: ClusterAnalysisTemplateSchema,
    statusSubresource: false,
    printerColumns: [AGE],
  },
  AnalysisRun: {
    kind: 'AnalysisRun',
    plural: 'analysisruns',
    singular: 'analysisrun',
    listKind: 'AnalysisRunList',
    shortNames: ['ar'],
    scope: 'Namespaced',
    schema: AnalysisRunSchema,
    statusSubresource: false,
    printerColumns: [{ ...PHASE, description: 'AnalysisRun status' }, AGE],
  },
  Experiment: {
    kind: 'Experiment',
    plural: 'experiments',
    singular: 'experiment',
    listKind: 'ExperimentList',
    shortNames: ['exp'],
    scope: 'Namespaced',
    schema: ExperimentSchema,
    statusSubresource: false,
    printerColumns: [{ ...PHASE, description: 'Experiment status' }, AGE],
  },
};

export function isArgoKind(value: unknown): value is ArgoKind {
  return typeof value === 'string' && (ARGO_KINDS as readonly string[]).includes(value);
}
