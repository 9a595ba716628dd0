// Label selectors, matched in memory against cached objects: the string form the API server
// takes (`app=web,tier!=db,env in (a,b),!legacy`) and the structured metav1.LabelSelector form
// that workload specs carry (`matchLabels` + `matchExpressions`).

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface StructuredLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type LabelSelector = string | StructuredLabelSelector;
export type Labels = Record<string, string> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

function requirementMatches(r: LabelSelectorRequirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? labels![r.key] : undefined;
  switch (r.operator) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'In':
      return has && (r.values ?? []).includes(value!);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(value!);
  }
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Parses the API server's string syntax. Throws with the offending term on bad input. */
export function parseLabelSelector(selector: string): LabelSelectorRequirement[] {
  return splitTopLevel(selector).map((term) => {
    let m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '');
      return { key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values };
    }
    m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    if (m) return { key: m[1]!, operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3]!] };
    m = /^!\s*([^\s!=(),]+)$/.exec(term);
    if (m) return { key: m[1]!, operator: 'DoesNotExist' };
    m = /^([^\s!=(),]+)$/.exec(term);
    if (m) return { key: m[1]!, operator: 'Exists' };
    throw new Error(`invalid label selector term "${term}" in "${selector}"`);
  });
}

/** Requirements of a structured selector (matchLabels become `In` with one value). */
export function requirementsOf(selector: StructuredLabelSelector): LabelSelectorRequirement[] {
  return [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]): LabelSelectorRequirement => ({ key, operator: 'In', values: [value] })),
    ...(selector.matchExpressions ?? []),
  ];
}

/**
 * A matcher for `selector`. Kubernetes semantics: an empty selector (`''` or `{}`) matches
 * everything; pass nothing to list() rather than a selector to mean "no filter".
 */
export function compileLabelSelector(selector: LabelSelector): LabelMatcher {
  const requirements = typeof selector === 'string' ? parseLabelSelector(selector) : requirementsOf(selector);
  return (labels) => requirements.every((r) => requirementMatches(r, labels));
}

export function matchesLabelSelector(selector: LabelSelector, labels: Labels): boolean {
  return compileLabelSelector(selector)(labels);
}

/** The API server's string form of a structured selector, for list/watch `labelSelector`. */
export function formatLabelSelector(selector: LabelSelector): string {
  if (typeof selector === 'string') return selector;
  return requirementsOf(selector)
    .map((r) => {
      switch (r.operator) {
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case 'In':
          return r.values?.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${(r.values ?? []).join(',')})`;
        case 'NotIn':
          return r.values?.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${(r.values ?? []).join(',')})`;
      }
    })
    .join(',');
}

/** AND of several string selectors; empty parts are dropped. */
export function andLabelSelectors(...selectors: Array<string | undefined>): string {
  return selectors.filter((s): s is string => s !== undefined && s.trim() !== '').join(',');
}
