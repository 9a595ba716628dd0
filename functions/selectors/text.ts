// Label selectors as text: the API server's string syntax (`app=web,tier!=db,env in (a,b),!legacy`)
// parsed into requirements, and structured selectors written out — sorted as Kubernetes formats
// a parsed selector (status.selector, list queries), or as written (messages).
import type { LabelSelector, LabelSelectorRequirement } from '../api/index.ts';
import { list, obj, str, stringEntries } from '../validate/read.ts';

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
  return splitTopLevel(selector).map((term): LabelSelectorRequirement => {
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

/** AND of several string selectors; empty parts are dropped. */
export function andLabelSelectors(...selectors: Array<string | undefined>): string {
  return selectors.filter((s): s is string => s !== undefined && s.trim() !== '').join(',');
}

/** One matchExpressions entry as Kubernetes spells it: `k in (a,b)`, `k notin (a)`, `k`, `!k`. */
function expressionText(key: string, operator: string, values: readonly string[]): string {
  switch (operator) {
    case 'In':
      return `${key} in (${values.join(',')})`;
    case 'NotIn':
      return `${key} notin (${values.join(',')})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    default:
      return `${key} ${operator} (${values.join(',')})`;
  }
}

/**
 * The selector as text, as Kubernetes formats a parsed selector: requirements sorted by key,
 * values sorted, `k=v` for matchLabels. `extra` adds matchLabels (the hash label).
 */
export function formatSelector(selector: LabelSelector | undefined, extra: Record<string, string> = {}): string {
  const parts: Array<[key: string, text: string]> = [];
  for (const [key, value] of Object.entries({ ...(selector?.matchLabels ?? {}), ...extra })) parts.push([key, `${key}=${value}`]);
  for (const requirement of selector?.matchExpressions ?? []) {
    parts.push([requirement.key, expressionText(requirement.key, requirement.operator, [...(requirement.values ?? [])].sort())]);
  }
  parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return parts.map(([, text]) => text).join(',');
}

/** The `labelSelector` of a list or watch: a string as it is, a structured selector formatted. */
export function formatLabelSelector(selector: string | LabelSelector): string {
  return typeof selector === 'string' ? selector : formatSelector(selector);
}

/**
 * `app=demo,tier in (a,b),!legacy` — the selector for a message, requirements in the order they
 * were written; read defensively (the selector may be the invalid one the message is about).
 */
export function describeSelector(selector: unknown): string {
  const s = obj(selector);
  if (s === undefined) return '';
  const parts = stringEntries(s['matchLabels']).map(([k, v]) => `${k}=${v}`);
  for (const expression of list(s['matchExpressions'])) {
    const e = obj(expression);
    if (e === undefined) continue;
    parts.push(expressionText(str(e['key']) ?? '', String(e['operator']), list(e['values']).map(String)));
  }
  return parts.join(',');
}
