// metav1.LabelSelector: matching labels, and the text form written to status.selector
// (`app=demo,rollouts-pod-template-hash=abc`), which the scale subresource hands to HPAs.
import type { LabelSelector } from '../../api/index.ts';

type Labels = Readonly<Record<string, string>> | undefined;

/** Whether the labels satisfy the selector. An empty or absent selector matches nothing (as for workloads). */
export function selectorMatches(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (selector === undefined || isEmptySelector(selector)) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(have, requirement.key);
    const value = have[requirement.key];
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (!present || !values.includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (present && values.includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

/**
 * The selector as text, as Kubernetes formats a parsed selector: requirements sorted by key,
 * `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`. `extra` adds matchLabels (the hash label).
 */
export function formatSelector(selector: LabelSelector | undefined, extra: Record<string, string> = {}): string {
  const parts: Array<[key: string, text: string]> = [];
  for (const [key, value] of Object.entries({ ...(selector?.matchLabels ?? {}), ...extra })) parts.push([key, `${key}=${value}`]);
  for (const requirement of selector?.matchExpressions ?? []) {
    const values = [...(requirement.values ?? [])].sort().join(',');
    const text =
      requirement.operator === 'In'
        ? `${requirement.key} in (${values})`
        : requirement.operator === 'NotIn'
          ? `${requirement.key} notin (${values})`
          : requirement.operator === 'Exists'
            ? requirement.key
            : `!${requirement.key}`;
    parts.push([requirement.key, text]);
  }
  parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return parts.map(([, text]) => text).join(',');
}
