// The key a queue and a cache agree on: "namespace/name", or "name" for cluster-scoped objects.

export interface ObjectMetaLike {
  metadata?: { namespace?: string; name?: string; uid?: string; resourceVersion?: string };
}

export function objectKey(obj: ObjectMetaLike): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

export function makeKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
