// Why a Rollout cannot be acted on (reference §5): the spec checks this decision core needs in
// order to be safe, and the checks of the objects it references (Services). The first problem
// becomes the InvalidSpec condition; nothing else is done. A fuller validator passed as
// DecideOptions.validate is consulted first; these checks always run after it, and
// `referenceProblems` (which reads the snapshot) last.
import {
  MANAGED_BY_ROLLOUTS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  forbiddenError,
  invalidError,
  requiredError,
  type CanaryStep,
  type FieldError,
  type Rollout,
} from '../../api/index.ts';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS } from '../../defaults/rollout-defaults.ts';
import { isEmptySelector, selectorMatches } from '../../selectors/index.ts';
import { Duration } from '../../values/duration.ts';
import { IntOrPercent } from '../../values/int-or-percent.ts';
import { DEFAULT_MAX_SURGE, DEFAULT_MAX_UNAVAILABLE } from '../surge-and-unavailable.ts';
import type { ServiceView } from './types.ts';

const STEP_KIND_MESSAGE = 'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause';
const STEP_KINDS = ['setWeight', 'pause', 'experiment', 'analysis', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin'] as const;
const EXCLUSIVE_STEP_KINDS = ['setWeight', 'pause', 'experiment', 'analysis'] as const;

function stepProblems(step: CanaryStep, path: string): FieldError[] {
  const set = STEP_KINDS.filter((kind) => step[kind] !== undefined);
  const exclusive = EXCLUSIVE_STEP_KINDS.filter((kind) => step[kind] !== undefined);
  if (set.length === 0 || exclusive.length > 1) return [invalidError(path, step, STEP_KIND_MESSAGE)];
  if (step.setWeight !== undefined && (step.setWeight < 0 || step.setWeight > 100)) {
    return [invalidError(`${path}.setWeight`, step.setWeight, 'SetWeight needs to be between 0 and 100')];
  }
  if (step.pause?.duration !== undefined) {
    try {
      Duration.parse(step.pause.duration);
    } catch {
      return [invalidError(`${path}.pause.duration`, step.pause.duration, 'Duration needs to be greater than 0')];
    }
  }
  if (step.setCanaryScale !== undefined) {
    return [requiredError('spec.strategy.trafficRouting', 'SetCanaryScale requires TrafficRouting to be set')];
  }
  if (step.setHeaderRoute !== undefined) {
    return [invalidError(`${path}.setHeaderRoute`, step.setHeaderRoute, 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix')];
  }
  if (step.setMirrorRoute !== undefined) {
    return [invalidError(`${path}.setMirrorRoute`, step.setMirrorRoute, 'SetMirrorRoute requires TrafficRouting, supports Istio and Plugins')];
  }
  const weighted = (step.experiment?.templates ?? []).findIndex((template) => template.weight !== undefined);
  if (weighted >= 0) {
    return [
      invalidError(
        `${path}.experiment.templates[${weighted}].weight`,
        step.experiment?.templates[weighted]?.weight,
        'Experiment template weight cannot be set unless TrafficRouting is enabled',
      ),
    ];
  }
  if (step.plugin !== undefined) {
    return [forbiddenError(`${path}.plugin`, 'step plugins are not supported by Ramp')];
  }
  return [];
}

/**
 * The spec rules this decision core relies on, in Argo's order; every problem is returned. With
 * workloadRef, pass the resolved Rollout (`resolveWorkloadRef`): the template and selector are
 * checked as the workload gave them.
 */
export function specProblems(rollout: Rollout): FieldError[] {
  const spec = rollout.spec;
  const errors: FieldError[] = [];
  if (spec.replicas !== undefined && spec.replicas < 0) {
    errors.push(invalidError('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  if (spec.selector === undefined) {
    errors.push(requiredError('spec.selector', "Rollout has missing field '.spec.selector'"));
  } else if (isEmptySelector(spec.selector)) {
    errors.push(invalidError('spec.selector', spec.selector, 'empty selector is invalid for deployment'));
  } else if (!selectorMatches(spec.selector, spec.template?.metadata?.labels)) {
    errors.push(invalidError('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, 'selector does not match template labels'));
  }
  if ((spec.template?.spec?.containers ?? []).length === 0) {
    errors.push(requiredError('spec.template.spec.containers', ''));
  }
  const minReady = spec.minReadySeconds ?? 0;
  if (minReady < 0) errors.push(invalidError('spec.minReadySeconds', minReady, 'must be greater than or equal to 0'));
  if (spec.revisionHistoryLimit !== undefined && spec.revisionHistoryLimit < 0) {
    errors.push(invalidError('spec.revisionHistoryLimit', spec.revisionHistoryLimit, 'must be greater than or equal to 0'));
  }
  const deadline = spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  if (deadline <= minReady) {
    errors.push(invalidError('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }

  const { blueGreen, canary } = spec.strategy ?? {};
  if (blueGreen === undefined && canary === undefined) {
    errors.push(requiredError('spec.strategy.strategy', "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'"));
  } else if (blueGreen !== undefined && canary !== undefined) {
    errors.push(forbiddenError('spec.strategy', 'Multiple Strategies can not be listed'));
  }
  if (blueGreen !== undefined && canary === undefined) {
    if (blueGreen.activeService === blueGreen.previewService || !blueGreen.activeService) {
      errors.push(
        invalidError(
          'spec.strategy.blueGreen.activeService',
          blueGreen.activeService,
          'This rollout uses the same service for the active and preview services, but two different services are required.',
        ),
      );
    }
    const limit = spec.revisionHistoryLimit ?? 10;
    if (blueGreen.scaleDownDelayRevisionLimit !== undefined && blueGreen.scaleDownDelayRevisionLimit > limit) {
      errors.push(
        invalidError(
          'spec.strategy.blueGreen.scaleDownDelayRevisionLimit',
          blueGreen.scaleDownDelayRevisionLimit,
          "This rollout's revision history limit can not be smaller than the rollout's scale down limit",
        ),
      );
    }
  }
  if (canary !== undefined && blueGreen === undefined) {
    if (canary.canaryService && canary.canaryService === canary.stableService) {
      errors.push(
        invalidError(
          'spec.strategy.canary.stableService',
          canary.stableService,
          'This rollout uses the same service for the stable and canary services, but two different services are required.',
        ),
      );
    }
    try {
      const surge = IntOrPercent.from(canary.maxSurge ?? DEFAULT_MAX_SURGE).resolve(100, 'up');
      const unavailable = IntOrPercent.from(canary.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE).resolve(100, 'down');
      if (surge === 0 && unavailable === 0) {
        errors.push(invalidError('spec.strategy.canary.maxUnavailable', canary.maxUnavailable, 'MaxSurge and MaxUnavailable both can not be zero'));
      }
    } catch (e) {
      errors.push(invalidError('spec.strategy.canary.maxSurge', canary.maxSurge, e instanceof Error ? e.message : String(e)));
    }
    if (canary.trafficRouting !== undefined) {
      errors.push(forbiddenError('spec.strategy.canary.trafficRouting', 'traffic routing is not supported by Ramp yet; remove it to run a basic (replica-weighted) canary'));
    } else {
      if (canary.scaleDownDelaySeconds !== undefined) {
        errors.push(invalidError('spec.strategy.canary.scaleDownDelaySeconds', canary.scaleDownDelaySeconds, 'Canary scaleDownDelaySeconds can only be used with traffic routing'));
      }
      if (canary.dynamicStableScale) {
        errors.push(invalidError('spec.strategy.canary.dynamicStableScale', canary.dynamicStableScale, 'Canary dynamicStableScale can only be used with traffic routing'));
      }
    }
    (canary.steps ?? []).forEach((step, i) => errors.push(...stepProblems(step, `spec.strategy.canary.steps[${i}]`)));
  }
  return errors;
}

/** The Services the strategy names: each must exist, select the template's pods, and not belong to another Rollout. */
export function referenceProblems(rollout: Rollout, services: readonly ServiceView[]): FieldError[] {
  const { blueGreen, canary } = rollout.spec.strategy ?? {};
  const named: Array<[path: string, name: string | undefined]> = blueGreen
    ? [
        ['spec.strategy.blueGreen.activeService', blueGreen.activeService],
        ['spec.strategy.blueGreen.previewService', blueGreen.previewService],
      ]
    : canary
      ? [
          ['spec.strategy.canary.stableService', canary.stableService],
          ['spec.strategy.canary.canaryService', canary.canaryService],
        ]
      : [];
  const templateLabels = rollout.spec.template?.metadata?.labels ?? {};
  const rolloutName = rollout.metadata?.name ?? '';
  const errors: FieldError[] = [];
  for (const [path, name] of named) {
    if (!name) continue;
    const service = services.find((s) => s.name === name);
    if (service === undefined) {
      errors.push(invalidError(path, name, `services "${name}" not found`));
      continue;
    }
    for (const [key, value] of Object.entries(service.selector ?? {})) {
      if (key !== POD_TEMPLATE_HASH_LABEL && templateLabels[key] !== value) {
        errors.push(invalidError(path, name, `Service "${name}" has unmatch label "${key}" in rollout`));
      }
    }
    const manager = service.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION];
    if (manager !== undefined && manager !== '' && manager !== rolloutName) {
      errors.push(invalidError(path, name, `Service "${name}" is managed by another Rollout`));
    }
  }
  return errors;
}
