// status.phase / status.message (reference §3.3), and the "healthy" and "completed"
// predicates behind the Healthy and Completed conditions (§3.2). Pure functions of the
// Rollout's spec and the status about to be written.
import type { Rollout, RolloutPhase, RolloutStatus } from '../../api/index.ts';

export interface PhaseAndMessage {
  phase: RolloutPhase;
  /** Empty for Healthy. */
  message: string;
}

/** Argo's CalculateRolloutPhase: the first matching rule wins. */
export function rolloutPhase(spec: Rollout['spec'], status: RolloutStatus): PhaseAndMessage {
  const conditions = status.conditions ?? [];
  const invalid = conditions.find((c) => c.type === 'InvalidSpec');
  if (invalid !== undefined) return { phase: 'Degraded', message: `InvalidSpec: ${invalid.message}` };
  const failed = conditions.find((c) => c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded');
  if (failed !== undefined) return { phase: 'Degraded', message: `${failed.reason}: ${failed.message}` };
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  const pause = status.pauseConditions?.[0];
  if (pause !== undefined) return { phase: 'Paused', message: pause.reason };
  if (spec.restartAt !== undefined && spec.restartAt !== status.restartedAt) {
    return { phase: 'Progressing', message: 'rollout is restarting' };
  }
  const replicas = spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  if (updated < replicas) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if ((status.availableReplicas ?? 0) < updated) {
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  }
  const blueGreen = spec.strategy?.blueGreen;
  if (blueGreen !== undefined) {
    const active = status.blueGreen?.activeSelector;
    if (!active || active !== status.currentPodHash) return { phase: 'Progressing', message: 'active service cutover pending' };
    if (status.stableRS !== status.currentPodHash) {
      return {
        phase: 'Progressing',
        message:
          blueGreen.postPromotionAnalysis !== undefined
            ? 'waiting for analysis to complete'
            : 'waiting for post-promotion verification to complete',
      };
    }
  } else if (spec.strategy?.canary !== undefined) {
    const canary = spec.strategy.canary;
    if (canary.trafficRouting === undefined && (status.replicas ?? 0) > updated) {
      return { phase: 'Progressing', message: 'old replicas are pending termination' };
    }
    if (!status.stableRS || status.stableRS !== status.currentPodHash) {
      return { phase: 'Progressing', message: 'waiting for all steps to complete' };
    }
  }
  return { phase: 'Healthy', message: '' };
}

/** stableRS is set and equals currentPodHash: the Completed condition. */
export function rolloutCompleted(status: RolloutStatus): boolean {
  return !!status.stableRS && status.stableRS === status.currentPodHash;
}

/**
 * Argo's RolloutHealthy: every pod updated and available, the generation observed, and the
 * strategy done (blue-green: active — and preview, if any — select the current hash; canary:
 * all steps done, stable is current, no extra pods). The Healthy condition also needs "not paused".
 */
export function rolloutHealthy(rollout: Rollout, status: RolloutStatus): boolean {
  const spec = rollout.spec;
  const replicas = spec.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) !== replicas || (status.availableReplicas ?? 0) !== replicas) return false;
  if (rollout.metadata?.generation !== undefined && status.observedGeneration !== String(rollout.metadata.generation)) return false;
  const blueGreen = spec.strategy?.blueGreen;
  if (blueGreen !== undefined) {
    if (status.blueGreen?.activeSelector !== status.currentPodHash) return false;
    return blueGreen.previewService === undefined || status.blueGreen?.previewSelector === status.currentPodHash;
  }
  const steps = spec.strategy?.canary?.steps ?? [];
  if (steps.length > 0 && status.currentStepIndex !== steps.length) return false;
  return status.stableRS === status.currentPodHash && (status.replicas ?? 0) === replicas;
}
