// Naming an API resource without discovery, and building its request paths.

export interface ResourceRef {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name as in the URL, e.g. 'replicasets'. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export function apiVersionOf(ref: ResourceRef): string {
  return ref.group === '' ? ref.version : `${ref.group}/${ref.version}`;
}

/**
 * /api/v1/namespaces/ns/configmaps/name/status, or the collection across namespaces when
 * `namespace` is undefined.
 */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  const prefix = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const ns = ref.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  let path = `${prefix}${ns}/${ref.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}

// Core resources the machinery itself uses.
export const ConfigMaps: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
export const CoreEvents: ResourceRef = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };
export const Leases: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true };
