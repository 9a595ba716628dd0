// The examples `ramp up` can apply (examples/*.yaml), read and moved into the chosen namespace.
// Pure apart from reading the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from '../localcluster/binaries.ts';

export const examplesDir = join(repoRoot, 'examples');

/** The namespace the examples are written for, and the default of `ramp up --namespace`. */
export const DEMO_NAMESPACE = 'ramp-demo';

export interface Example {
  /** `ramp up --example NAME`. */
  name: string;
  /** Relative to the repository root. */
  file: string;
  /** The Rollout in the file, and the container and image `ramp set image` changes. */
  rollout: string;
  container: string;
  image: string;
  /** The image the printed `ramp set image` command moves to. */
  nextImage: string;
  /** What promote does in this example, for the printed instructions. */
  promoteNote: string;
}

export const examples: readonly Example[] = [
  {
    name: 'canary',
    file: 'examples/canary.yaml',
    rollout: 'demo',
    container: 'demo',
    image: 'argoproj/rollouts-demo:blue',
    nextImage: 'argoproj/rollouts-demo:yellow',
    promoteNote: 'past the pause after setWeight 20; the rest of the steps run by themselves',
  },
  {
    name: 'blue-green',
    file: 'examples/blue-green.yaml',
    rollout: 'demo-bluegreen',
    container: 'demo',
    image: 'argoproj/rollouts-demo:blue',
    nextImage: 'argoproj/rollouts-demo:yellow',
    promoteNote: 'switch the active Service to the new version',
  },
];

export function findExample(name: string): Example | undefined {
  return examples.find((e) => e.name === name);
}

/** Every Kubernetes object of a multi-document YAML text (empty documents skipped). */
export function parseManifests(text: string, file = '<input>'): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (const [i, doc] of parseAllDocuments(text).entries()) {
    if (doc.errors.length > 0) throw new Error(`${file}:${i + 1}: ${doc.errors[0]?.message ?? 'YAML error'}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value) || !('kind' in value) || !('apiVersion' in value)) {
      throw new Error(`${file}:${i + 1}: not a Kubernetes object (no apiVersion/kind)`);
    }
    out.push(value as KubernetesObject);
  }
  return out;
}

/**
 * The objects with their namespace set to `namespace`: a Namespace document is renamed, every
 * namespaced object moved. Cluster-scoped kinds other than Namespace are not expected in
 * examples and are refused, so an example can never change something outside its namespace.
 */
export function intoNamespace(objects: readonly KubernetesObject[], namespace: string): KubernetesObject[] {
  return objects.map((o) => {
    if (o.kind === 'Namespace') return { ...o, metadata: { ...o.metadata, name: namespace } };
    if (!namespacedKinds.has(o.kind ?? '')) throw new Error(`${o.kind} ${o.metadata?.name ?? ''}: examples may hold only namespaced kinds ${[...namespacedKinds].join(', ')} and a Namespace`);
    return { ...o, metadata: { ...o.metadata, namespace } };
  });
}

const namespacedKinds = new Set(['Service', 'Ingress', 'ConfigMap', 'Rollout', 'AnalysisTemplate', 'Experiment', 'Deployment']);

export function readExample(example: Example, namespace: string): KubernetesObject[] {
  const file = join(repoRoot, example.file);
  return intoNamespace(parseManifests(readFileSync(file, 'utf8'), example.file), namespace);
}
