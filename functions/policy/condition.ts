// The rule vocabulary: a small declarative condition language, evaluated without eval. A rule
// holds when its condition holds; a failing condition explains itself with field paths.
//
//   {field: PATH, present: true|false}       the path selects at least one value / none
//   {field: PATH, equals: V}                 every selected value equals V (likewise notEquals,
//   {field: PATH, oneOf: [..]}               oneOf, notOneOf, min, max); holds when nothing is
//                                            selected, so combine with present: true to require it
//   {field: PATH, startsWith: S}             every selected value is a string starting (endsWith:
//                                            ending) with S
//   {each: PATH, require: C}                 C holds for every element selected by PATH (a list's
//                                            elements when PATH selects a list), with paths in C
//                                            relative to the element
//   {runsAnalysis: true|false}               the Rollout (or Experiment) runs some analysis
//   {maxWeightIncrease: N}                   no canary step raises the weight by more than N,
//                                            counting the final promotion to 100
//   {allOf: [..]}, {anyOf: [..]}, {not: C}
import { type FieldError, invalidError, requiredError } from '../api/index.ts';
import { isJsonObject, jsonEqual, type JsonObject } from '../defaults/json.ts';
import { parseFieldPath, selectValues, type PathSegment } from './field-path.ts';

export interface Failure {
  /** Field path of the offending value (or of the place where one is missing). */
  path: string;
  detail: string;
}

const COMPARISONS = ['equals', 'notEquals', 'oneOf', 'notOneOf', 'min', 'max', 'startsWith', 'endsWith'] as const;
const FIELD_KEYS = new Set<string>(['field', 'present', ...COMPARISONS]);
const CONDITION_FORMS =
  'one of {field, present|equals|notEquals|oneOf|notOneOf|min|max|startsWith|endsWith}, {each, require}, {runsAnalysis}, {maxWeightIncrease}, {allOf}, {anyOf}, {not}';
const MAX_DEPTH = 16;

/** Problems of a condition as written in a policy, with paths under `path`. */
export function conditionProblems(raw: unknown, path: string, depth = 0): FieldError[] {
  if (!isJsonObject(raw)) return [invalidError(path, raw, `must be a condition: ${CONDITION_FORMS}`)];
  if (depth > MAX_DEPTH) return [invalidError(path, '…', `conditions nest at most ${MAX_DEPTH} deep`)];
  const keys = Object.keys(raw);
  if ('allOf' in raw || 'anyOf' in raw) {
    const key = 'allOf' in raw ? 'allOf' : 'anyOf';
    const extra = keys.filter((k) => k !== key);
    if (extra.length > 0) return [invalidError(path, raw, `${key} must be the only key of its condition (also found: ${extra.join(', ')})`)];
    const list = raw[key];
    if (!Array.isArray(list) || list.length === 0) return [invalidError(`${path}.${key}`, list, 'must be a non-empty list of conditions')];
    return list.flatMap((c, i) => conditionProblems(c, `${path}.${key}[${i}]`, depth + 1));
  }
  if ('not' in raw) {
    if (keys.length > 1) return [invalidError(path, raw, 'not must be the only key of its condition')];
    return conditionProblems(raw['not'], `${path}.not`, depth + 1);
  }
  if ('each' in raw) {
    const extra = keys.filter((k) => k !== 'each' && k !== 'require');
    if (extra.length > 0) return [invalidError(path, raw, `each takes only require (also found: ${extra.join(', ')})`)];
    const errors: FieldError[] = [];
    if (typeof raw['each'] !== 'string') errors.push(invalidError(`${path}.each`, raw['each'], 'must be a field path selecting a list, e.g. spec.template.spec.containers'));
    else {
      try {
        parseFieldPath(raw['each']);
      } catch (error) {
        errors.push(invalidError(`${path}.each`, raw['each'], `the path ${(error as Error).message}`));
      }
    }
    if (!('require' in raw)) errors.push(requiredError(`${path}.require`, 'the condition every element must satisfy'));
    else errors.push(...conditionProblems(raw['require'], `${path}.require`, depth + 1));
    return errors;
  }
  if ('runsAnalysis' in raw) {
    if (keys.length > 1) return [invalidError(path, raw, 'runsAnalysis must be the only key of its condition')];
    return typeof raw['runsAnalysis'] === 'boolean' ? [] : [invalidError(`${path}.runsAnalysis`, raw['runsAnalysis'], 'must be true or false')];
  }
  if ('maxWeightIncrease' in raw) {
    if (keys.length > 1) return [invalidError(path, raw, 'maxWeightIncrease must be the only key of its condition')];
    const n = raw['maxWeightIncrease'];
    return typeof n === 'number' && Number.isInteger(n) && n >= 1
      ? []
      : [invalidError(`${path}.maxWeightIncrease`, n, 'must be a whole number of weight points, at least 1')];
  }
  if (!('field' in raw)) return [requiredError(path, `a condition needs a form: ${CONDITION_FORMS}`)];
  const errors: FieldError[] = [];
  const unknown = keys.filter((k) => !FIELD_KEYS.has(k));
  for (const k of unknown) errors.push(invalidError(`${path}.${k}`, raw[k], `unknown key; a field condition takes field, present, ${COMPARISONS.join(', ')}`));
  if (typeof raw['field'] !== 'string') errors.push(invalidError(`${path}.field`, raw['field'], 'must be a field path such as spec.strategy.canary.steps[*].setWeight'));
  else {
    try {
      parseFieldPath(raw['field']);
    } catch (error) {
      errors.push(invalidError(`${path}.field`, raw['field'], `the path ${(error as Error).message}`));
    }
  }
  const tests = keys.filter((k) => k === 'present' || (COMPARISONS as readonly string[]).includes(k));
  if (tests.length === 0) errors.push(requiredError(path, `a field condition needs a test: present, ${COMPARISONS.join(', ')}`));
  if ('present' in raw && typeof raw['present'] !== 'boolean') errors.push(invalidError(`${path}.present`, raw['present'], 'must be true or false'));
  for (const k of ['oneOf', 'notOneOf'] as const) {
    if (k in raw && (!Array.isArray(raw[k]) || (raw[k] as unknown[]).length === 0)) errors.push(invalidError(`${path}.${k}`, raw[k], 'must be a non-empty list of values'));
  }
  for (const k of ['min', 'max'] as const) {
    if (k in raw && (typeof raw[k] !== 'number' || !Number.isFinite(raw[k]))) errors.push(invalidError(`${path}.${k}`, raw[k], 'must be a number'));
  }
  for (const k of ['startsWith', 'endsWith'] as const) {
    if (k in raw && (typeof raw[k] !== 'string' || raw[k] === '')) errors.push(invalidError(`${path}.${k}`, raw[k], 'must be a non-empty string'));
  }
  return errors;
}

