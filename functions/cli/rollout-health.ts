// What `ramp status` and `ramp get rollout` report about a Rollout: Healthy, Progressing, Paused
// or Degraded with a message — Argo's client-side GetRolloutPhase (reference §3.3): first the
// checks only a client can make (has the controller seen the spec? is an unpause pending?), then
// the phase the controller wrote, or — for a controller that writes none — the phase computed
// from spec and status by the same rules the controller uses.
import { WORKLOAD_GENERATION_ANNOTATION, type Rollout, type RolloutPhase } from '../api/index.ts';
import { rolloutPhase } from '../rollout/decide/phase.ts';
import { isGenerationObserved } from './rollout-facts.ts';

export interface RolloutHealth {
  status: RolloutPhase;
  /** Empty when there is nothing to add (usually Healthy). */
  message: string;
}

/**
 * Argo's CalculateRolloutPhase (§3.3), for a status without `phase` (a controller older than
 * Argo v1.0): the same rules the controller applies when it writes the phase.
 */
export function calculatePhase(rollout: Rollout): RolloutHealth {
  const { phase, message } = rolloutPhase(rollout.spec, rollout.status ?? {});
  return { status: phase, message };
}

/** The status the CLI shows for a Rollout (Argo's GetRolloutPhase). */
export function rolloutHealth(rollout: Rollout): RolloutHealth {
  const status = rollout.status ?? {};
  if (!isGenerationObserved(rollout)) return { status: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  if (status.controllerPause === true && (status.pauseConditions?.length ?? 0) === 0) {
    return { status: 'Progressing', message: 'waiting for rollout to unpause' };
  }
  if (rollout.spec.workloadRef !== undefined) {
    const wanted = rollout.metadata?.annotations?.[WORKLOAD_GENERATION_ANNOTATION];
    if (wanted !== undefined && wanted !== (status.workloadObservedGeneration ?? '')) {
      return { status: 'Progressing', message: 'waiting for rollout spec update to be observed for the reference workload' };
    }
  }
  if (status.phase) return { status: status.phase, message: status.message ?? '' };
  return calculatePhase(rollout);
}

/** `Healthy`, or `Paused - CanaryPauseStep`: the line `ramp status` prints. */
export function formatHealth(health: RolloutHealth): string {
  return health.message ? `${health.status} - ${health.message}` : health.status;
}

/**
 * Where `ramp status` stands: done with success (Healthy), done with failure (Degraded), or
 * still to be waited for (Progressing, Paused).
 */
export function healthVerdict(health: RolloutHealth): 'healthy' | 'degraded' | 'waiting' {
  if (health.status === 'Healthy') return 'healthy';
  if (health.status === 'Degraded') return 'degraded';
  return 'waiting';
}
