// Audit: which existing objects violate which rule (whatever its enforcement action). Pure: the
// caller lists the objects and namespaces; the resync worker can publish the result.
import type { EnforcementAction, RolloutPolicy } from '../api/index.ts';
import { POLICY_MATCHABLE_KINDS } from '../api/index.ts';
import { applyBuiltInDefaults } from '../defaults/index.ts';
import { isJsonObject } from '../defaults/json.ts';
import { type Labels, stringLabels } from '../selectors/index.ts';
import type { Failure } from './condition.ts';
import { evaluateRules } from './rules.ts';
import { targetOf } from './target.ts';

export interface AuditFinding {
  kind: string;
  namespace?: string;
  name: string;
  policy: string;
  rule: string;
  enforcementAction: EnforcementAction;
  message: string;
  failures: Failure[];
}

/** Namespace objects (as listed from the API) or a map of namespace name to labels. */
export type NamespaceLabelSource = readonly unknown[] | Readonly<Record<string, Labels>>;

export function auditObjects(policies: readonly RolloutPolicy[], objects: readonly unknown[], namespaces: NamespaceLabelSource = {}): AuditFinding[] {
  const labelsByNamespace = namespaceLabelMap(namespaces);
  const findings: AuditFinding[] = [];
  for (const object of objects) {
    const bare = targetOf(object);
    if (!(POLICY_MATCHABLE_KINDS as readonly string[]).includes(bare.kind)) continue;
    const namespaceLabels = bare.namespace === undefined ? undefined : labelsByNamespace.get(bare.namespace);
    const target = targetOf(object, namespaceLabels);
    const effective = applyBuiltInDefaults(target.kind, object).object;
    for (const finding of evaluateRules(policies, target, effective).findings) {
      findings.push({
        kind: target.kind,
        ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
        name: target.name ?? '',
        ...finding,
      });
    }
  }
  return findings;
}

function namespaceLabelMap(source: NamespaceLabelSource): Map<string, Labels> {
  const map = new Map<string, Labels>();
  if (Array.isArray(source)) {
    for (const ns of source) {
      const metadata = isJsonObject(ns) && isJsonObject(ns['metadata']) ? ns['metadata'] : undefined;
      if (metadata === undefined || typeof metadata['name'] !== 'string') continue;
      map.set(metadata['name'], stringLabels(metadata['labels']));
    }
  } else {
    for (const [name, labels] of Object.entries(source as Record<string, Labels>)) map.set(name, labels);
  }
  return map;
}
