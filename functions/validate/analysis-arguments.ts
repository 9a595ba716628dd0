// Arguments of AnalysisTemplates, AnalysisRuns and Experiments, and the `{{args.NAME}}`
// placeholders metrics use.
import { type FieldError, forbiddenError, invalidError, requiredError } from '../api/index.ts';
import { child, index, key } from './field-path.ts';
import { placeholdersIn } from './placeholders.ts';
import { type Obj, isObject, isSet, list, obj, str } from './read.ts';
import { checkArgNames, checkFieldRef } from './rollout-analysis.ts';

export type ArgumentOwner = 'template' | 'run' | 'experiment';

/**
 * Names required and unique; value and valueFrom exclusive; valueFrom names exactly one source.
 * A run resolves only secretKeyRef and needs every value; an experiment passes values on, so each
 * of its arguments needs one; a template may leave a value to whoever runs it.
 */
export function validateArguments(errors: FieldError[], args: unknown, path: string, owner: ArgumentOwner): void {
  checkArgNames(errors, args, path);
  list(args).forEach((arg, i) => {
    const a = obj(arg);
    if (a === undefined) return;
    const argPath = index(path, i);
    const hasValue = isSet(a['value']);
    const from = obj(a['valueFrom']);
    if (hasValue && from !== undefined) errors.push(forbiddenError(child(argPath, 'valueFrom'), 'set either value or valueFrom, not both'));
    if (!hasValue && from === undefined && owner !== 'template') {
      const accepted = owner === 'run' ? 'value or valueFrom.secretKeyRef' : 'value or valueFrom';
      errors.push(requiredError(child(argPath, 'value'), `every argument of ${owner === 'run' ? 'an AnalysisRun' : 'an Experiment analysis'} needs a ${accepted}`));
    }
    if (from === undefined) return;
    const fromPath = child(argPath, 'valueFrom');
    const sources = ['secretKeyRef', 'fieldRef'].filter((s) => isSet(from[s]));
    if (sources.length !== 1) {
      errors.push(invalidError(fromPath, from, `set exactly one of secretKeyRef or fieldRef (found ${sources.length === 0 ? 'none' : sources.join(', ')})`));
    }
    const secret = obj(from['secretKeyRef']);
    if (secret !== undefined) {
      for (const field of ['name', 'key']) {
        if (secret[field] === '') errors.push(requiredError(child(child(fromPath, 'secretKeyRef'), field), `the Secret ${field === 'name' ? 'name' : 'key'} to read`));
      }
    }
    if (isSet(from['fieldRef']) && owner === 'run') {
      errors.push(
        forbiddenError(child(fromPath, 'fieldRef'), 'an AnalysisRun resolves only secretKeyRef; fieldRef is resolved by a Rollout before it creates the run'),
      );
    } else {
      checkFieldRef(errors, from['fieldRef'], child(fromPath, 'fieldRef'));
    }
  });
}

/** Argument names declared in an args list. */
export function declaredArgNames(args: unknown): string[] {
  return list(args)
    .map((arg) => str(obj(arg)?.['name']))
    .filter((name): name is string => name !== undefined && name !== '');
}

/**
 * Every `{{…}}` in the metrics must be `{{args.NAME}}`; with `declared` given, NAME must be one
 * of them (without, the arguments may come from included templates and only the form is checked).
 */
export function checkMetricPlaceholders(errors: FieldError[], metrics: unknown, path: string, declared: readonly string[] | undefined): void {
  list(metrics).forEach((metric, i) => walkStrings(metric, index(path, i), (text, at) => {
    for (const tag of placeholdersIn(text)) {
      if (!tag.startsWith('args.')) {
        errors.push(invalidError(at, text, `unknown placeholder {{${tag}}}: metrics can only use {{args.NAME}}`));
        continue;
      }
      const name = tag.slice('args.'.length).trim();
      if (declared !== undefined && !declared.includes(name)) {
        const known = declared.length === 0 ? 'spec.args declares none' : `declared: ${declared.map((n) => `"${n}"`).join(', ')}`;
        errors.push(invalidError(at, text, `refers to argument "${name}", which spec.args does not declare (${known})`));
      }
    }
  }));
}

function walkStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') {
    visit(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walkStrings(item, index(path, i), visit));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value as Obj)) {
      walkStrings(v, /^[A-Za-z_][\w]*$/.test(k) ? child(path, k) : key(path, k), visit);
    }
  }
}
