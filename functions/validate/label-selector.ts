// metav1.LabelSelector: syntax, emptiness, matching against pod template labels, and a readable
// form for messages (`app=demo,tier in (web)`).
import { type FieldError, invalidError, notSupportedError, requiredError, forbiddenError } from '../api/index.ts';
import { child, index, key } from './field-path.ts';
import { labelKeyProblem, labelValueProblem } from './kubernetes-names.ts';
import { isObject, list, obj, str, stringEntries } from './read.ts';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** Every syntax problem of a selector: label keys and values, operators, values per operator. */
export function validateLabelSelector(errors: FieldError[], selector: unknown, path: string): void {
  const s = obj(selector);
  if (s === undefined) return;
  const matchLabelsPath = child(path, 'matchLabels');
  for (const [k, v] of stringEntries(s['matchLabels'])) {
    const keyProblem = labelKeyProblem(k);
    if (keyProblem !== undefined) errors.push(invalidError(matchLabelsPath, k, `invalid label key: ${keyProblem}`));
    const valueProblem = labelValueProblem(v);
    if (valueProblem !== undefined) errors.push(invalidError(key(matchLabelsPath, k), v, `invalid label value: ${valueProblem}`));
  }
  list(s['matchExpressions']).forEach((expression, i) => {
    const e = obj(expression);
    if (e === undefined) return;
    const ePath = index(child(path, 'matchExpressions'), i);
    const k = str(e['key']);
    if (k !== undefined) {
      const keyProblem = labelKeyProblem(k);
      if (keyProblem !== undefined) errors.push(invalidError(child(ePath, 'key'), k, `invalid label key: ${keyProblem}`));
    }
    const operator = str(e['operator']);
    const values = list(e['values']);
    if (operator === undefined) return;
    if (!(OPERATORS as readonly string[]).includes(operator)) {
      errors.push(notSupportedError(child(ePath, 'operator'), operator, OPERATORS));
      return;
    }
    if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      errors.push(requiredError(child(ePath, 'values'), `operator ${operator} needs at least one value`));
    }
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      errors.push(forbiddenError(child(ePath, 'values'), `must be empty when the operator is ${operator}`));
    }
    values.forEach((value, j) => {
      if (typeof value !== 'string') return;
      const problem = labelValueProblem(value);
      if (problem !== undefined) errors.push(invalidError(index(child(ePath, 'values'), j), value, `invalid label value: ${problem}`));
    });
  });
}

/** A selector with no requirement at all selects every pod. */
export function isEmptySelector(selector: unknown): boolean {
  const s = obj(selector);
  if (s === undefined) return true;
  return stringEntries(s['matchLabels']).length === 0 && list(s['matchExpressions']).length === 0;
}

/** Whether the labels satisfy every requirement of the selector. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = obj(selector);
  if (s === undefined) return true;
  for (const [k, v] of stringEntries(s['matchLabels'])) {
    if (labels[k] !== v) return false;
  }
  for (const expression of list(s['matchExpressions'])) {
    const e = obj(expression);
    if (e === undefined) continue;
    const k = str(e['key']) ?? '';
    const values = list(e['values']).filter((v): v is string => typeof v === 'string');
    const has = Object.hasOwn(labels, k);
    switch (str(e['operator'])) {
      case 'In':
        if (!has || !values.includes(labels[k]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[k]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** `app=demo,tier in (a,b),!legacy` — the selector as kubectl prints it. */
export function describeSelector(selector: unknown): string {
  const s = obj(selector);
  if (s === undefined) return '';
  const parts = stringEntries(s['matchLabels']).map(([k, v]) => `${k}=${v}`);
  for (const expression of list(s['matchExpressions'])) {
    const e = obj(expression);
    if (e === undefined) continue;
    const k = str(e['key']) ?? '';
    const values = list(e['values']).map(String).join(',');
    switch (str(e['operator'])) {
      case 'In':
        parts.push(`${k} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${k} notin (${values})`);
        break;
      case 'Exists':
        parts.push(k);
        break;
      case 'DoesNotExist':
        parts.push(`!${k}`);
        break;
      default:
        parts.push(`${k} ${String(e['operator'])} (${values})`);
    }
  }
  return parts.join(',');
}

/** Labels as a plain string map (non-string values dropped). */
export function labelsOf(metadata: unknown): Record<string, string> {
  const m = obj(metadata);
  return Object.fromEntries(stringEntries(m?.['labels']));
}

/** Selector equality that treats missing and empty matchLabels/matchExpressions alike. */
export function sameSelector(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonicalSelector(a)) === JSON.stringify(canonicalSelector(b));
}

function canonicalSelector(selector: unknown): unknown {
  const s = obj(selector) ?? {};
  const labels = stringEntries(s['matchLabels']).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const expressions = list(s['matchExpressions']).map((expression) => {
    const e = isObject(expression) ? expression : {};
    return [e['key'], e['operator'], list(e['values'])];
  });
  return { labels, expressions };
}
