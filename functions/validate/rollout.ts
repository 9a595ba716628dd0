// The semantic rules of a Rollout (reference §5.1), plus pod template sanity and the update-only
// rule that the selector never changes.
import {
  type FieldError,
  type Rollout,
  forbiddenError,
  invalidError,
  notSupportedError,
  requiredError,
} from '../api/index.ts';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS, DEFAULT_REVISION_HISTORY_LIMIT } from '../defaults/rollout-defaults.ts';
import { describeSelector, isEmptySelector, sameSelector, validateLabelSelector } from '../selectors/index.ts';
import { validateBlueGreenStrategy } from './blue-green.ts';
import { validateCanaryStrategy } from './canary.ts';
import { child } from './field-path.ts';
import { checkNonNegative } from './numbers.ts';
import { validatePodTemplate } from './pod-template.ts';
import { type Obj, int, isObject, isSet, nonEmpty, obj, str } from './read.ts';


/** Kinds a workloadRef may name, with the API group each belongs to ('' = core). */
const WORKLOAD_KINDS: Readonly<Record<string, { group: string; apiVersion: string }>> = {
  Deployment: { group: 'apps', apiVersion: 'apps/v1' },
  ReplicaSet: { group: 'apps', apiVersion: 'apps/v1' },
  PodTemplate: { group: '', apiVersion: 'v1' },
};
const SCALE_DOWN_VALUES = ['never', 'onsuccess', 'progressively'] as const;

/**
 * Every semantic problem of a Rollout. With `old` (an update), also the rules about what may not
 * change. Shape problems (wrong types, missing required fields) are `validateShape`'s; this
 * function tolerates them and skips what it cannot read.
 */
export function validateRollout(rollout: Rollout, old?: Rollout): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj(obj(rollout)?.['spec']);
  if (spec === undefined) {
    errors.push(requiredError('spec', 'a Rollout needs a spec'));
    return errors;
  }
  checkNonNegative(errors, spec['replicas'], 'spec.replicas');

  const workloadRef = obj(spec['workloadRef']);
  if (workloadRef !== undefined) validateWorkloadRef(errors, workloadRef, spec);
  const selectorUsable = validateSelector(errors, spec, workloadRef !== undefined);

  if (workloadRef === undefined) {
    if (!isSet(spec['template'])) {
      errors.push(requiredError('spec.template', 'the pod template of the Rollout (or set spec.workloadRef to take it from a Deployment)'));
    } else {
      validatePodTemplate(errors, spec['template'], 'spec.template', {
        restartPolicies: ['Always'],
        ...(selectorUsable ? { selector: { value: spec['selector'], path: 'spec.selector' } } : {}),
      });
    }
  }

  validateLimits(errors, spec);
  const revisionHistoryLimit = int(spec['revisionHistoryLimit']) ?? DEFAULT_REVISION_HISTORY_LIMIT;

  const strategy = obj(spec['strategy']);
  const canary = obj(strategy?.['canary']);
  const blueGreen = obj(strategy?.['blueGreen']);
  if (canary === undefined && blueGreen === undefined) {
    errors.push(requiredError('spec.strategy', 'set exactly one of spec.strategy.canary or spec.strategy.blueGreen'));
  } else if (canary !== undefined && blueGreen !== undefined) {
    errors.push(forbiddenError('spec.strategy', 'canary and blueGreen are both set; a Rollout uses exactly one strategy'));
  }
  if (canary !== undefined) validateCanaryStrategy(errors, canary, 'spec.strategy.canary');
  if (blueGreen !== undefined) validateBlueGreenStrategy(errors, blueGreen, 'spec.strategy.blueGreen', revisionHistoryLimit);

  if (old !== undefined) validateRolloutUpdate(errors, spec, obj(obj(old)?.['spec']));
  return errors;
}

