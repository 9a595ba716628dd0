// Installs Ramp's CRDs (charts/ramp/crds/*.yaml) by server-side apply and waits until each is
// Established. Idempotent: an up-to-date CRD is left as it is.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/client.ts';
import { repoRoot } from '../localcluster/binaries.ts';
import { objectPath, serverSideApply } from './apply.ts';
import { parseManifests } from './examples.ts';
import { pollUntil } from './wait.ts';

export const crdDir = join(repoRoot, 'charts', 'ramp', 'crds');

export function crdManifests(dir: string = crdDir): KubernetesObject[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no CRD files in ${dir}`);
  return files.flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8'), f).filter((o) => o.kind === 'CustomResourceDefinition'));
}

interface Crd extends KubernetesObject {
  status?: { conditions?: { type: string; status: string; message?: string }[] };
}

/** Applies every CRD, then waits until all are Established; returns their names. */
export async function installCrds(client: KubeClient, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string[]> {
  const manifests = crdManifests();
  for (const crd of manifests) await serverSideApply(client, crd);
  for (const crd of manifests) {
    const name = crd.metadata?.name ?? '';
    await pollUntil(
      async () => {
        const current = await client.request<Crd>({ method: 'GET', path: objectPath(crd) });
        const established = current.status?.conditions?.find((c) => c.type === 'Established');
        return established?.status === 'True' || `Established=${established?.status ?? 'unknown'}`;
      },
      { what: `CRD ${name} to be Established`, timeoutMs: opts.timeoutMs ?? 60_000, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
  }
  return manifests.map((m) => m.metadata?.name ?? '');
}
