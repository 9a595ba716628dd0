// What a metav1.LabelSelector requires: its requirements, whether it requires anything, and
// whether two selectors require the same. Read defensively: semantic validation runs on objects
// whose shape may be wrong, so entries of the wrong type are skipped (the shape check reports
// them).
import type { LabelSelectorRequirement } from '../api/index.ts';
import { isObject, list, obj, str, stringEntries } from '../validate/read.ts';

/** The selector's requirements; each matchLabels entry becomes `In` with that one value. */
export function requirementsOf(selector: unknown): LabelSelectorRequirement[] {
  const s = obj(selector);
  if (s === undefined) return [];
  const requirements = stringEntries(s['matchLabels']).map(([key, value]): LabelSelectorRequirement => ({ key, operator: 'In', values: [value] }));
  for (const expression of list(s['matchExpressions'])) {
    const e = obj(expression);
    if (e === undefined) continue;
    const values = list(e['values']).filter((v): v is string => typeof v === 'string');
    requirements.push({ key: str(e['key']) ?? '', operator: str(e['operator']) ?? '', values });
  }
  return requirements;
}

/** A selector with no requirement at all (or none: not an object) selects everything. */
export function isEmptySelector(selector: unknown): boolean {
  const s = obj(selector);
  if (s === undefined) return true;
  return stringEntries(s['matchLabels']).length === 0 && list(s['matchExpressions']).length === 0;
}

/** Selector equality that treats missing and empty matchLabels/matchExpressions alike. */
export function sameSelector(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonicalSelector(a)) === JSON.stringify(canonicalSelector(b));
}

function canonicalSelector(selector: unknown): unknown {
  const s = obj(selector) ?? {};
  const labels = stringEntries(s['matchLabels']).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const expressions = list(s['matchExpressions']).map((expression) => {
    const e = isObject(expression) ? expression : {};
    return [e['key'], e['operator'], list(e['values'])];
  });
  return { labels, expressions };
}
