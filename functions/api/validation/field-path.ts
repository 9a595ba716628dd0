// Converts a JSON pointer (`/spec/strategy/canary/steps/2/setWeight`) into a Kubernetes field
// path (`spec.strategy.canary.steps[2].setWeight`). Struct fields are joined with dots, list
// indexes and map keys go in brackets (`metadata.labels[app.kubernetes.io/name]`), so the schema
// is consulted to tell a struct from a map.

type SchemaNode = Record<string, unknown>;

export const ROOT_PATH = '<root>';

export function pointerToFieldPath(schema: SchemaNode, pointer: string): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapeSegment);
  let path = '';
  let node: SchemaNode | undefined = schema;
  for (const segment of segments) {
    const step = stepInto(node, segment);
    path += step.rendered(path === '');
    node = step.child;
  }
  return path === '' ? ROOT_PATH : path;
}

/** Appends a struct field name to a path produced by {@link pointerToFieldPath}. */
export function childPath(path: string, field: string): string {
  return path === ROOT_PATH ? field : `${path}.${field}`;
}

interface Step {
  rendered: (atStart: boolean) => string;
  child: SchemaNode | undefined;
}

function stepInto(node: SchemaNode | undefined, segment: string): Step {
  if (node?.['type'] === 'array' || (node?.['items'] !== undefined && /^\d+$/.test(segment))) {
    return { rendered: () => `[${segment}]`, child: node?.['items'] as SchemaNode | undefined };
  }
  const properties = node?.['properties'] as Record<string, SchemaNode> | undefined;
  if (properties !== undefined) {
    return { rendered: (atStart) => (atStart ? segment : `.${segment}`), child: properties[segment] };
  }
  const mapValue = mapValueSchema(node);
  if (mapValue !== undefined) return { rendered: () => `[${segment}]`, child: mapValue };
  // Free-form content: dots for plain names, brackets for anything else.
  const plain = /^[A-Za-z_$][\w$-]*$/.test(segment);
  return { rendered: (atStart) => (plain ? (atStart ? segment : `.${segment}`) : `[${segment}]`), child: undefined };
}

function mapValueSchema(node: SchemaNode | undefined): SchemaNode | undefined {
  const patterns = node?.['patternProperties'] as Record<string, SchemaNode> | undefined;
  if (patterns !== undefined) return Object.values(patterns)[0];
  const additional = node?.['additionalProperties'];
  return typeof additional === 'object' && additional !== null ? (additional as SchemaNode) : undefined;
}

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
