// Installs Ramp's CRDs (charts/ramp/crds/*.yaml) into the local cluster, idempotently.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../../../controller/localcluster/binaries.ts';
import { apiError, clients } from './cluster.ts';
import { waitFor } from './wait-for.ts';

export const crdDir = join(repoRoot, 'charts', 'ramp', 'crds');

export function crdManifests(): KubernetesObject[] {
  const files = readdirSync(crdDir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no CRD files in ${crdDir}`);
  return files.flatMap((f) =>
    parseAllDocuments(readFileSync(join(crdDir, f), 'utf8'))
      .map((d) => d.toJS() as KubernetesObject | null)
      .filter((d): d is KubernetesObject => d !== null && d.kind === 'CustomResourceDefinition'),
  );
}

const crdApi = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' } as const;

/**
 * Creates (or replaces) every CRD and waits until each is Established; returns their names.
 * Sent through CustomObjectsApi, whose body is passed through as JSON: the typed clients
 * (ApiextensionsV1Api, KubernetesObjectApi) serialise through models that silently drop
 * schema keys such as x-kubernetes-int-or-string.
 */
export async function installCrds(timeoutMs = 60_000): Promise<string[]> {
  const { custom, apiextensions } = clients();
  const manifests = crdManifests();
  for (const crd of manifests) {
    const name = crd.metadata?.name ?? '';
    try {
      await custom.createClusterCustomObject({ ...crdApi, body: crd, fieldManager: 'ramp-integration-tests' });
    } catch (error) {
      if (apiError(error).code !== 409) throw error;
      const current = (await custom.getClusterCustomObject({ ...crdApi, name })) as KubernetesObject;
      const body = { ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata?.resourceVersion } };
      await custom.replaceClusterCustomObject({ ...crdApi, name, body, fieldManager: 'ramp-integration-tests' });
    }
  }
  const names = manifests.map((m) => m.metadata?.name ?? '');
  for (const name of names) {
    await waitFor(
      async () => {
        const crd = await apiextensions.readCustomResourceDefinition({ name });
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
      },
      { what: `CRD ${name} to be Established`, timeoutMs },
    );
  }
  return names;
}
