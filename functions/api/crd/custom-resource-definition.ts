// Builds the apiextensions.k8s.io/v1 CustomResourceDefinitions from the kind registry.
import { ARGO_GROUP, ARGO_VERSION, RAMP_GROUP } from '../groups.ts';
import { ARGO_KINDS, KIND_DEFINITIONS, type KindDefinition, type PrinterColumn } from '../kinds.ts';
import { RAMP_VERSION, ROLLOUT_POLICY_KIND_DEFINITION } from '../schema/rollout-policy.ts';
import type { OpenApiSchema } from './openapi-schema.ts';
import { toStructuralSchema } from './structural-schema.ts';

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: CustomResourceDefinitionVersion[];
  };
}

export interface CustomResourceDefinitionVersion {
  name: string;
  served: boolean;
  storage: boolean;
  additionalPrinterColumns: PrinterColumn[];
  schema: { openAPIV3Schema: OpenApiSchema };
  subresources: {
    status?: Record<string, never>;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
  };
}

/** One CRD per Argo kind, in the order of {@link ARGO_KINDS}. Pure and deterministic. */
export function generateCrds(): CustomResourceDefinition[] {
  return ARGO_KINDS.map((kind) => crdFor(KIND_DEFINITIONS[kind]));
}

/** Ramp's own kinds (group ramp.dev): RolloutPolicy. */
export function generateRampCrds(): CustomResourceDefinition[] {
  return [crdFor(ROLLOUT_POLICY_KIND_DEFINITION, RAMP_GROUP, RAMP_VERSION)];
}

/** A kind's definition as the generator needs it; Ramp's own kinds are not ArgoKinds. */
export type CrdKindDefinition = Omit<KindDefinition, 'kind' | 'shortNames' | 'printerColumns'> & {
  kind: string;
  shortNames: readonly string[];
  printerColumns: readonly PrinterColumn[];
};

export function crdFor(definition: CrdKindDefinition, group: string = ARGO_GROUP, version: string = ARGO_VERSION): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${definition.plural}.${group}` },
    spec: {
      group,
      names: {
        kind: definition.kind,
        listKind: definition.listKind,
        plural: definition.plural,
        singular: definition.singular,
        shortNames: [...definition.shortNames],
      },
      scope: definition.scope,
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          additionalPrinterColumns: definition.printerColumns.map((column) => ({ ...column })),
          schema: { openAPIV3Schema: rootSchema(definition) },
          subresources: subresourcesOf(definition),
        },
      ],
    },
  };
}

/** The API server owns `metadata`: a CRD may only say it is an object. */
function rootSchema(definition: CrdKindDefinition): OpenApiSchema {
  const schema = toStructuralSchema(definition.schema);
  if (schema.properties?.['metadata'] !== undefined) schema.properties['metadata'] = { type: 'object' };
  return schema;
}

function subresourcesOf(definition: CrdKindDefinition): CustomResourceDefinitionVersion['subresources'] {
  const subresources: CustomResourceDefinitionVersion['subresources'] = {};
  if (definition.scaleSubresource !== undefined) subresources.scale = { ...definition.scaleSubresource };
  if (definition.statusSubresource) subresources.status = {};
  return subresources;
}
