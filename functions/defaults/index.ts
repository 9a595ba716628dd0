// Defaulting: Argo's implicit defaults made explicit (pure, idempotent).
export { applyBuiltInDefaults, builtInDefaultsFor, type Defaulted } from './apply-defaults.ts';
export { applyFieldDefaults, fieldDefaultPath, type FieldDefault } from './field-default.ts';
export { isAbsent, isJsonObject, objectAt, type JsonObject } from './json.ts';
export * from './rollout-defaults.ts';