function validateWorkloadRef(errors: FieldError[], workloadRef: Obj, spec: Obj): void {
  const path = 'spec.workloadRef';
  const kind = str(workloadRef['kind']);
  const apiVersion = str(workloadRef['apiVersion']);
  if (kind === undefined || kind === '') {
    errors.push(requiredError(child(path, 'kind'), 'Deployment, ReplicaSet or PodTemplate'));
  } else if (!Object.hasOwn(WORKLOAD_KINDS, kind)) {
    errors.push(notSupportedError(child(path, 'kind'), kind, Object.keys(WORKLOAD_KINDS)));
  } else {
    const expected = WORKLOAD_KINDS[kind]!;
    const group = apiVersion === undefined ? '' : apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    if (group !== expected.group) {
      const detail = `a ${kind} is referenced with apiVersion ${expected.apiVersion}`;
      if (apiVersion === undefined || apiVersion === '') errors.push(requiredError(child(path, 'apiVersion'), detail));
      else errors.push(invalidError(child(path, 'apiVersion'), apiVersion, detail));
    }
    if (kind === 'PodTemplate' && !isSet(spec['selector'])) {
      errors.push(requiredError('spec.selector', 'a PodTemplate has no selector of its own, so a Rollout that references one must set spec.selector'));
    }
  }
  if (nonEmpty(workloadRef['name']) === undefined) {
    errors.push(requiredError(child(path, 'name'), `the name of the ${kind ?? 'workload'} to take the pod template from`));
  }
  const scaleDown = str(workloadRef['scaleDown']);
  if (scaleDown !== undefined && scaleDown !== '' && !(SCALE_DOWN_VALUES as readonly string[]).includes(scaleDown)) {
    errors.push(notSupportedError(child(path, 'scaleDown'), scaleDown, SCALE_DOWN_VALUES));
  }
  if (hasContent(spec['template'])) {
    errors.push(
      forbiddenError(
        'spec.template',
        'must be empty when spec.workloadRef is set: the pod template comes from the referenced workload; remove spec.template or spec.workloadRef',
      ),
    );
  }
}

/** Returns whether the selector can be matched against the template labels. */
function validateSelector(errors: FieldError[], spec: Obj, hasWorkloadRef: boolean): boolean {
  const selector = spec['selector'];
  if (!isSet(selector)) {
    if (!hasWorkloadRef) {
      errors.push(
        requiredError('spec.selector', 'a label selector matching spec.template.metadata.labels, e.g. {matchLabels: {app: my-app}}'),
      );
    }
    return false;
  }
  if (!isObject(selector)) return false;
  const selectorErrors: FieldError[] = [];
  validateLabelSelector(selectorErrors, selector, 'spec.selector');
  errors.push(...selectorErrors);
  if (isEmptySelector(selector)) {
    errors.push(
      invalidError('spec.selector', selector, 'an empty selector would select every pod in the namespace; set matchLabels or matchExpressions'),
    );
    return false;
  }
  return selectorErrors.length === 0;
}

function validateLimits(errors: FieldError[], spec: Obj): void {
  checkNonNegative(errors, spec['minReadySeconds'], 'spec.minReadySeconds');
  checkNonNegative(errors, spec['revisionHistoryLimit'], 'spec.revisionHistoryLimit');
  checkNonNegative(errors, spec['progressDeadlineSeconds'], 'spec.progressDeadlineSeconds');
  const minReady = int(spec['minReadySeconds']) ?? 0;
  const deadline = int(spec['progressDeadlineSeconds']);
  const effectiveDeadline = deadline ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  if (minReady >= 0 && effectiveDeadline >= 0 && effectiveDeadline <= minReady) {
    if (deadline !== undefined) {
      errors.push(
        invalidError(
          'spec.progressDeadlineSeconds',
          deadline,
          `must be greater than spec.minReadySeconds (${minReady}): a pod only counts as available after minReadySeconds, so the deadline would always pass first`,
        ),
      );
    } else {
      errors.push(
        invalidError(
          'spec.minReadySeconds',
          minReady,
          `must be less than spec.progressDeadlineSeconds (unset, so ${DEFAULT_PROGRESS_DEADLINE_SECONDS}); lower minReadySeconds or set a longer progressDeadlineSeconds`,
        ),
      );
    }
  }
  checkNonNegative(errors, obj(spec['rollbackWindow'])?.['revisions'], 'spec.rollbackWindow.revisions');
  const analysis = obj(spec['analysis']);
  checkNonNegative(errors, analysis?.['successfulRunHistoryLimit'], 'spec.analysis.successfulRunHistoryLimit');
  checkNonNegative(errors, analysis?.['unsuccessfulRunHistoryLimit'], 'spec.analysis.unsuccessfulRunHistoryLimit');
}

function validateRolloutUpdate(errors: FieldError[], spec: Obj, oldSpec: Obj | undefined): void {
  const before = oldSpec?.['selector'];
  const after = spec['selector'];
  // As the CRD's CEL rule `self == oldSelf`: compared when both objects have a selector.
  if (isObject(before) && isObject(after) && !sameSelector(before, after)) {
    errors.push(
      invalidError(
        'spec.selector',
        after,
        `field is immutable: the selector was "${describeSelector(before)}" and cannot change after creation, because existing ReplicaSets and Services select pods by it; create a new Rollout instead`,
      ),
    );
  }
}

/** Whether a value holds anything: a non-empty string, a number, true, or a container holding such. */
function hasContent(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return false;
  if (Array.isArray(value)) return value.some(hasContent);
  if (isObject(value)) return Object.values(value).some(hasContent);
  return true;
}
