// Whether a policy (or one of its rules) applies to an object. Every given criterion must hold:
// kinds, namespaces, namespaceSelector (ignored for cluster-scoped objects, as Kubernetes does
// for webhooks), objectSelector.
import { isJsonObject } from '../defaults/json.ts';
import { isEmptySelector, selectorMatches } from '../selectors/index.ts';
import type { PolicyTarget } from './target.ts';

/** `unknown`: the match depends on namespace labels that are not known. */
export type MatchResult = boolean | 'unknown';

export function matchResult(match: unknown, target: PolicyTarget): MatchResult {
  if (!isJsonObject(match)) return true;
  const kinds = Array.isArray(match['kinds']) ? match['kinds'] : [];
  if (kinds.length > 0 && !kinds.includes(target.kind)) return false;
  const namespaces = Array.isArray(match['namespaces']) ? match['namespaces'] : [];
  if (namespaces.length > 0 && (target.namespace === undefined || !namespaces.includes(target.namespace))) return false;
  if (!selectorMatches(match['objectSelector'], target.labels)) return false;
  const namespaceSelector = match['namespaceSelector'];
  if (target.namespace !== undefined && !isEmptySelector(namespaceSelector)) {
    if (target.namespaceLabels === undefined) return 'unknown';
    if (!selectorMatches(namespaceSelector, target.namespaceLabels)) return false;
  }
  return true;
}

/** Both must match; `unknown` wins over `true` but not over `false`. */
export function bothMatch(a: MatchResult, b: MatchResult): MatchResult {
  if (a === false || b === false) return false;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return true;
}