/**
 * Why `object` does not satisfy `condition`; empty when it does. The condition must be valid
 * (see conditionProblems); parts that are not are reported as failures rather than thrown.
 */
export function checkCondition(condition: unknown, object: unknown): Failure[] {
  if (!isJsonObject(condition)) return [{ path: '', detail: 'the policy condition is malformed' }];
  if (Array.isArray(condition['allOf'])) return condition['allOf'].flatMap((c) => checkCondition(c, object));
  if (Array.isArray(condition['anyOf'])) return checkAnyOf(condition['anyOf'], object);
  if ('not' in condition) {
    return checkCondition(condition['not'], object).length > 0
      ? []
      : [{ path: pathOf(condition['not']), detail: `must not hold: ${describeCondition(condition['not'])}` }];
  }
  if (typeof condition['each'] === 'string') return checkEach(condition['each'], condition['require'], object);
  if (typeof condition['runsAnalysis'] === 'boolean') return checkRunsAnalysis(condition['runsAnalysis'], object);
  if (typeof condition['maxWeightIncrease'] === 'number') return checkMaxWeightIncrease(condition['maxWeightIncrease'], object);
  if (typeof condition['field'] === 'string') return checkField(condition, condition['field'], object);
  return [{ path: '', detail: 'the policy condition is malformed' }];
}

function checkAnyOf(branches: unknown[], object: unknown): Failure[] {
  const failures: Failure[][] = [];
  for (const branch of branches) {
    const f = checkCondition(branch, object);
    if (f.length === 0) return [];
    failures.push(f);
  }
  const explained = failures.map((f, i) => `(${i + 1}) ${f.map((x) => (x.path === '' ? x.detail : `${x.path} ${x.detail}`)).join(', ')}`);
  return [{ path: failures[0]?.[0]?.path ?? '', detail: `none of the alternatives holds: ${explained.join('; ')}` }];
}

const compiledPaths = new Map<string, PathSegment[] | Error>();

function segmentsOf(field: string): PathSegment[] | Error {
  let segments = compiledPaths.get(field);
  if (segments === undefined) {
    try {
      segments = parseFieldPath(field);
    } catch (error) {
      segments = error as Error;
    }
    if (compiledPaths.size > 1000) compiledPaths.clear();
    compiledPaths.set(field, segments);
  }
  return segments;
}

