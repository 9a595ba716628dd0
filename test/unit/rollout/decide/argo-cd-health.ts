// Argo CD's Rollout health check (reference §15.1, Rollout/health.lua) restated as a pure
// function, so scenario tests can check what Argo CD would show at every step.
import type { Rollout } from '../../../../functions/api/index.ts';

export type ArgoCdHealthStatus = 'Healthy' | 'Progressing' | 'Suspended' | 'Degraded';

export interface ArgoCdHealth {
  status: ArgoCdHealthStatus;
  message: string;
}

const NOT_OBSERVED = 'Waiting for rollout spec update to be observed';

export function argoCdHealth(rollout: Rollout): ArgoCdHealth {
  const status = rollout.status;
  if (status === undefined) return { status: 'Progressing', message: NOT_OBSERVED };
  const generation = rollout.metadata?.generation;
  const observedText = status.observedGeneration;
  const observed = observedText !== undefined && /^-?\d+(\.\d+)?$/.test(observedText) ? Number(observedText) : undefined;
  if (observed !== undefined && !(generation !== undefined && observed > generation) && observed !== generation) {
    return { status: 'Progressing', message: NOT_OBSERVED };
  }
  if (rollout.spec.workloadRef !== undefined && rollout.metadata?.annotations !== undefined) {
    const wanted = rollout.metadata.annotations['rollout.argoproj.io/workload-generation'];
    if ((wanted === undefined ? undefined : Number(wanted)) !== (status.workloadObservedGeneration === undefined ? undefined : Number(status.workloadObservedGeneration))) {
      return { status: 'Progressing', message: NOT_OBSERVED };
    }
  }
  if (status.phase !== undefined) {
    return { status: status.phase === 'Paused' ? 'Suspended' : status.phase, message: status.message ?? '' };
  }
  for (const condition of status.conditions ?? []) {
    if (condition.type === 'InvalidSpec') return { status: 'Degraded', message: condition.message };
    if (condition.type === 'Progressing' && (condition.reason === 'RolloutAborted' || condition.reason === 'ProgressDeadlineExceeded')) {
      return { status: 'Degraded', message: condition.message };
    }
  }
  if ((status.pauseConditions ?? []).length > 0 || rollout.spec.paused) return { status: 'Suspended', message: 'Rollout is paused' };
  if (status.currentPodHash === undefined) {
    return { status: 'Progressing', message: 'Waiting for rollout to finish: status has not been reconciled.' };
  }
  const replicas = rollout.spec.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) < replicas) {
    return { status: 'Progressing', message: 'Waiting for roll out to finish: More replicas need to be updated' };
  }
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) {
    return { status: 'Progressing', message: 'Waiting for roll out to finish: updated replicas are still becoming available' };
  }
  const stableRS = status.stableRS ?? '';
  if (rollout.spec.strategy?.blueGreen !== undefined) {
    if (status.blueGreen?.activeSelector !== status.currentPodHash) {
      return { status: 'Progressing', message: 'active service cutover pending' };
    }
    if (stableRS !== '' && stableRS !== status.currentPodHash) {
      return { status: 'Progressing', message: 'waiting for analysis to complete' };
    }
  } else if (rollout.spec.strategy?.canary !== undefined) {
    if ((status.replicas ?? 0) > (status.updatedReplicas ?? 0)) {
      return { status: 'Progressing', message: 'Waiting for roll out to finish: old replicas are pending termination' };
    }
    if (stableRS === '' || stableRS !== status.currentPodHash) {
      return { status: 'Progressing', message: 'Waiting for rollout to finish steps' };
    }
  }
  return { status: 'Healthy', message: '' };
}
