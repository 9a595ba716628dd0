// metav1.LabelSelector matching for policies (namespaceSelector, objectSelector), and the syntax
// checks a policy's selectors get when the policy is applied. An empty selector matches all.
import { type FieldError, invalidError, notSupportedError, requiredError } from '../api/index.ts';
import { isJsonObject } from '../defaults/json.ts';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

export type Labels = Readonly<Record<string, string>>;

/** Whether `labels` satisfy `selector` (assumed valid: see labelSelectorProblems). */
export function selectorMatches(selector: unknown, labels: Labels): boolean {
  if (!isJsonObject(selector)) return true;
  const matchLabels = isJsonObject(selector['matchLabels']) ? selector['matchLabels'] : {};
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  const expressions = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'] : [];
  for (const expression of expressions) {
    if (!isJsonObject(expression)) return false;
    const key = String(expression['key']);
    const values = Array.isArray(expression['values']) ? expression['values'].map(String) : [];
    const has = Object.hasOwn(labels, key);
    switch (expression['operator']) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
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

/** Whether the selector has no requirement at all (and so matches everything). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isJsonObject(selector)) return true;
  const labels = isJsonObject(selector['matchLabels']) ? Object.keys(selector['matchLabels']).length : 0;
  const expressions = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'].length : 0;
  return labels + expressions === 0;
}

/** Structural problems of a selector at `path`: types, operators, values per operator. */
export function labelSelectorProblems(selector: unknown, path: string): FieldError[] {
  if (selector === undefined || selector === null) return [];
  if (!isJsonObject(selector)) return [invalidError(path, selector, 'must be a label selector: {matchLabels: {...}, matchExpressions: [...]}')];
  const errors: FieldError[] = [];
  const matchLabels = selector['matchLabels'];
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isJsonObject(matchLabels)) errors.push(invalidError(`${path}.matchLabels`, matchLabels, 'must be a map of label keys to values'));
    else {
      for (const [key, value] of Object.entries(matchLabels)) {
        if (typeof value !== 'string') errors.push(invalidError(`${path}.matchLabels[${key}]`, value, 'must be a string'));
      }
    }
  }
  const expressions = selector['matchExpressions'];
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) errors.push(invalidError(`${path}.matchExpressions`, expressions, 'must be a list'));
    else {
      expressions.forEach((expression, i) => {
        const at = `${path}.matchExpressions[${i}]`;
        if (!isJsonObject(expression)) {
          errors.push(invalidError(at, expression, 'must be {key, operator, values}'));
          return;
        }
        if (typeof expression['key'] !== 'string' || expression['key'] === '') errors.push(requiredError(`${at}.key`, 'a label key'));
        const operator = expression['operator'];
        if (!(OPERATORS as readonly unknown[]).includes(operator)) {
          errors.push(notSupportedError(`${at}.operator`, operator, OPERATORS));
          return;
        }
        const values = expression['values'];
        const list = Array.isArray(values) ? values : [];
        if (values !== undefined && values !== null && !Array.isArray(values)) errors.push(invalidError(`${at}.values`, values, 'must be a list of strings'));
        if ((operator === 'In' || operator === 'NotIn') && list.length === 0) {
          errors.push(requiredError(`${at}.values`, `operator ${String(operator)} needs at least one value`));
        }
        if ((operator === 'Exists' || operator === 'DoesNotExist') && list.length > 0) {
          errors.push(invalidError(`${at}.values`, values, `must be empty when the operator is ${String(operator)}`));
        }
        list.forEach((value, j) => {
          if (typeof value !== 'string') errors.push(invalidError(`${at}.values[${j}]`, value, 'must be a string'));
        });
      });
    }
  }
  return errors;
}