function checkEach(path: string, inner: unknown, object: unknown): Failure[] {
  const segments = segmentsOf(path);
  if (segments instanceof Error) return [{ path, detail: `the policy's field path ${segments.message}` }];
  const elements: Array<{ path: string; value: unknown }> = [];
  for (const selected of selectValues(object, segments)) {
    if (Array.isArray(selected.value)) selected.value.forEach((value, i) => elements.push({ path: `${selected.path}[${i}]`, value }));
    else elements.push(selected);
  }
  return elements.flatMap((element) =>
    checkCondition(inner, element.value).map((f) => ({
      path: f.path === '' ? element.path : f.path.startsWith('[') ? `${element.path}${f.path}` : `${element.path}.${f.path}`,
      detail: f.detail,
    })),
  );
}

function checkField(condition: JsonObject, field: string, object: unknown): Failure[] {
  const segments = segmentsOf(field);
  if (segments instanceof Error) return [{ path: field, detail: `the policy's field path ${segments.message}` }];
  const selected = selectValues(object, segments);
  const failures: Failure[] = [];
  if (condition['present'] === true && selected.length === 0) failures.push({ path: field, detail: 'must be set' });
  if (condition['present'] === false) for (const s of selected) failures.push({ path: s.path, detail: 'must not be set' });
  for (const { path, value } of selected) {
    if ('equals' in condition && !jsonEqual(value, condition['equals'])) {
      failures.push({ path, detail: `is ${show(value)}, must be ${show(condition['equals'])}` });
    }
    if ('notEquals' in condition && jsonEqual(value, condition['notEquals'])) {
      failures.push({ path, detail: `must not be ${show(value)}` });
    }
    if (Array.isArray(condition['oneOf']) && !condition['oneOf'].some((v) => jsonEqual(v, value))) {
      failures.push({ path, detail: `is ${show(value)}, must be one of ${condition['oneOf'].map(show).join(', ')}` });
    }
    if (Array.isArray(condition['notOneOf']) && condition['notOneOf'].some((v) => jsonEqual(v, value))) {
      failures.push({ path, detail: `must not be ${show(value)} (refused: ${condition['notOneOf'].map(show).join(', ')})` });
    }
    for (const affix of ['startsWith', 'endsWith'] as const) {
      const text = condition[affix];
      if (typeof text !== 'string') continue;
      const ok = typeof value === 'string' && (affix === 'startsWith' ? value.startsWith(text) : value.endsWith(text));
      if (!ok) failures.push({ path, detail: `is ${show(value)}, must ${affix === 'startsWith' ? 'start' : 'end'} with ${show(text)}` });
    }
    for (const bound of ['min', 'max'] as const) {
      const limit = condition[bound];
      if (typeof limit !== 'number') continue;
      if (typeof value !== 'number') failures.push({ path, detail: `is ${show(value)}, must be a number ${bound === 'min' ? '>=' : '<='} ${limit}` });
      else if (bound === 'min' ? value < limit : value > limit) failures.push({ path, detail: `is ${value}, must be ${bound === 'min' ? 'at least' : 'at most'} ${limit}` });
    }
  }
  return failures;
}

/** Whether a Rollout (or Experiment) runs any analysis: background, step, experiment, pre/post promotion. */
export function runsAnalysis(object: unknown): boolean {
  const spec = isJsonObject(object) && isJsonObject(object['spec']) ? object['spec'] : {};
  if (Array.isArray(spec['analyses']) && spec['analyses'].length > 0) return true;
  const strategy = isJsonObject(spec['strategy']) ? spec['strategy'] : {};
  const canary = isJsonObject(strategy['canary']) ? strategy['canary'] : undefined;
  const blueGreen = isJsonObject(strategy['blueGreen']) ? strategy['blueGreen'] : undefined;
  const hasTemplates = (analysis: unknown): boolean =>
    isJsonObject(analysis) && Array.isArray(analysis['templates']) && analysis['templates'].length > 0;
  if (blueGreen !== undefined && (hasTemplates(blueGreen['prePromotionAnalysis']) || hasTemplates(blueGreen['postPromotionAnalysis']))) return true;
  if (canary !== undefined) {
    if (hasTemplates(canary['analysis'])) return true;
    const steps = Array.isArray(canary['steps']) ? canary['steps'] : [];
    for (const step of steps) {
      if (!isJsonObject(step)) continue;
      if (hasTemplates(step['analysis'])) return true;
      const experiment = step['experiment'];
      if (isJsonObject(experiment) && Array.isArray(experiment['analyses']) && experiment['analyses'].length > 0) return true;
    }
  }
  return false;
}

