// `ramp undo NAME [--to-revision N]` (reference §13): put the pod template of an earlier
// revision back into the Rollout (or into the workload its workloadRef names).
import { EPHEMERAL_METADATA_ANNOTATION, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, type Rollout } from '../api/index.ts';
import { isOwnedBy, revisionOf, type PodTemplateView, type ReplicaSetView } from './objects.ts';
import { rolloutName } from './rollout-facts.ts';
import { isDerivative } from './template-derivative.ts';
import { ActionRefused, type ActionPlan, type JsonValue, type WriteTarget } from './rollout-write.ts';

export interface UndoOptions {
  /** The revision to go back to; 0 or absent: the one before the newest. */
  toRevision?: number;
  /**
   * With workloadRef: the referenced workload's current pod template, to skip an undo that
   * would change nothing. Without it the template is always written.
   */
  workloadTemplate?: PodTemplateView;
}

interface Revisioned {
  revision: number;
  replicaSet: ReplicaSetView;
}

/** ReplicaSets of the rollout with a readable revision annotation, newest revision first. */
export function revisionHistory(rollout: Rollout, replicaSets: readonly ReplicaSetView[]): Revisioned[] {
  const owner = { kind: 'Rollout', metadata: { ...(rollout.metadata?.uid ? { uid: rollout.metadata.uid } : {}), name: rolloutName(rollout) } };
  const out: Revisioned[] = [];
  for (const rs of replicaSets) {
    if (!isOwnedBy(rs, owner)) continue;
    const revision = revisionOf(rs.metadata, REVISION_ANNOTATION);
    if (revision !== undefined) out.push({ revision, replicaSet: rs });
  }
  return out.sort((a, b) => b.revision - a.revision || (a.replicaSet.metadata?.name ?? '').localeCompare(b.replicaSet.metadata?.name ?? ''));
}

function ephemeralKeys(rs: ReplicaSetView): { labels: string[]; annotations: string[] } {
  const raw = rs.metadata?.annotations?.[EPHEMERAL_METADATA_ANNOTATION];
  if (!raw) return { labels: [], annotations: [] };
  try {
    const parsed = JSON.parse(raw) as { labels?: Record<string, string>; annotations?: Record<string, string> };
    return { labels: Object.keys(parsed.labels ?? {}), annotations: Object.keys(parsed.annotations ?? {}) };
  } catch {
    return { labels: [], annotations: [] };
  }
}

/**
 * The ReplicaSet's pod template as the Rollout should hold it: without the
 * `rollouts-pod-template-hash` label (Argo's plugin removes just that) and without the canary /
 * stable metadata the controller injected (recorded in the `rollout.argoproj.io/ephemeral-metadata`
 * annotation; Argo's plugin leaves it in, which copies e.g. a `role: canary` label into the spec).
 */
export function templateForUndo(rs: ReplicaSetView): PodTemplateView {
  const template = structuredClone(rs.spec?.template ?? {});
  const metadata = template.metadata ?? {};
  const injected = ephemeralKeys(rs);
  if (metadata.labels) {
    delete metadata.labels[POD_TEMPLATE_HASH_LABEL];
    for (const k of injected.labels) delete metadata.labels[k];
  }
  if (metadata.annotations) {
    for (const k of injected.annotations) delete metadata.annotations[k];
    if (Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
  }
  if (metadata['creationTimestamp'] === null) delete metadata['creationTimestamp'];
  template.metadata = metadata;
  return template;
}

function withoutHashLabel(template: PodTemplateView | undefined): PodTemplateView | undefined {
  if (template === undefined) return undefined;
  const copy = structuredClone(template);
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return copy;
}

/**
 * A JSON patch `[{"op":"replace","path":"/spec/template","value":<template>}]` on the Rollout,
 * or on its workloadRef Deployment or ReplicaSet (`/template` for a PodTemplate, whose template
 * is at the top level). Refused when the revision is not in the history.
 */
export function undo(rollout: Rollout, replicaSets: readonly ReplicaSetView[], options: UndoOptions = {}): ActionPlan {
  const name = rolloutName(rollout);
  const toRevision = options.toRevision ?? 0;
  if (!Number.isInteger(toRevision) || toRevision < 0) throw new RangeError(`--to-revision must be a whole number ≥ 0, got ${toRevision}`);
  const history = revisionHistory(rollout, replicaSets);
  const have = history.length > 0 ? [...new Set(history.map((h) => h.revision))].sort((a, b) => a - b).join(', ') : 'none';
  let chosen: Revisioned | undefined;
  if (toRevision > 0) {
    chosen = history.find((h) => h.revision === toRevision);
    if (chosen === undefined) throw new ActionRefused(`revision ${toRevision} not found in the history of rollout '${name}' (revisions: ${have})`);
  } else {
    const newest = history[0]?.revision;
    chosen = history.find((h) => h.revision !== newest);
    if (chosen === undefined) throw new ActionRefused(`rollout '${name}' has no earlier revision to go back to (revisions: ${have})`);
  }

  const ref = rollout.spec.workloadRef;
  let target: WriteTarget;
  let path: string;
  let current: PodTemplateView | undefined;
  if (ref !== undefined) {
    const kind = ref.kind;
    if (kind !== 'Deployment' && kind !== 'ReplicaSet' && kind !== 'PodTemplate') {
      throw new ActionRefused(`rollout '${name}' references a workload of kind ${kind ?? '(none)'}: undo supports Deployment, ReplicaSet and PodTemplate`);
    }
    target = { kind, name: ref.name ?? '' };
    path = kind === 'PodTemplate' ? '/template' : '/spec/template';
    current = options.workloadTemplate;
  } else {
    target = { kind: 'Rollout', name };
    path = '/spec/template';
    current = rollout.spec.template as PodTemplateView | undefined;
  }

  const revision = chosen.revision;
  if (current !== undefined && isDerivative(withoutHashLabel(current), withoutHashLabel(chosen.replicaSet.spec?.template))) {
    return { writes: [], message: `skipped rollback (current template already matches revision ${revision})` };
  }
  const value = templateForUndo(chosen.replicaSet) as unknown as JsonValue;
  return {
    writes: [{ type: 'json', target, operations: [{ op: 'replace', path, value }] }],
    message: `rollout '${name}' undo: pod template of revision ${revision} (ReplicaSet ${chosen.replicaSet.metadata?.name ?? '?'}) restored${ref ? ` into ${target.kind} '${target.name}'` : ''}`,
  };
}
