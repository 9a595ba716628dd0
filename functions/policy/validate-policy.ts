// Validation of a RolloutPolicy as it is applied (the validating webhook and ramp lint): shape,
// selectors, the partial specs under defaults, and every rule's condition. Returns every problem.
import {
  ARGO_API_VERSION,
  duplicateError,
  ENFORCEMENT_ACTIONS,
  type FieldError,
  forbiddenError,
  invalidError,
  notSupportedError,
  POLICY_MATCHABLE_KINDS,
  RAMP_GROUP,
  RAMP_VERSION,
  requiredError,
  validateShape,
} from '../api/index.ts';
import { isJsonObject, type JsonObject } from '../defaults/json.ts';
import { labelSelectorProblems } from '../selectors/index.ts';
import { conditionProblems } from './condition.ts';
import { FORBIDDEN_DEFAULTS } from './default-paths.ts';

export const RAMP_API_VERSION = `${RAMP_GROUP}/${RAMP_VERSION}`;

const SPEC_KEYS = ['priority', 'match', 'defaults', 'rules'];
const MATCH_KEYS = ['kinds', 'namespaces', 'namespaceSelector', 'objectSelector'];
const DEFAULTS_KEYS = ['rollout', 'experiment'];
const RULE_KEYS = ['name', 'message', 'enforcementAction', 'match', 'require'];

export function validateRolloutPolicy(object: unknown): FieldError[] {
  if (!isJsonObject(object)) return [invalidError('<root>', object, 'a RolloutPolicy must be an object')];
  const errors: FieldError[] = [];
  if (object['apiVersion'] !== undefined && object['apiVersion'] !== RAMP_API_VERSION) {
    errors.push(notSupportedError('apiVersion', object['apiVersion'], [RAMP_API_VERSION]));
  }
  if (object['kind'] !== undefined && object['kind'] !== 'RolloutPolicy') errors.push(notSupportedError('kind', object['kind'], ['RolloutPolicy']));
  const spec = object['spec'];
  if (spec === undefined || spec === null) return [...errors, requiredError('spec', 'a RolloutPolicy needs a spec with match, defaults and/or rules')];
  if (!isJsonObject(spec)) return [...errors, invalidError('spec', spec, 'must be an object')];
  errors.push(...unknownKeys(spec, SPEC_KEYS, 'spec'));
  const priority = spec['priority'];
  if (priority !== undefined && (typeof priority !== 'number' || !Number.isInteger(priority) || Math.abs(priority) > 2147483647)) {
    errors.push(invalidError('spec.priority', priority, 'must be a 32-bit integer; higher priorities apply first'));
  }
  errors.push(...matchProblems(spec['match'], 'spec.match'));
  errors.push(...defaultsProblems(spec['defaults']));
  errors.push(...rulesProblems(spec['rules']));
  if (spec['defaults'] === undefined && spec['rules'] === undefined) {
    errors.push(requiredError('spec', 'a policy without defaults and without rules does nothing; add spec.defaults or spec.rules'));
  }
  return errors;
}

function unknownKeys(node: JsonObject, known: readonly string[], path: string): FieldError[] {
  return Object.keys(node)
    .filter((k) => !known.includes(k))
    .map((k) => forbiddenError(`${path}.${k}`, `unknown field; known fields: ${known.join(', ')}`));
}

export function matchProblems(match: unknown, path: string): FieldError[] {
  if (match === undefined || match === null) return [];
  if (!isJsonObject(match)) return [invalidError(path, match, 'must be an object with kinds, namespaces, namespaceSelector, objectSelector')];
  const errors = unknownKeys(match, MATCH_KEYS, path);
  const kinds = match['kinds'];
  if (kinds !== undefined && kinds !== null) {
    if (!Array.isArray(kinds)) errors.push(invalidError(`${path}.kinds`, kinds, 'must be a list of kinds'));
    else {
      kinds.forEach((kind, i) => {
        if (!(POLICY_MATCHABLE_KINDS as readonly unknown[]).includes(kind)) errors.push(notSupportedError(`${path}.kinds[${i}]`, kind, POLICY_MATCHABLE_KINDS));
      });
    }
  }
  const namespaces = match['namespaces'];
  if (namespaces !== undefined && namespaces !== null) {
    if (!Array.isArray(namespaces)) errors.push(invalidError(`${path}.namespaces`, namespaces, 'must be a list of namespace names'));
    else namespaces.forEach((n, i) => typeof n !== 'string' && errors.push(invalidError(`${path}.namespaces[${i}]`, n, 'must be a string')));
  }
  errors.push(...labelSelectorProblems(match['namespaceSelector'], `${path}.namespaceSelector`));
  errors.push(...labelSelectorProblems(match['objectSelector'], `${path}.objectSelector`));
  return errors;
}