function checkRunsAnalysis(wanted: boolean, object: unknown): Failure[] {
  const kind = isJsonObject(object) ? object['kind'] : undefined;
  if (kind !== 'Rollout' && kind !== 'Experiment') return [];
  const runs = runsAnalysis(object);
  if (runs === wanted) return [];
  if (wanted) {
    return [
      {
        path: kind === 'Experiment' ? 'spec.analyses' : 'spec.strategy',
        detail:
          kind === 'Experiment'
            ? 'runs no analysis: add spec.analyses'
            : 'runs no analysis: add a background analysis (canary.analysis), an analysis step, or prePromotionAnalysis/postPromotionAnalysis (blueGreen)',
      },
    ];
  }
  return [{ path: kind === 'Experiment' ? 'spec.analyses' : 'spec.strategy', detail: 'must not run analysis' }];
}

function checkMaxWeightIncrease(max: number, object: unknown): Failure[] {
  if (!isJsonObject(object) || object['kind'] !== 'Rollout') return [];
  const spec = isJsonObject(object['spec']) ? object['spec'] : {};
  const strategy = isJsonObject(spec['strategy']) ? spec['strategy'] : {};
  const canary = strategy['canary'];
  if (!isJsonObject(canary)) return [];
  const routing = isJsonObject(canary['trafficRouting']) ? canary['trafficRouting'] : {};
  const full = typeof routing['maxTrafficWeight'] === 'number' ? routing['maxTrafficWeight'] : 100;
  const steps = Array.isArray(canary['steps']) ? canary['steps'] : [];
  const failures: Failure[] = [];
  let weight = 0;
  steps.forEach((step, i) => {
    if (!isJsonObject(step) || typeof step['setWeight'] !== 'number') return;
    const next = step['setWeight'];
    if (next - weight > max) {
      failures.push({
        path: `spec.strategy.canary.steps[${i}].setWeight`,
        detail: `raises the weight from ${weight} to ${next} (+${next - weight}); at most +${max} per step`,
      });
    }
    weight = next;
  });
  if (full - weight > max) {
    failures.push({
      path: 'spec.strategy.canary.steps',
      detail:
        weight === 0
          ? `send traffic from 0 to ${full} at once (no setWeight step); add setWeight steps at most ${max} apart`
          : `end at weight ${weight}, so promotion jumps to ${full} (+${full - weight}); add setWeight steps up to at least ${full - max}`,
    });
  }
  return failures;
}

function pathOf(condition: unknown): string {
  return isJsonObject(condition) && typeof condition['field'] === 'string' ? condition['field'] : '';
}

/** A short English rendering of a condition, for messages and lint output. */
export function describeCondition(condition: unknown): string {
  if (!isJsonObject(condition)) return 'a malformed condition';
  if (Array.isArray(condition['allOf'])) return `all of (${condition['allOf'].map(describeCondition).join('; ')})`;
  if (Array.isArray(condition['anyOf'])) return `any of (${condition['anyOf'].map(describeCondition).join('; ')})`;
  if ('not' in condition) return `not (${describeCondition(condition['not'])})`;
  if (typeof condition['each'] === 'string') return `every ${condition['each']} element: ${describeCondition(condition['require'])}`;
  if (typeof condition['runsAnalysis'] === 'boolean') return condition['runsAnalysis'] ? 'runs analysis' : 'runs no analysis';
  if (typeof condition['maxWeightIncrease'] === 'number') return `canary weight rises at most ${condition['maxWeightIncrease']} per step`;
  const field = String(condition['field']);
  const parts: string[] = [];
  if (condition['present'] === true) parts.push('is set');
  if (condition['present'] === false) parts.push('is not set');
  if ('equals' in condition) parts.push(`equals ${show(condition['equals'])}`);
  if ('notEquals' in condition) parts.push(`is not ${show(condition['notEquals'])}`);
  if (Array.isArray(condition['oneOf'])) parts.push(`is one of ${condition['oneOf'].map(show).join(', ')}`);
  if (Array.isArray(condition['notOneOf'])) parts.push(`is none of ${condition['notOneOf'].map(show).join(', ')}`);
  if (typeof condition['min'] === 'number') parts.push(`is at least ${condition['min']}`);
  if (typeof condition['max'] === 'number') parts.push(`is at most ${condition['max']}`);
  if (typeof condition['startsWith'] === 'string') parts.push(`starts with ${show(condition['startsWith'])}`);
  if (typeof condition['endsWith'] === 'string') parts.push(`ends with ${show(condition['endsWith'])}`);
  return `${field} ${parts.join(' and ')}`;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
