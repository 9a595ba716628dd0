// Turns a TypeBox schema (plain JSON Schema underneath) into the structural OpenAPI v3 form the
// API server wants: maps become `additionalProperties`, objects with declared properties drop
// `additionalProperties`, TypeBox-only keywords disappear, keys are sorted so the YAML is stable.
import type { TSchema } from 'typebox';
import type { OpenApiSchema } from './openapi-schema.ts';

/** Keywords copied verbatim (besides the structural ones handled explicitly). */
const COPIED_KEYWORDS = [
  'type',
  'format',
  'description',
  'enum',
  'default',
  'nullable',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-map-type',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-validations',
  'x-kubernetes-embedded-resource',
] as const;

export function toStructuralSchema(schema: TSchema): OpenApiSchema {
  return sortKeys(convert(schema as Record<string, unknown>));
}

function convert(node: Record<string, unknown>): OpenApiSchema {
  const out: OpenApiSchema = {};
  const copied: Record<string, unknown> = out;
  for (const keyword of COPIED_KEYWORDS) {
    if (node[keyword] !== undefined) copied[keyword] = structuredClone(node[keyword]);
  }
  const properties = node['properties'] as Record<string, Record<string, unknown>> | undefined;
  const patternProperties = node['patternProperties'] as Record<string, Record<string, unknown>> | undefined;
  const additional = node['additionalProperties'];
  if (properties !== undefined) {
    out.properties = {};
    for (const [name, child] of Object.entries(properties)) out.properties[name] = convert(child);
    const required = node['required'] as string[] | undefined;
    if (required !== undefined && required.length > 0) out.required = [...required].sort();
  } else if (patternProperties !== undefined) {
    const values = Object.values(patternProperties);
    if (values.length !== 1) throw new Error('a map schema must have exactly one pattern');
    out.additionalProperties = convert(values[0] as Record<string, unknown>);
  } else if (typeof additional === 'object' && additional !== null) {
    out.additionalProperties = convert(additional as Record<string, unknown>);
  }
  if (out.additionalProperties !== undefined || out.properties !== undefined) out.type ??= 'object';
  const items = node['items'];
  if (items !== undefined) {
    if (Array.isArray(items)) throw new Error('tuple schemas are not structural');
    out.items = convert(items as Record<string, unknown>);
  }
  return out;
}

function sortKeys(node: OpenApiSchema): OpenApiSchema {
  const sorted: OpenApiSchema = {};
  for (const key of Object.keys(node).sort()) {
    const value = node[key];
    if (key === 'properties') {
      const properties: Record<string, OpenApiSchema> = {};
      for (const name of Object.keys(value as object).sort()) {
        properties[name] = sortKeys((value as Record<string, OpenApiSchema>)[name] as OpenApiSchema);
      }
      sorted.properties = properties;
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object') {
      sorted[key] = sortKeys(value as OpenApiSchema);
    } else {
      sorted[key] = value;
    }
  }
  return sorted;
}
