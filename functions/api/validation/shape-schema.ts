// Prepares a kind's TypeBox schema for runtime shape checks: a plain JSON copy in which, when
// unknown fields are to be reported, every declared struct that does not preserve unknown
// fields gets `additionalProperties: false`.
import type { TSchema } from 'typebox';

type SchemaNode = Record<string, unknown>;

export function toShapeSchema(schema: TSchema, reportUnknownFields: boolean): SchemaNode {
  const copy = JSON.parse(JSON.stringify(schema)) as SchemaNode;
  if (reportUnknownFields) closeStructs(copy);
  return copy;
}

function closeStructs(node: SchemaNode): void {
  const properties = node['properties'] as Record<string, SchemaNode> | undefined;
  if (
    properties !== undefined &&
    node['additionalProperties'] === undefined &&
    node['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    node['additionalProperties'] = false;
  }
  for (const child of Object.values(properties ?? {})) closeStructs(child);
  for (const child of Object.values((node['patternProperties'] as Record<string, SchemaNode> | undefined) ?? {})) closeStructs(child);
  const additional = node['additionalProperties'];
  if (typeof additional === 'object' && additional !== null) closeStructs(additional as SchemaNode);
  const items = node['items'];
  if (typeof items === 'object' && items !== null) closeStructs(items as SchemaNode);
}
