// What a policy is matched against: the object's kind, namespace and labels, and the labels of
// its namespace when they are known.
import { isJsonObject } from '../defaults/json.ts';
import type { Labels } from '../selectors/index.ts';

export interface PolicyTarget {
  kind: string;
  /** Undefined for cluster-scoped objects (ClusterAnalysisTemplate). */
  namespace?: string;
  name?: string;
  labels: Labels;
  /**
   * Labels of the object's namespace. Undefined when unknown (ramp lint without a Namespace
   * document): a policy with a namespaceSelector then does not match, and says so.
   */
  namespaceLabels?: Labels;
}

const CLUSTER_SCOPED = new Set(['ClusterAnalysisTemplate', 'RolloutPolicy']);

/** The target of an object as read from its own fields (kind, metadata). */
export function targetOf(object: unknown, namespaceLabels?: Labels, defaultNamespace?: string): PolicyTarget {
  const o = isJsonObject(object) ? object : {};
  const metadata = isJsonObject(o['metadata']) ? o['metadata'] : {};
  const kind = typeof o['kind'] === 'string' ? o['kind'] : '';
  const labels: Record<string, string> = {};
  if (isJsonObject(metadata['labels'])) {
    for (const [k, v] of Object.entries(metadata['labels'])) if (typeof v === 'string') labels[k] = v;
  }
  const namespace = CLUSTER_SCOPED.has(kind)
    ? undefined
    : typeof metadata['namespace'] === 'string' && metadata['namespace'] !== ''
      ? metadata['namespace']
      : defaultNamespace;
  return {
    kind,
    ...(namespace === undefined ? {} : { namespace }),
    ...(typeof metadata['name'] === 'string' ? { name: metadata['name'] } : {}),
    labels,
    ...(namespaceLabels === undefined ? {} : { namespaceLabels }),
  };
}

export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}
