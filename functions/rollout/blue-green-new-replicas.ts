export interface BlueGreenNewReplicaSetInput {
  /** spec.replicas */
  replicas: number;
  /** spec.strategy.blueGreen.previewReplicaCount; undefined = always full size. */
  previewReplicaCount?: number;
  /** Pod-template hash of the new ReplicaSet. */
  newRSHash: string;
  /**
   * Pod-template hash of the existing ReplicaSet the active Service selects
   * (status.blueGreen.activeSelector), or undefined when no such ReplicaSet exists.
   */
  activeRSHash?: string;
  /** status.currentPodHash as last recorded. */
  currentPodHash?: string;
  /** spec.paused */
  paused?: boolean;
  /** Whether status.pauseConditions is non-empty. */
  hasPauseConditions?: boolean;
  /** status.blueGreen.scaleUpPreviewCheckPoint */
  scaleUpPreviewCheckPoint?: boolean;
  /** status.promoteFull */
  promoteFull?: boolean;
}

/**
 * Desired spec.replicas of a blue-green rollout's new ReplicaSet (reference §9.1).
 * Full `replicas`, except that with previewReplicaCount set, a new RS that is not yet active
 * runs previewReplicaCount pods until the update is resumed: i.e. until the preview checkpoint
 * was reached (pre-promotion analysis passed, pause completed, preview pods available) and
 * nothing pauses the rollout any more, or a full promotion was requested. A new RS that the
 * recorded currentPodHash does not know yet (a fresh update) always starts at the preview size.
 */
export function blueGreenNewReplicaSetReplicas(input: BlueGreenNewReplicaSetInput): number {
  const { replicas, previewReplicaCount } = input;
  if (previewReplicaCount === undefined) return replicas;
  if (input.activeRSHash === undefined || input.activeRSHash === input.newRSHash) return replicas;
  if (input.promoteFull) return replicas;
  if (input.newRSHash !== input.currentPodHash) return previewReplicaCount;
  const resumed = !input.paused && !input.hasPauseConditions;
  return resumed && input.scaleUpPreviewCheckPoint ? replicas : previewReplicaCount;
}
