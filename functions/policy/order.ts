// The order in which policies apply: higher spec.priority first, then by name (A before B).
import type { RolloutPolicy } from '../api/index.ts';

export function policyPriority(policy: RolloutPolicy): number {
  const p = policy.spec?.priority;
  return typeof p === 'number' && Number.isInteger(p) ? p : 0;
}

export function policyName(policy: RolloutPolicy): string {
  return policy.metadata?.name ?? '';
}

/** A sorted copy; the input is not modified. */
export function orderPolicies(policies: readonly RolloutPolicy[]): RolloutPolicy[] {
  return [...policies].sort((a, b) => policyPriority(b) - policyPriority(a) || compareNames(policyName(a), policyName(b)));
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
