// The public face of the API module: the argoproj.io/v1alpha1 kinds as TypeScript types (derived
// from the TypeBox schemas, the one source), their schemas, the CRD generator, shape validation
// and the shared FieldError.

export { ARGO_API_VERSION, ARGO_GROUP, ARGO_VERSION, RAMP_GROUP } from './groups.ts';
export * from './labels.ts';
export {
  type FieldError,
  type FieldErrorType,
  duplicateError,
  forbiddenError,
  formatFieldError,
  invalidError,
  notSupportedError,
  requiredError,
} from './field-error.ts';
export { type ConditionValue, getCondition, removeCondition, setCondition, type SetConditionOptions } from './conditions.ts';
export { ARGO_KINDS, type ArgoKind, KIND_DEFINITIONS, type KindDefinition, type PrinterColumn, isArgoKind } from './kinds.ts';
export { type ShapeOptions, validateShape } from './validation/validate-shape.ts';
export { ROOT_PATH } from './validation/field-path.ts';
export {
  type CustomResourceDefinition,
  type CustomResourceDefinitionVersion,
  generateCrds,
  generateRampCrds,
} from './crd/custom-resource-definition.ts';
export { type CrdFile, GENERATED_HEADER, crdFiles, crdYaml, rampCrdFiles } from './crd/crd-yaml.ts';
export type { OpenApiSchema } from './crd/openapi-schema.ts';
export { findStructuralViolations } from './crd/structural-violations.ts';
export { toStructuralSchema } from './crd/structural-schema.ts';

// Kinds and their parts: schema constants (…Schema) and the types derived from them.
export * from './schema/meta.ts';
export * from './schema/pod-template.ts';
export * from './schema/metric-providers.ts';
export * from './schema/metric.ts';
export * from './schema/analysis-template.ts';
export * from './schema/analysis-run.ts';
export * from './schema/rollout-analysis.ts';
export * from './schema/canary-step.ts';
export * from './schema/traffic-routing.ts';
export * from './schema/rollout-strategy.ts';
export * from './schema/rollout-spec.ts';
export * from './schema/rollout-status.ts';
export * from './schema/rollout.ts';
export * from './schema/experiment.ts';
export * from './schema/rollout-policy.ts';
