// Small builders for policy tests.
import type { RolloutPolicy, RolloutPolicySpec } from '../../../functions/api/index.ts';
import type { PolicyTarget } from '../../../functions/policy/index.ts';

export function aPolicy(name: string, spec: Record<string, unknown>): RolloutPolicy {
  return { apiVersion: 'ramp.dev/v1alpha1', kind: 'RolloutPolicy', metadata: { name }, spec: spec as RolloutPolicySpec };
}

export function rolloutTarget(extra: Partial<PolicyTarget> = {}): PolicyTarget {
  return { kind: 'Rollout', namespace: 'shop', name: 'demo', labels: { app: 'demo' }, namespaceLabels: { env: 'prod' }, ...extra };
}
