// What can be wrong with a label selector. Two checks, for two kinds of input:
// - labelSelectorProblems: a RolloutPolicy's selectors, which no schema has checked yet — the
//   types, then operators and their values;
// - validateLabelSelector: the Argo kinds' selectors, after the shape check — label key and
//   value syntax, operators and their values.
import { type FieldError, forbiddenError, invalidError, notSupportedError, requiredError } from '../api/index.ts';
import { child, index, key } from '../validate/field-path.ts';
import { labelKeyProblem, labelValueProblem } from '../validate/kubernetes-names.ts';
import { isObject, list, obj, str, stringEntries } from '../validate/read.ts';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

function isOperator(operator: unknown): operator is (typeof OPERATORS)[number] {
  return (OPERATORS as readonly unknown[]).includes(operator);
}

/** In and NotIn need values: the problem when they have none. */
function missingValues(at: string, operator: string, values: readonly unknown[]): FieldError[] {
  return (operator === 'In' || operator === 'NotIn') && values.length === 0 ? [requiredError(child(at, 'values'), `operator ${operator} needs at least one value`)] : [];
}

/** Structural problems of a selector at `path`: types, operators, values per operator. */
export function labelSelectorProblems(selector: unknown, path: string): FieldError[] {
  if (selector === undefined || selector === null) return [];
  if (!isObject(selector)) return [invalidError(path, selector, 'must be a label selector: {matchLabels: {...}, matchExpressions: [...]}')];
  const errors: FieldError[] = [];
  const matchLabels = selector['matchLabels'];
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isObject(matchLabels)) errors.push(invalidError(child(path, 'matchLabels'), matchLabels, 'must be a map of label keys to values'));
    else {
      for (const [k, value] of Object.entries(matchLabels)) {
        if (typeof value !== 'string') errors.push(invalidError(key(child(path, 'matchLabels'), k), value, 'must be a string'));
      }
    }
  }
  const expressions = selector['matchExpressions'];
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) errors.push(invalidError(child(path, 'matchExpressions'), expressions, 'must be a list'));
    else {
      expressions.forEach((expression, i) => {
        const at = index(child(path, 'matchExpressions'), i);
        if (!isObject(expression)) {
          errors.push(invalidError(at, expression, 'must be {key, operator, values}'));
          return;
        }
        if (typeof expression['key'] !== 'string' || expression['key'] === '') errors.push(requiredError(child(at, 'key'), 'a label key'));
        const operator = expression['operator'];
        if (!isOperator(operator)) {
          errors.push(notSupportedError(child(at, 'operator'), operator, OPERATORS));
          return;
        }
        const values = expression['values'];
        const items = list(values);
        if (values !== undefined && values !== null && !Array.isArray(values)) errors.push(invalidError(child(at, 'values'), values, 'must be a list of strings'));
        errors.push(...missingValues(at, operator, items));
        if ((operator === 'Exists' || operator === 'DoesNotExist') && items.length > 0) {
          errors.push(invalidError(child(at, 'values'), values, `must be empty when the operator is ${operator}`));
        }
        items.forEach((value, j) => {
          if (typeof value !== 'string') errors.push(invalidError(index(child(at, 'values'), j), value, 'must be a string'));
        });
      });
    }
  }
  return errors;
}

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
    const at = index(child(path, 'matchExpressions'), i);
    const k = str(e['key']);
    if (k !== undefined) {
      const keyProblem = labelKeyProblem(k);
      if (keyProblem !== undefined) errors.push(invalidError(child(at, 'key'), k, `invalid label key: ${keyProblem}`));
    }
    const operator = str(e['operator']);
    const values = list(e['values']);
    if (operator === undefined) return;
    if (!isOperator(operator)) {
      errors.push(notSupportedError(child(at, 'operator'), operator, OPERATORS));
      return;
    }
    errors.push(...missingValues(at, operator, values));
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      errors.push(forbiddenError(child(at, 'values'), `must be empty when the operator is ${operator}`));
    }
    values.forEach((value, j) => {
      if (typeof value !== 'string') return;
      const problem = labelValueProblem(value);
      if (problem !== undefined) errors.push(invalidError(index(child(at, 'values'), j), value, `invalid label value: ${problem}`));
    });
  });
}
