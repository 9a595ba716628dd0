// Conflicts between policies, found without any object: two policies of the same priority that
// default the same field to different values and whose matches can overlap. ramp lint and the
// validating webhook (when a policy is applied) report them; at admission the per-object
// conflicts of applyPolicyDefaults are reported too.
import type { RolloutPolicy } from '../api/index.ts';
import { isJsonObject, jsonEqual } from '../defaults/json.ts';
import { DEFAULTS_KEY_BY_KIND, defaultLeaves } from './default-paths.ts';
import type { DefaultConflict } from './merge-defaults.ts';
import { orderPolicies, policyName, policyPriority } from './order.ts';

export function findPolicyConflicts(policies: readonly RolloutPolicy[]): DefaultConflict[] {
  const conflicts: DefaultConflict[] = [];
  const ordered = orderPolicies(policies);
  for (const [kind, key] of Object.entries(DEFAULTS_KEY_BY_KIND)) {
    const leavesOf = ordered.map((policy) => {
      const defaults = policy.spec?.defaults;
      const partial = isJsonObject(defaults) ? defaults[key] : undefined;
      return { policy, leaves: mayMatchKind(policy, kind) ? defaultLeaves(kind, partial) : [] };
    });
    const seen = new Set<string>();
    for (let i = 0; i < leavesOf.length; i++) {
      const a = leavesOf[i]!;
      for (const leaf of a.leaves) {
        const id = `${policyPriority(a.policy)}\u0000${leaf.path}`;
        if (seen.has(id)) continue;
        const candidates = [{ policy: policyName(a.policy), value: leaf.value }];
        for (let j = i + 1; j < leavesOf.length; j++) {
          const b = leavesOf[j]!;
          if (policyPriority(b.policy) !== policyPriority(a.policy) || !mayOverlap(a.policy, b.policy)) continue;
          const other = b.leaves.find((l) => l.path === leaf.path);
          if (other !== undefined) candidates.push({ policy: policyName(b.policy), value: other.value });
        }
        if (candidates.some((c) => !jsonEqual(c.value, leaf.value))) {
          seen.add(id);
          conflicts.push({ path: `spec.${leaf.path}`, kind, priority: policyPriority(a.policy), candidates });
        }
      }
    }
  }
  return conflicts;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function mayMatchKind(policy: RolloutPolicy, kind: string): boolean {
  const kinds = listOf(policy.spec?.match?.kinds);
  return kinds.length === 0 || kinds.includes(kind);
}

/** False only when the two matches certainly select different objects. */
function mayOverlap(a: RolloutPolicy, b: RolloutPolicy): boolean {
  const ma = a.spec?.match ?? {};
  const mb = b.spec?.match ?? {};
  const ka = listOf(ma.kinds);
  const kb = listOf(mb.kinds);
  if (ka.length > 0 && kb.length > 0 && !ka.some((k) => kb.includes(k))) return false;
  const na = listOf(ma.namespaces);
  const nb = listOf(mb.namespaces);
  if (na.length > 0 && nb.length > 0 && !na.some((n) => nb.includes(n))) return false;
  return !labelsDisagree(ma.objectSelector?.matchLabels, mb.objectSelector?.matchLabels) &&
    !labelsDisagree(ma.namespaceSelector?.matchLabels, mb.namespaceSelector?.matchLabels);
}

function labelsDisagree(a: unknown, b: unknown): boolean {
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  return Object.entries(a).some(([k, v]) => Object.hasOwn(b, k) && b[k] !== v);
}
