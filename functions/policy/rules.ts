// Rule evaluation: every rule of every matching policy is checked against the object (with
// Argo's defaults applied, so an omitted field reads as the value it means).
import type { EnforcementAction, RolloutPolicy } from '../api/index.ts';
import { isJsonObject } from '../defaults/json.ts';
import { checkCondition, type Failure } from './condition.ts';
import { bothMatch, matchResult } from './match.ts';
import { orderPolicies, policyName } from './order.ts';
import type { PolicyTarget } from './target.ts';

export interface RuleFinding {
  policy: string;
  rule: string;
  enforcementAction: EnforcementAction;
  message: string;
  failures: Failure[];
}

export interface RuleEvaluation {
  findings: RuleFinding[];
  /** `policy/rule` names that could not be matched: the namespace's labels are unknown. */
  unevaluated: string[];
}

export function enforcementActionOf(rule: unknown): EnforcementAction {
  const action = isJsonObject(rule) ? rule['enforcementAction'] : undefined;
  return action === 'warn' || action === 'audit' ? action : 'deny';
}

/** Violations of every applicable rule, in policy order then rule order. */
export function evaluateRules(policies: readonly RolloutPolicy[], target: PolicyTarget, object: unknown): RuleEvaluation {
  const evaluation: RuleEvaluation = { findings: [], unevaluated: [] };
  for (const policy of orderPolicies(policies)) {
    const rules = policy.spec?.rules;
    if (!Array.isArray(rules) || rules.length === 0) continue;
    const policyMatch = matchResult(policy.spec?.match, target);
    if (policyMatch === false) continue;
    for (const rule of rules) {
      if (!isJsonObject(rule)) continue;
      const name = typeof rule['name'] === 'string' ? rule['name'] : '';
      const matched = bothMatch(policyMatch, matchResult(rule['match'], target));
      if (matched === 'unknown') evaluation.unevaluated.push(`${policyName(policy)}/${name}`);
      if (matched !== true) continue;
      const failures = checkCondition(rule['require'], object);
      if (failures.length === 0) continue;
      evaluation.findings.push({
        policy: policyName(policy),
        rule: name,
        enforcementAction: enforcementActionOf(rule),
        message: typeof rule['message'] === 'string' ? rule['message'] : '',
        failures,
      });
    }
  }
  return evaluation;
}

/** `RolloutPolicy "prod" rule "analysis": Rollouts in prod must run analysis (spec.strategy: runs no analysis: …)` */
export function formatFinding(finding: RuleFinding): string {
  const details = finding.failures.map((f) => (f.path === '' ? f.detail : `${f.path}: ${f.detail}`)).join('; ');
  return `RolloutPolicy "${finding.policy}" rule "${finding.rule}": ${finding.message} (${details})`;
}
