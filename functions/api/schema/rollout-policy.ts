// RolloutPolicy (ramp.dev/v1alpha1, cluster-scoped): cluster-wide defaults and rules for the Argo
// kinds. Ramp's own kind; Argo has no equivalent. Semantics live in functions/policy/ and
// docs/policy.md; this file only declares the shape.
import Type, { type Static } from 'typebox';
import { labelSelectorSchema, ObjectMetaSchema } from './meta.ts';
import { enumString, freeFormObject, int32, str } from './primitives.ts';

export const RAMP_VERSION = 'v1alpha1';

/** Kinds a policy can match. */
export const POLICY_MATCHABLE_KINDS = ['Rollout', 'Experiment', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'AnalysisRun'] as const;

export const ENFORCEMENT_ACTIONS = ['deny', 'warn', 'audit'] as const;
export type EnforcementAction = (typeof ENFORCEMENT_ACTIONS)[number];

export const PolicyMatchSchema = Type.Object(
  {
    kinds: Type.Optional(
      Type.Array(Type.String(), {
        description: `Kinds the policy applies to (${POLICY_MATCHABLE_KINDS.join(', ')}); empty or omitted means all of them.`,
      }),
    ),
    namespaces: Type.Optional(Type.Array(Type.String(), { description: 'Only objects in these namespaces; omitted means any namespace.' })),
    namespaceSelector: Type.Optional(
      labelSelectorSchema({ description: 'Only objects in namespaces whose labels match; ignored for cluster-scoped objects.' }),
    ),
    objectSelector: Type.Optional(labelSelectorSchema({ description: 'Only objects whose own labels match.' })),
  },
  { description: 'Which objects a policy (or one of its rules) applies to; every given criterion must hold.' },
);
export type PolicyMatch = Static<typeof PolicyMatchSchema>;

export const PolicyDefaultsSchema = Type.Object(
  {
    rollout: Type.Optional(
      freeFormObject(
        'A partial Rollout spec (same field names), merged into matching Rollouts only where they left a field empty.',
      ),
    ),
    experiment: Type.Optional(
      freeFormObject('A partial Experiment spec, merged into matching Experiments only where they left a field empty.'),
    ),
  },
  { description: 'Defaults filled in by the mutating webhook; see docs/policy.md for the merge rules.' },
);
export type PolicyDefaults = Static<typeof PolicyDefaultsSchema>;

export const PolicyRuleSchema = Type.Object(
  {
    name: str('Rule name, unique within the policy.'),
    message: str('What the rule asks for, shown to the user with every violation.'),
    enforcementAction: Type.Optional(
      enumString(ENFORCEMENT_ACTIONS, {
        description: 'deny: refuse the object; warn: admit it with a warning; audit: admit it silently and report it in audits. Default deny.',
      }),
    ),
    match: Type.Optional(PolicyMatchSchema),
    require: freeFormObject(
      'The condition every matching object must satisfy: {field, present|equals|notEquals|oneOf|notOneOf|min|max|startsWith|endsWith}, ' +
        '{each: PATH, require: CONDITION}, {runsAnalysis: true}, {maxWeightIncrease: N}, or allOf/anyOf/not of conditions. See docs/policy.md.',
    ),
  },
  { description: 'A constraint on matching objects.' },
);
export type PolicyRule = Static<typeof PolicyRuleSchema>;

export const RolloutPolicySpecSchema = Type.Object(
  {
    priority: Type.Optional(int32('Higher priorities are applied first and win over lower ones (default 0).')),
    match: Type.Optional(PolicyMatchSchema),
    defaults: Type.Optional(PolicyDefaultsSchema),
    rules: Type.Optional(Type.Array(PolicyRuleSchema, { description: 'Constraints checked at admission, by ramp lint and by audits.' })),
  },
  { description: 'Desired state of a RolloutPolicy.' },
);
export type RolloutPolicySpec = Static<typeof RolloutPolicySpecSchema>;

export const RolloutPolicySchema = Type.Object(
  {
    apiVersion: Type.Optional(str()),
    kind: Type.Optional(str()),
    metadata: Type.Optional(ObjectMetaSchema),
    spec: RolloutPolicySpecSchema,
  },
  { description: 'Cluster-wide defaults and rules for Rollouts, Experiments and analysis objects.' },
);
export type RolloutPolicy = Static<typeof RolloutPolicySchema>;

/** Registry entry for the CRD generator (see generateRampCrds). */
export const ROLLOUT_POLICY_KIND_DEFINITION = {
  kind: 'RolloutPolicy',
  plural: 'rolloutpolicies',
  singular: 'rolloutpolicy',
  listKind: 'RolloutPolicyList',
  shortNames: ['rpol'],
  scope: 'Cluster',
  schema: RolloutPolicySchema,
  statusSubresource: false,
  printerColumns: [
    { name: 'Priority', type: 'integer', jsonPath: '.spec.priority', description: 'Higher priorities are applied first' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since resource was created' },
  ],
} as const;
