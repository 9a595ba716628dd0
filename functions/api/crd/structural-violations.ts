// Checks the rules the API server applies to a CRD schema before it accepts it as structural
// (apiextensions.k8s.io/v1), so a broken schema fails a unit test instead of `kubectl apply`.
import type { OpenApiSchema } from './openapi-schema.ts';

/** Keywords the API server rejects in v1 CRD schemas, or that structural schemas forbid. */
const FORBIDDEN_KEYWORDS = ['$ref', '$schema', 'id', 'definitions', 'dependencies', 'additionalItems', 'patternProperties', 'uniqueItems'];
const JUNCTORS = ['anyOf', 'allOf', 'oneOf', 'not'] as const;

/**
 * Every violation as `PATH: problem`; empty when the schema is structural. The schema is a
 * CRD's top-level `openAPIV3Schema`, whose `metadata` must be a bare object.
 */
export function findStructuralViolations(schema: OpenApiSchema): string[] {
  const violations: string[] = [];
  checkRoot(schema, violations);
  walk(schema, '', violations);
  return violations;
}

function checkRoot(schema: OpenApiSchema, violations: string[]): void {
  if (schema.type !== 'object') violations.push('<root>: must be of type object');
  const metadata = schema.properties?.['metadata'];
  if (metadata !== undefined && (metadata.type !== 'object' || Object.keys(metadata).some((k) => k !== 'type' && k !== 'description'))) {
    violations.push('metadata: the root metadata schema may only be {type: object}');
  }
}

function walk(node: OpenApiSchema, path: string, violations: string[]): void {
  const at = path === '' ? '<root>' : path;
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;

  if (node.type === undefined && !intOrString && !preserve) violations.push(`${at}: has no type`);
  if (intOrString && node.type !== undefined) violations.push(`${at}: an int-or-string node must not set type`);
  for (const keyword of FORBIDDEN_KEYWORDS) {
    if (node[keyword] !== undefined) violations.push(`${at}: uses forbidden keyword ${keyword}`);
  }
  for (const junctor of JUNCTORS) {
    if (node[junctor] !== undefined && !(junctor === 'anyOf' && intOrString && isIntOrStringAnyOf(node.anyOf))) {
      violations.push(`${at}: uses ${junctor}, which Ramp's schemas do not need`);
    }
  }
  if (node.properties !== undefined && node.additionalProperties !== undefined) {
    violations.push(`${at}: has both properties and additionalProperties`);
  }
  if (typeof node.additionalProperties === 'boolean') {
    violations.push(`${at}: additionalProperties must be a schema, not a boolean`);
  }
  if ((node.properties !== undefined || node.additionalProperties !== undefined) && node.type !== 'object') {
    violations.push(`${at}: declares fields but is not of type object`);
  }
  if (node.type === 'array' && node.items === undefined) violations.push(`${at}: is an array without items`);
  if (node.items !== undefined && node.type !== 'array') violations.push(`${at}: has items but is not of type array`);
  for (const name of node.required ?? []) {
    if (node.properties?.[name] === undefined) violations.push(`${at}: requires undeclared property ${name}`);
  }

  for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, path === '' ? name : `${path}.${name}`, violations);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}{}`, violations);
  if (node.items !== undefined) walk(node.items, `${path}[]`, violations);
}

function isIntOrStringAnyOf(anyOf: OpenApiSchema[] | undefined): boolean {
  return (
    anyOf !== undefined &&
    anyOf.length === 2 &&
    anyOf.some((s) => s.type === 'integer') &&
    anyOf.some((s) => s.type === 'string')
  );
}
