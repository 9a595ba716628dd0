// The checks an Experiment must pass before anything is created for it (reference §5.4). An
// invalid Experiment gets the InvalidSpec condition and nothing else is reconciled; the
// condition goes away when the spec is fixed. Admission (functions/validate) refuses these
// Experiments earlier with every problem; these are the ones without which the controller
// could not run the Experiment safely (a ReplicaSet selecting every pod, two templates
// fighting over one ReplicaSet, a deadline that can never be met).
import {
  duplicateError,
  formatFieldError,
  invalidError,
  requiredError,
  type Experiment,
  type FieldError,
} from '../api/index.ts';
import { isEmptySelector } from '../selectors/index.ts';
import { Duration } from '../values/duration.ts';
import { ValueParseError } from '../values/value-parse-error.ts';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS } from './defaults.ts';

/** Every problem, in spec order (per template: selector, minReadySeconds, name). */
export function experimentSpecProblems(experiment: Experiment): FieldError[] {
  const errors: FieldError[] = [];
  const spec = experiment.spec;
  if (spec === undefined || spec === null) return [requiredError('spec', 'an Experiment needs a spec with templates')];
  const templates = Array.isArray(spec.templates) ? spec.templates : [];
  if (templates.length === 0) errors.push(requiredError('spec.templates', 'at least one template (a ReplicaSet to run)'));
  const deadline = spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  const seen = new Set<string>();
  templates.forEach((template, i) => {
    const path = `spec.templates[${i}]`;
    const selector = template?.selector;
    if (selector === undefined || selector === null) {
      errors.push(requiredError(`${path}.selector`, 'a label selector matching the template\'s pod labels'));
    } else if (isEmptySelector(selector)) {
      errors.push(invalidError(`${path}.selector`, selector, 'an empty selector would select every pod in the namespace; a non-empty selector is required'));
    }
    const minReady = template?.minReadySeconds ?? 0;
    if (minReady > deadline) {
      errors.push(invalidError(`${path}.minReadySeconds`, minReady, `must not be longer than progressDeadlineSeconds (${deadline})`));
    }
    const name = template?.name ?? '';
    if (name === '') {
      errors.push(requiredError(`${path}.name`, 'every template needs a name, unique within the experiment'));
    } else if (seen.has(name)) {
      errors.push(duplicateError(`${path}.name`, name));
    }
    seen.add(name);
  });
  const analysisNames = new Set<string>();
  (spec.analyses ?? []).forEach((analysis, i) => {
    const name = analysis?.name ?? '';
    if (name === '') errors.push(requiredError(`spec.analyses[${i}].name`, 'every analysis needs a name, unique within the experiment'));
    else if (analysisNames.has(name)) errors.push(duplicateError(`spec.analyses[${i}].name`, name));
    analysisNames.add(name);
  });
  if (spec.duration !== undefined && spec.duration !== '') {
    try {
      if (Duration.parseDurationString(spec.duration).isNegative()) errors.push(invalidError('spec.duration', spec.duration, 'must not be negative'));
    } catch (error) {
      errors.push(invalidError('spec.duration', spec.duration, error instanceof ValueParseError ? error.detail : (error as Error).message));
    }
  }
  return errors;
}

/** `The Experiment "x" is invalid: <first error>`, the InvalidSpec condition's message. */
export function invalidSpecMessage(experiment: Experiment, error: FieldError): string {
  return `The Experiment "${experiment.metadata?.name ?? ''}" is invalid: ${formatFieldError(error)}`;
}
