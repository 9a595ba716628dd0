// Policy defaults: merged into an object only where it left a field empty, in the documented
// order (higher priority first, then name). Two policies of the same priority that default the
// same field to different values are a conflict: the field is left alone and the conflict is
// reported, never resolved behind the user's back.
import type { RolloutPolicy } from '../api/index.ts';
import { isJsonObject, jsonEqual } from '../defaults/json.ts';
import { DEFAULTS_KEY_BY_KIND, defaultLeaves, FORBIDDEN_DEFAULTS, inapplicableReason, isConditionalDefault, valueAt, writeAt } from './default-paths.ts';
import { matchResult } from './match.ts';
import { orderPolicies, policyName, policyPriority } from './order.ts';
import type { PolicyTarget } from './target.ts';

export interface AppliedDefault {
  /** Field path from the object root, e.g. `spec.progressDeadlineSeconds`. */
  path: string;
  /** The policy whose value was used (the first by name among those agreeing). */
  policy: string;
  value: unknown;
}

export interface DefaultConflict {
  path: string;
  /** The kind whose defaults conflict (set by findPolicyConflicts, where it is not implied). */
  kind?: string;
  priority: number;
  candidates: Array<{ policy: string; value: unknown }>;
}

export interface SkippedDefault {
  path: string;
  policy: string;
  reason: string;
}

export interface PolicyDefaultsResult<T> {
  /** A copy of the object with policy defaults merged in. */
  object: T;
  applied: AppliedDefault[];
  conflicts: DefaultConflict[];
  /** Defaults not applicable to this object (e.g. a canary-only field on a blue-green Rollout). */
  skipped: SkippedDefault[];
  /** Policies that could not be matched because the namespace's labels are unknown. */
  unevaluated: string[];
}

interface Candidate {
  policy: string;
  priority: number;
  value: unknown;
}

export function applyPolicyDefaults<T>(policies: readonly RolloutPolicy[], target: PolicyTarget, object: T): PolicyDefaultsResult<T> {
  const copy = structuredClone(object);
  const result: PolicyDefaultsResult<T> = { object: copy, applied: [], conflicts: [], skipped: [], unevaluated: [] };
  const key = DEFAULTS_KEY_BY_KIND[target.kind];
  if (key === undefined || !isJsonObject(copy) || !isJsonObject(copy['spec'])) return result;
  const spec = copy['spec'];
  const forbidden = FORBIDDEN_DEFAULTS[target.kind] ?? {};

  const byPath = new Map<string, Candidate[]>();
  for (const policy of orderPolicies(policies)) {
    const defaults = policy.spec?.defaults;
    const partial = isJsonObject(defaults) ? defaults[key] : undefined;
    if (!isJsonObject(partial)) continue;
    const matched = matchResult(policy.spec?.match, target);
    if (matched === 'unknown') result.unevaluated.push(policyName(policy));
    if (matched !== true) continue;
    for (const leaf of defaultLeaves(target.kind, partial)) {
      if (Object.keys(forbidden).some((f) => leaf.path === f || leaf.path.startsWith(`${f}.`))) continue;
      const list = byPath.get(leaf.path) ?? [];
      list.push({ policy: policyName(policy), priority: policyPriority(policy), value: leaf.value });
      byPath.set(leaf.path, list);
    }
  }

  // Conditional fields (APPLICABLE_WHEN) are decided last, against everything else merged.
  const paths = [...byPath.keys()];
  const ordered = [...paths.filter((p) => !isConditionalDefault(p)), ...paths.filter(isConditionalDefault)];
  for (const path of ordered) {
    const candidates = byPath.get(path)!;
    if (valueAt(spec, path) !== undefined) continue;
    const top = candidates[0]!;
    const winners = candidates.filter((c) => c.priority === top.priority);
    const distinct = winners.filter((c, i) => winners.findIndex((d) => jsonEqual(d.value, c.value)) === i);
    if (distinct.length > 1) {
      result.conflicts.push({ path: `spec.${path}`, priority: top.priority, candidates: winners.map((c) => ({ policy: c.policy, value: c.value })) });
      continue;
    }
    const reason = inapplicableReason(spec, path);
    if (reason !== undefined) {
      result.skipped.push({ path: `spec.${path}`, policy: top.policy, reason });
      continue;
    }
    writeAt(spec, path, top.value);
    result.applied.push({ path: `spec.${path}`, policy: top.policy, value: top.value });
  }
  return result;
}

/** A conflict as a sentence, for admission warnings and lint. */
export function formatConflict(conflict: DefaultConflict): string {
  const list = conflict.candidates.map((c) => `RolloutPolicy "${c.policy}" says ${JSON.stringify(c.value)}`).join(', ');
  return `${conflict.path}: conflicting policy defaults at priority ${conflict.priority} (${list}); neither value was applied — give one policy a higher spec.priority or make them agree`;
}
