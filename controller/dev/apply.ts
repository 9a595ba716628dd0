// Server-side apply of manifests (what `kubectl apply --server-side --force-conflicts` does) for
// the few kinds `ramp up` writes. The body goes out as raw JSON, so CRDs keep their
// x-kubernetes-* schema keys (client-node's typed models would drop them).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/client.ts';
import { resourcePath, type ResourceRef } from '../kube/resource.ts';

export const FIELD_MANAGER = 'ramp-up';

const kinds: Record<string, ResourceRef> = {
  'v1/Namespace': { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  'v1/Service': { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  'v1/ConfigMap': { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  'apps/v1/Deployment': { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  'networking.k8s.io/v1/Ingress': { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
  },
  'argoproj.io/v1alpha1/Rollout': { group: 'argoproj.io', version: 'v1alpha1', resource: 'rollouts', kind: 'Rollout', namespaced: true },
  'argoproj.io/v1alpha1/AnalysisTemplate': { group: 'argoproj.io', version: 'v1alpha1', resource: 'analysistemplates', kind: 'AnalysisTemplate', namespaced: true },
  'argoproj.io/v1alpha1/Experiment': { group: 'argoproj.io', version: 'v1alpha1', resource: 'experiments', kind: 'Experiment', namespaced: true },
};

/** The API resource of a manifest's apiVersion and kind; throws for kinds `ramp up` does not write. */
export function resourceOf(object: KubernetesObject): ResourceRef {
  const ref = kinds[`${object.apiVersion}/${object.kind}`];
  if (!ref) throw new Error(`cannot apply ${object.apiVersion} ${object.kind}: ramp up applies only ${Object.keys(kinds).join(', ')}`);
  return ref;
}

/** The path of the object itself (for GET, PATCH, DELETE). */
export function objectPath(object: KubernetesObject): string {
  const ref = resourceOf(object);
  const name = object.metadata?.name;
  if (!name) throw new Error(`${object.kind} without metadata.name`);
  const namespace = ref.namespaced ? object.metadata?.namespace : undefined;
  if (ref.namespaced && !namespace) throw new Error(`${object.kind} ${name} without metadata.namespace`);
  return resourcePath(ref, namespace, name);
}

/** Creates or updates the object by server-side apply (taking over conflicting fields) and returns what the API server stored. */
export async function serverSideApply<T extends KubernetesObject>(client: KubeClient, object: KubernetesObject): Promise<T> {
  return client.request<T>({
    method: 'PATCH',
    path: objectPath(object),
    patchType: 'apply',
    query: { fieldManager: FIELD_MANAGER, force: true },
    body: object,
  });
}