function defaultsProblems(defaults: unknown): FieldError[] {
  if (defaults === undefined || defaults === null) return [];
  if (!isJsonObject(defaults)) return [invalidError('spec.defaults', defaults, 'must be an object with rollout and/or experiment')];
  const errors = unknownKeys(defaults, DEFAULTS_KEYS, 'spec.defaults');
  for (const [key, kind] of [
    ['rollout', 'Rollout'],
    ['experiment', 'Experiment'],
  ] as const) {
    const partial = defaults[key];
    if (partial === undefined || partial === null) continue;
    const path = `spec.defaults.${key}`;
    if (!isJsonObject(partial)) {
      errors.push(invalidError(path, partial, `must be a partial ${kind} spec`));
      continue;
    }
    // The partial spec is checked as the spec of an otherwise empty object: types and field
    // names count, required fields do not (a default fills only some).
    for (const error of validateShape(kind, { apiVersion: ARGO_API_VERSION, kind, spec: partial })) {
      if (error.type === 'Required' || !error.path.startsWith('spec')) continue;
      errors.push({ ...error, path: path + error.path.slice('spec'.length) });
    }
    for (const [field, reason] of Object.entries(FORBIDDEN_DEFAULTS[kind] ?? {})) {
      if (valueAtDotted(partial, field) !== undefined) errors.push(forbiddenError(`${path}.${field}`, `a policy cannot default this field: ${reason}`));
    }
    errors.push(...negativeNumbers(partial, path));
  }
  return errors;
}

function valueAtDotted(node: JsonObject, dotted: string): unknown {
  let current: unknown = node;
  for (const segment of dotted.split('.')) {
    if (!isJsonObject(current)) return undefined;
    current = current[segment];
  }
  return current ?? undefined;
}

/** Counts, seconds and limits in a spec are never negative. */
function negativeNumbers(node: unknown, path: string): FieldError[] {
  if (typeof node === 'number') return node < 0 ? [invalidError(path, node, 'must not be negative')] : [];
  if (Array.isArray(node)) return node.flatMap((n, i) => negativeNumbers(n, `${path}[${i}]`));
  if (isJsonObject(node)) return Object.entries(node).flatMap(([k, v]) => negativeNumbers(v, `${path}.${k}`));
  return [];
}

function rulesProblems(rules: unknown): FieldError[] {
  if (rules === undefined || rules === null) return [];
  if (!Array.isArray(rules)) return [invalidError('spec.rules', rules, 'must be a list of rules')];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const path = `spec.rules[${i}]`;
    if (!isJsonObject(rule)) {
      errors.push(invalidError(path, rule, 'must be a rule: {name, message, enforcementAction, match, require}'));
      return;
    }
    errors.push(...unknownKeys(rule, RULE_KEYS, path));
    const name = rule['name'];
    if (typeof name !== 'string' || name === '') errors.push(requiredError(`${path}.name`, 'a rule name, unique within the policy'));
    else if (seen.has(name)) errors.push(duplicateError(`${path}.name`, name, 'rule names must be unique within a policy'));
    else seen.add(name);
    if (typeof rule['message'] !== 'string' || rule['message'].trim() === '') {
      errors.push(requiredError(`${path}.message`, 'say what the rule asks for; it is shown with every violation'));
    }
    const action = rule['enforcementAction'];
    if (action !== undefined && action !== null && !(ENFORCEMENT_ACTIONS as readonly unknown[]).includes(action)) {
      errors.push(notSupportedError(`${path}.enforcementAction`, action, ENFORCEMENT_ACTIONS));
    }
    errors.push(...matchProblems(rule['match'], `${path}.match`));
    if (rule['require'] === undefined || rule['require'] === null) errors.push(requiredError(`${path}.require`, 'the condition the rule enforces'));
    else errors.push(...conditionProblems(rule['require'], `${path}.require`));
  });
  return errors;
}
