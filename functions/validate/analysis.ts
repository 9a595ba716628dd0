// AnalysisTemplate, ClusterAnalysisTemplate and AnalysisRun (reference §5.3, §11).
import {
  type AnalysisRun,
  type AnalysisTemplate,
  type ClusterAnalysisTemplate,
  type FieldError,
  duplicateError,
  invalidError,
  requiredError,
} from '../api/index.ts';
import { checkMetricPlaceholders, declaredArgNames, validateArguments } from './analysis-arguments.ts';
import { child, index } from './field-path.ts';
import { validateMetricNamePatterns } from './metric-name-patterns.ts';
import { validateMetrics } from './metrics.ts';
import { checkNonNegative } from './numbers.ts';
import { type Obj, list, obj, str } from './read.ts';

export function validateAnalysisTemplate(template: AnalysisTemplate): FieldError[] {
  return validateTemplate(template, 'AnalysisTemplate');
}

export function validateClusterAnalysisTemplate(template: ClusterAnalysisTemplate): FieldError[] {
  return validateTemplate(template, 'ClusterAnalysisTemplate');
}

function validateTemplate(template: unknown, kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate'): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj(obj(template)?.['spec']);
  if (spec === undefined) {
    errors.push(requiredError('spec', `an ${kind} needs a spec with metrics`));
    return errors;
  }
  const includes = list(spec['templates']);
  const hasIncludes = includes.length > 0;
  const metrics = list(spec['metrics']);
  if (metrics.length === 0 && !hasIncludes) {
    errors.push(requiredError('spec.metrics', 'at least one metric, or other templates to include with spec.templates'));
  }
  if (metrics.length > 0) errors.push(...validateMetrics(metrics, 'spec.metrics'));
  validateArguments(errors, spec['args'], 'spec.args', 'template');
  // With included templates, arguments and metrics may come from them: only check the forms.
  checkMetricPlaceholders(errors, metrics, 'spec.metrics', hasIncludes ? undefined : declaredArgNames(spec['args']));
  const metricNames = hasIncludes ? undefined : metricNamesOf(metrics);
  validateMetricNamePatterns(errors, spec['dryRun'], 'spec.dryRun', 'dryRun', metricNames);
  validateMetricNamePatterns(errors, spec['measurementRetention'], 'spec.measurementRetention', 'measurementRetention', metricNames);
  validateIncludes(errors, includes, kind, str(obj(obj(template)?.['metadata'])?.['name']));
  return errors;
}

function validateIncludes(errors: FieldError[], includes: unknown[], kind: string, ownName: string | undefined): void {
  const seen = new Map<string, string>();
  includes.forEach((include, i) => {
    const ref = obj(include);
    if (ref === undefined) return;
    const refPath = index('spec.templates', i);
    const namePath = child(refPath, 'templateName');
    const name = str(ref['templateName']);
    if (name === undefined || name === '') {
      errors.push(requiredError(namePath, 'the name of the AnalysisTemplate (or, with clusterScope: true, ClusterAnalysisTemplate) to include'));
      return;
    }
    const refKind = ref['clusterScope'] === true ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
    if (refKind === kind && name === ownName) {
      errors.push(invalidError(namePath, name, `a template cannot include itself`));
    }
    const id = `${refKind}/${name}`;
    const first = seen.get(id);
    if (first !== undefined) errors.push(duplicateError(namePath, name, `${refKind} "${name}" is already included at ${first}`));
    else seen.set(id, refPath);
  });
}

export function validateAnalysisRun(run: AnalysisRun): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj(obj(run)?.['spec']);
  if (spec === undefined) {
    errors.push(requiredError('spec', 'an AnalysisRun needs a spec with metrics'));
    return errors;
  }
  const metrics = list(spec['metrics']);
  errors.push(...validateMetrics(metrics, 'spec.metrics'));
  validateArguments(errors, spec['args'], 'spec.args', 'run');
  checkMetricPlaceholders(errors, metrics, 'spec.metrics', declaredArgNames(spec['args']));
  const metricNames = metricNamesOf(metrics);
  validateMetricNamePatterns(errors, spec['dryRun'], 'spec.dryRun', 'dryRun', metricNames);
  validateMetricNamePatterns(errors, spec['measurementRetention'], 'spec.measurementRetention', 'measurementRetention', metricNames);
  const ttl = obj(spec['ttlStrategy']);
  for (const field of ['secondsAfterCompletion', 'secondsAfterFailure', 'secondsAfterSuccess']) {
    checkNonNegative(errors, ttl?.[field], child('spec.ttlStrategy', field));
  }
  return errors;
}

export function metricNamesOf(metrics: unknown): string[] {
  return list(metrics)
    .map((metric) => str((obj(metric) as Obj | undefined)?.['name']))
    .filter((name): name is string => name !== undefined && name !== '');
}
