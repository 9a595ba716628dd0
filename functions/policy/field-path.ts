// Field paths in policy conditions: `spec.strategy.canary.steps[*].setWeight`,
// `metadata.labels[app.kubernetes.io/name]`, `spec.template.spec.containers[0].image`.
// `[*]` selects every element of a list (or every value of a map); `[N]` one element; `[key]` a
// map key that may contain dots or slashes.
import { isJsonObject } from '../defaults/json.ts';

export type PathSegment = { type: 'field'; name: string } | { type: 'index'; index: number } | { type: 'key'; key: string } | { type: 'all' };

export interface Selected {
  /** Concrete Kubernetes field path of the value, e.g. `spec.strategy.canary.steps[2].setWeight`. */
  path: string;
  value: unknown;
}

const FIELD = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

/** Parses a path; throws an Error whose message says what is wrong and where. */
export function parseFieldPath(text: string): PathSegment[] {
  if (text === '') throw new Error('is empty; write a path such as spec.strategy.canary.steps[*].setWeight');
  const segments: PathSegment[] = [];
  let rest = text;
  let first = true;
  while (rest !== '') {
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close < 0) throw new Error(`has an unclosed "[" at "${rest}"`);
      const inner = rest.slice(1, close);
      if (inner === '*') segments.push({ type: 'all' });
      else if (/^\d+$/.test(inner)) segments.push({ type: 'index', index: Number(inner) });
      else if (inner !== '') segments.push({ type: 'key', key: inner.replace(/^(['"])(.*)\1$/, '$2') });
      else throw new Error('has an empty "[]"');
      rest = rest.slice(close + 1);
    } else {
      if (!first) {
        if (!rest.startsWith('.')) throw new Error(`expects "." or "[" at "${rest}"`);
        rest = rest.slice(1);
      }
      const match = FIELD.exec(rest);
      if (match === null) throw new Error(`expects a field name at "${rest}"`);
      segments.push({ type: 'field', name: match[0] });
      rest = rest.slice(match[0].length);
    }
    first = false;
  }
  return segments;
}

/** Every value the path selects in `root`, with its concrete path; absent fields select nothing. */
export function selectValues(root: unknown, segments: readonly PathSegment[]): Selected[] {
  let current: Selected[] = [{ path: '', value: root }];
  for (const segment of segments) {
    const next: Selected[] = [];
    for (const { path, value } of current) {
      switch (segment.type) {
        case 'field':
          if (isJsonObject(value) && value[segment.name] !== undefined && value[segment.name] !== null) {
            next.push({ path: path === '' ? segment.name : `${path}.${segment.name}`, value: value[segment.name] });
          }
          break;
        case 'key':
          if (isJsonObject(value) && value[segment.key] !== undefined && value[segment.key] !== null) {
            next.push({ path: `${path}[${segment.key}]`, value: value[segment.key] });
          }
          break;
        case 'index':
          if (Array.isArray(value) && segment.index < value.length && value[segment.index] !== null) {
            next.push({ path: `${path}[${segment.index}]`, value: value[segment.index] });
          }
          break;
        case 'all':
          if (Array.isArray(value)) value.forEach((element, i) => element !== null && next.push({ path: `${path}[${i}]`, value: element }));
          else if (isJsonObject(value)) {
            for (const [k, v] of Object.entries(value)) if (v !== null) next.push({ path: `${path}[${k}]`, value: v });
          }
          break;
      }
    }
    current = next;
  }
  return current;
}
