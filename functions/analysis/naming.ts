// Names, labels and annotations of the AnalysisRuns a Rollout creates (reference §11.6).
import {
  CONTROLLER_INSTANCE_ID_LABEL,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  ROLLOUT_TYPE,
  ROLLOUT_TYPE_LABEL,
  STEP_INDEX_LABEL,
} from '../api/index.ts';

export type RolloutAnalysisKind =
  | { kind: 'step'; stepIndex: number }
  | { kind: 'background' }
  | { kind: 'prePromotion' }
  | { kind: 'postPromotion' };

export interface RolloutAnalysisRunIdentity {
  rolloutName: string;
  /** The new ReplicaSet's pod template hash. */
  podTemplateHash: string;
  /** The Rollout's `rollout.argoproj.io/revision`. */
  revision: string;
  analysis: RolloutAnalysisKind;
  /** --instance-id, when set. */
  instanceId?: string;
}

/**
 * `<rollout>-<hash>-<revision>` followed by `-<stepIndex>` (step), `-pre`, `-post`, or nothing
 * (background). `attempt` > 0 gives `<name>.<attempt>`, used when the name is taken by a run
 * that cannot be reused.
 */
export function rolloutAnalysisRunName(id: RolloutAnalysisRunIdentity, attempt = 0): string {
  const parts = [id.rolloutName, id.podTemplateHash, id.revision];
  switch (id.analysis.kind) {
    case 'step': parts.push(String(id.analysis.stepIndex)); break;
    case 'prePromotion': parts.push('pre'); break;
    case 'postPromotion': parts.push('post'); break;
    case 'background': break;
  }
  const name = parts.join('-');
  return attempt > 0 ? `${name}.${attempt}` : name;
}

/**
 * Labels: the pod template hash, `rollout-type` (Step, Background, PrePromotion, PostPromotion),
 * `step-index` for a step, the instance id, then the run metadata's labels and the Rollout's
 * selector labels (later ones win, as in Argo).
 */
export function rolloutAnalysisRunLabels(
  id: RolloutAnalysisRunIdentity,
  extra: { metadataLabels?: Record<string, string>; selectorLabels?: Record<string, string> } = {},
): Record<string, string> {
  const labels: Record<string, string> = { [POD_TEMPLATE_HASH_LABEL]: id.podTemplateHash };
  switch (id.analysis.kind) {
    case 'step':
      labels[ROLLOUT_TYPE_LABEL] = ROLLOUT_TYPE.step;
      labels[STEP_INDEX_LABEL] = String(id.analysis.stepIndex);
      break;
    case 'background': labels[ROLLOUT_TYPE_LABEL] = ROLLOUT_TYPE.background; break;
    case 'prePromotion': labels[ROLLOUT_TYPE_LABEL] = ROLLOUT_TYPE.prePromotion; break;
    case 'postPromotion': labels[ROLLOUT_TYPE_LABEL] = ROLLOUT_TYPE.postPromotion; break;
  }
  if (id.instanceId) labels[CONTROLLER_INSTANCE_ID_LABEL] = id.instanceId;
  return { ...labels, ...extra.metadataLabels, ...extra.selectorLabels };
}

/** Annotations: the revision, then the run metadata's annotations. */
export function rolloutAnalysisRunAnnotations(revision: string, metadataAnnotations?: Record<string, string>): Record<string, string> {
  return { [REVISION_ANNOTATION]: revision, ...metadataAnnotations };
}
