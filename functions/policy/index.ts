// Cluster-wide policy: RolloutPolicy matching, default merging, rules, validation and audit.
export { auditObjects, type AuditFinding, type NamespaceLabelSource } from './audit.ts';
export { checkCondition, conditionProblems, describeCondition, type Failure, runsAnalysis } from './condition.ts';
export { findPolicyConflicts } from './conflicts.ts';
export { DEFAULTS_KEY_BY_KIND, FORBIDDEN_DEFAULTS } from './default-paths.ts';
export { parseFieldPath, selectValues, type PathSegment, type Selected } from './field-path.ts';
export { bothMatch, matchResult, type MatchResult } from './match.ts';
export {
  type AppliedDefault,
  applyPolicyDefaults,
  type DefaultConflict,
  formatConflict,
  type PolicyDefaultsResult,
  type SkippedDefault,
} from './merge-defaults.ts';
export { orderPolicies, policyName, policyPriority } from './order.ts';
export { enforcementActionOf, evaluateRules, formatFinding, type RuleEvaluation, type RuleFinding } from './rules.ts';
export { isClusterScopedKind, type PolicyTarget, targetOf } from './target.ts';
export { matchProblems, RAMP_API_VERSION, validateRolloutPolicy } from './validate-policy.ts';
