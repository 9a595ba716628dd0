// The small part of Kubernetes' metav1 the Argo kinds need.
import Type, { type Static } from 'typebox';
import { freeFormObject, int64, str, stringMap, time } from './primitives.ts';

export const LabelSelectorRequirementSchema = Type.Object({
  key: str('The label key the selector applies to.'),
  operator: str('In, NotIn, Exists or DoesNotExist.'),
  values: Type.Optional(
    Type.Array(Type.String(), { 'x-kubernetes-list-type': 'atomic', description: 'Values for In and NotIn; empty for Exists and DoesNotExist.' }),
  ),
});
export type LabelSelectorRequirement = Static<typeof LabelSelectorRequirementSchema>;

/**
 * metav1.LabelSelector; replaced as a whole by server-side apply (map-type atomic), as in Argo.
 * `extra` adds schema options such as a description or CEL rules.
 */
export function labelSelectorSchema(extra: Record<string, unknown> = {}) {
  return Type.Object(
    {
      matchLabels: Type.Optional(stringMap('Labels that must all be present with these values.')),
      matchExpressions: Type.Optional(
        Type.Array(LabelSelectorRequirementSchema, { 'x-kubernetes-list-type': 'atomic', description: 'Requirements that must all hold.' }),
      ),
    },
    { 'x-kubernetes-map-type': 'atomic', description: 'A label query over a set of resources.', ...extra },
  );
}
export const LabelSelectorSchema = labelSelectorSchema();
export type LabelSelector = Static<typeof LabelSelectorSchema>;

export const OwnerReferenceSchema = Type.Object({
  apiVersion: str(),
  kind: str(),
  name: str(),
  uid: str(),
  controller: Type.Optional(Type.Boolean()),
  blockOwnerDeletion: Type.Optional(Type.Boolean()),
});
export type OwnerReference = Static<typeof OwnerReferenceSchema>;

/**
 * metav1.ObjectMeta, for TypeScript and runtime shape checks. The CRDs never carry it: the API
 * server owns the root `metadata` schema, so the generator writes `metadata: {type: object}`.
 */
export const ObjectMetaSchema = Type.Object({
  name: Type.Optional(str()),
  generateName: Type.Optional(str()),
  namespace: Type.Optional(str()),
  selfLink: Type.Optional(str()),
  uid: Type.Optional(str()),
  resourceVersion: Type.Optional(str()),
  generation: Type.Optional(int64()),
  creationTimestamp: Type.Optional(time()),
  deletionTimestamp: Type.Optional(time()),
  deletionGracePeriodSeconds: Type.Optional(int64()),
  labels: Type.Optional(stringMap()),
  annotations: Type.Optional(stringMap()),
  ownerReferences: Type.Optional(Type.Array(OwnerReferenceSchema)),
  finalizers: Type.Optional(Type.Array(Type.String())),
  managedFields: Type.Optional(Type.Array(freeFormObject())),
});
export type ObjectMeta = Static<typeof ObjectMetaSchema>;

/** Labels and annotations only: pod template metadata, ephemeral metadata, AnalysisRun metadata. */
export const PodTemplateMetadataSchema = Type.Object({
  labels: Type.Optional(stringMap('Labels to set.')),
  annotations: Type.Optional(stringMap('Annotations to set.')),
});
export type PodTemplateMetadata = Static<typeof PodTemplateMetadataSchema>;

/** Metadata Argo copies onto the AnalysisRuns it creates; same shape as pod template metadata. */
export const AnalysisRunMetadataSchema = PodTemplateMetadataSchema;
export type AnalysisRunMetadata = PodTemplateMetadata;

export const ConditionStatusSchema = Type.Unsafe<'True' | 'False' | 'Unknown'>({
  type: 'string',
  description: 'True, False or Unknown.',
});
export type ConditionStatus = Static<typeof ConditionStatusSchema>;
