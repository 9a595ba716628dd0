// The checks shared by the validating webhook and ramp lint: validation of the Argo kind, then
// the policy rules against the object read with Argo's defaults. And the defaulting shared by the
// mutating webhook and ramp lint: policy defaults first, then the built-in ones.
import type { ArgoKind, FieldError, RolloutPolicy } from '../api/index.ts';
import { applyBuiltInDefaults } from '../defaults/index.ts';
import { applyPolicyDefaults, type AppliedDefault, type DefaultConflict, evaluateRules, type PolicyTarget, type RuleFinding } from '../policy/index.ts';
import { validateObject } from '../validate/index.ts';

export interface ObjectCheck {
  fieldErrors: FieldError[];
  /** Violated rules, whatever their enforcement action. */
  findings: RuleFinding[];
  /** Policies (or policy/rule) not evaluated because the namespace's labels are unknown. */
  unevaluated: string[];
}

export function checkArgoObject(kind: ArgoKind, object: unknown, old: unknown, policies: readonly RolloutPolicy[], target: PolicyTarget): ObjectCheck {
  const fieldErrors = validateObject(kind, object, old);
  const effective = applyBuiltInDefaults(kind, object).object;
  const { findings, unevaluated } = evaluateRules(policies, target, effective);
  return { fieldErrors, findings, unevaluated };
}

export interface DefaultedObject<T> {
  object: T;
  /** Field paths filled by a policy, with the policy's name. */
  policyDefaults: AppliedDefault[];
  /** Field paths filled by Argo's built-in defaults. */
  builtInDefaults: string[];
  conflicts: DefaultConflict[];
  unevaluated: string[];
}

export function defaultArgoObject<T>(kind: string, object: T, policies: readonly RolloutPolicy[], target: PolicyTarget): DefaultedObject<T> {
  const withPolicies = applyPolicyDefaults(policies, target, object);
  const withBuiltIns = applyBuiltInDefaults(kind, withPolicies.object);
  return {
    object: withBuiltIns.object,
    policyDefaults: withPolicies.applied,
    builtInDefaults: withBuiltIns.filled,
    conflicts: withPolicies.conflicts,
    unevaluated: withPolicies.unevaluated,
  };
}

/** The note for a policy that could not be matched. */
export function unevaluatedWarning(what: string, namespace: string | undefined): string {
  return `RolloutPolicy ${what} was not evaluated: the labels of namespace "${namespace ?? ''}" are unknown`;
}
