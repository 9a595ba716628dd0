// Experiment rules (reference §5.4, §12.1), pod template sanity per template, and the update
// rules: a template's selector never changes, and a terminated experiment stays terminated.
import { type Experiment, type FieldError, forbiddenError, invalidError, requiredError } from '../api/index.ts';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS } from '../experiment/defaults.ts';
import { describeSelector, isEmptySelector, sameSelector, validateLabelSelector } from '../selectors/index.ts';
import { validateArguments } from './analysis-arguments.ts';
import { checkUniqueName } from './unique-names.ts';
import { checkDurationString } from './durations.ts';
import { child, index } from './field-path.ts';
import { validateMetadataMaps } from './labels.ts';
import { validateMetricNamePatterns } from './metric-name-patterns.ts';
import { checkNonNegative } from './numbers.ts';
import { placeholdersIn } from './placeholders.ts';
import { validatePodTemplate } from './pod-template.ts';
import { type Obj, int, isObject, isSet, list, obj, str } from './read.ts';

export function validateExperiment(experiment: Experiment, old?: Experiment): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj(obj(experiment)?.['spec']);
  if (spec === undefined) {
    errors.push(requiredError('spec', 'an Experiment needs a spec with templates'));
    return errors;
  }
  checkNonNegative(errors, spec['progressDeadlineSeconds'], 'spec.progressDeadlineSeconds');
  checkNonNegative(errors, spec['scaleDownDelaySeconds'], 'spec.scaleDownDelaySeconds');
  checkDurationString(errors, spec['duration'], 'spec.duration');
  const deadline = int(spec['progressDeadlineSeconds']) ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;

  const templates = list(spec['templates']);
  if (templates.length === 0) errors.push(requiredError('spec.templates', 'at least one template (a ReplicaSet to run)'));
  const names = new Map<string, string>();
  templates.forEach((template, i) => {
    const t = obj(template);
    if (t === undefined) return;
    validateTemplate(errors, t, index('spec.templates', i), names, deadline, spec['progressDeadlineSeconds'] !== undefined);
  });

  const templateNames = [...names.keys()];
  const analysisNames = new Map<string, string>();
  list(spec['analyses']).forEach((analysis, i) => {
    const a = obj(analysis);
    if (a === undefined) return;
    const aPath = index('spec.analyses', i);
    checkUniqueName(errors, a['name'], child(aPath, 'name'), analysisNames, aPath, 'analysis');
    if (a['templateName'] === '') errors.push(requiredError(child(aPath, 'templateName'), 'the AnalysisTemplate to run'));
    validateArguments(errors, a['args'], child(aPath, 'args'), 'experiment');
    checkArgumentPlaceholders(errors, a['args'], child(aPath, 'args'), templateNames);
  });
  validateMetricNamePatterns(errors, spec['dryRun'], 'spec.dryRun', 'dryRun');
  validateMetricNamePatterns(errors, spec['measurementRetention'], 'spec.measurementRetention', 'measurementRetention');
  validateMetadataMaps(errors, spec['analysisRunMetadata'], 'spec.analysisRunMetadata');

  if (old !== undefined) validateExperimentUpdate(errors, spec, obj(obj(old)?.['spec']));
  return errors;
}

function validateTemplate(
  errors: FieldError[],
  template: Obj,
  path: string,
  names: Map<string, string>,
  deadline: number,
  deadlineSet: boolean,
): void {
  checkUniqueName(errors, template['name'], child(path, 'name'), names, path, 'template');
  checkNonNegative(errors, template['replicas'], child(path, 'replicas'));
  checkNonNegative(errors, template['minReadySeconds'], child(path, 'minReadySeconds'));
  const minReady = int(template['minReadySeconds']);
  if (minReady !== undefined && minReady >= 0 && deadline >= 0 && minReady > deadline) {
    errors.push(
      invalidError(
        child(path, 'minReadySeconds'),
        minReady,
        `must not be longer than spec.progressDeadlineSeconds (${deadline}${deadlineSet ? '' : ', the default'}): the template would miss its deadline before a pod counts as available`,
      ),
    );
  }

  const selectorPath = child(path, 'selector');
  const selector = template['selector'];
  let selectorUsable = false;
  if (!isSet(selector)) {
    errors.push(requiredError(selectorPath, 'a label selector matching the template\'s pod labels'));
  } else if (isObject(selector)) {
    const selectorErrors: FieldError[] = [];
    validateLabelSelector(selectorErrors, selector, selectorPath);
    errors.push(...selectorErrors);
    if (isEmptySelector(selector)) {
      errors.push(invalidError(selectorPath, selector, 'an empty selector would select every pod in the namespace; set matchLabels or matchExpressions'));
    } else {
      selectorUsable = selectorErrors.length === 0;
    }
  }
  if (isSet(template['template'])) {
    validatePodTemplate(errors, template['template'], child(path, 'template'), {
      restartPolicies: ['Always'],
      ...(selectorUsable ? { selector: { value: selector, path: selectorPath } } : {}),
    });
  }
}

/**
 * Experiment analysis arguments may use `{{templates.NAME.podTemplateHash}}`,
 * `{{templates.NAME.replicaset.name}}`, `{{experiment.availableAt}}` and
 * `{{experiment.finishedAt}}`; a template NAME must exist.
 */
function checkArgumentPlaceholders(errors: FieldError[], args: unknown, path: string, templateNames: readonly string[]): void {
  list(args).forEach((arg, i) => {
    const value = str(obj(arg)?.['value']);
    if (value === undefined) return;
    for (const tag of placeholdersIn(value)) {
      const match = /^templates\.(.+)\.(podTemplateHash|replicaset\.name)$/.exec(tag);
      if (match !== null) {
        const name = match[1]!;
        if (!templateNames.includes(name)) {
          errors.push(
            invalidError(child(index(path, i), 'value'), value, `refers to template "${name}", which spec.templates does not have (templates: ${templateNames.map((n) => `"${n}"`).join(', ') || 'none'})`),
          );
        }
      } else if (tag !== 'experiment.availableAt' && tag !== 'experiment.finishedAt') {
        errors.push(
          invalidError(
            child(index(path, i), 'value'),
            value,
            `unknown placeholder {{${tag}}}: use {{templates.NAME.podTemplateHash}}, {{templates.NAME.replicaset.name}}, {{experiment.availableAt}} or {{experiment.finishedAt}}`,
          ),
        );
      }
    }
  });
}

function validateExperimentUpdate(errors: FieldError[], spec: Obj, oldSpec: Obj | undefined): void {
  if (oldSpec === undefined) return;
  if (oldSpec['terminate'] === true && spec['terminate'] !== true) {
    errors.push(forbiddenError('spec.terminate', 'a terminated Experiment cannot be resumed; create a new Experiment'));
  }
  const oldSelectors = new Map<string, unknown>();
  for (const template of list(oldSpec['templates'])) {
    const t = obj(template);
    const name = str(t?.['name']);
    if (name !== undefined && isObject(t?.['selector'])) oldSelectors.set(name, t['selector']);
  }
  list(spec['templates']).forEach((template, i) => {
    const t = obj(template);
    const name = str(t?.['name']);
    if (t === undefined || name === undefined) return;
    const before = oldSelectors.get(name);
    if (before !== undefined && isObject(t['selector']) && !sameSelector(before, t['selector'])) {
      errors.push(
        invalidError(
          child(index('spec.templates', i), 'selector'),
          t['selector'],
          `field is immutable: template "${name}" selected "${describeSelector(before)}"; a ReplicaSet's selector cannot change`,
        ),
      );
    }
  });
}
