// Static types for the checker (reference §3.1). `unknown` is Go's interface{}: checks involving it are
// deferred to run time.

import { GoDuration, GoTime, goTypeOf, type Value } from './values.ts';

export type SType =
  | { readonly k: 'unknown' }
  | { readonly k: 'nil' }
  | { readonly k: 'bool' }
  | { readonly k: 'int'; readonly go?: string }
  | { readonly k: 'float' }
  | { readonly k: 'string' }
  | { readonly k: 'array'; readonly elem: SType; readonly uniform?: SType; readonly go?: string }
  | { readonly k: 'map'; readonly key: SType; readonly value: SType }
  | { readonly k: 'time' }
  | { readonly k: 'duration' };

export const T = {
  unknown: { k: 'unknown' },
  nil: { k: 'nil' },
  bool: { k: 'bool' },
  int: { k: 'int' },
  float: { k: 'float' },
  string: { k: 'string' },
  time: { k: 'time' },
  duration: { k: 'duration' },
} as const satisfies Record<string, SType>;

export function arrayOf(elem: SType): SType {
  return { k: 'array', elem };
}
export const ANY_ARRAY: SType = arrayOf(T.unknown);
export const ANY_MAP: SType = { k: 'map', key: T.string, value: T.unknown };

export function typeName(t: SType): string {
  switch (t.k) {
    case 'unknown': return 'interface {}';
    case 'nil': return '<nil>';
    case 'int': return t.go ?? 'int';
    case 'float': return 'float64';
    case 'array': return t.go ?? `[]${typeName(t.elem)}`;
    case 'map': return `map[${typeName(t.key)}]${typeName(t.value)}`;
    case 'time': return 'time.Time';
    case 'duration': return 'time.Duration';
    default: return t.k;
  }
}

export const isUnknown = (t: SType): boolean => t.k === 'unknown';
export const isNil = (t: SType): boolean => t.k === 'nil';
export const isNum = (t: SType): boolean => t.k === 'int' || t.k === 'float';
export const isInt = (t: SType): boolean => t.k === 'int';
export const isString = (t: SType): boolean => t.k === 'string';
export const isBool = (t: SType): boolean => t.k === 'bool';

/** The static type of a measurement result: concrete at the top level, unknown below (except []float64). */
export function typeOfValue(v: Value): SType {
  if (v === null) return T.nil;
  switch (typeof v) {
    case 'boolean': return T.bool;
    case 'bigint': return T.int;
    case 'number': return T.float;
    case 'string': return T.string;
  }
  if (Array.isArray(v)) {
    const go = goTypeOf(v);
    if (go === '[]float64') return arrayOf(T.float);
    if (go === '[]int') return arrayOf(T.int);
    if (go === '[]string') return arrayOf(T.string);
    return ANY_ARRAY;
  }
  if (v instanceof Map) return ANY_MAP;
  if (v instanceof GoTime) return T.time;
  if (v instanceof GoDuration) return T.duration;
  return T.unknown;
}

/** Go's comparability for `==`/`!=` at check time. */
export function comparable(l: SType, r: SType): boolean {
  if (isUnknown(l) || isUnknown(r) || isNil(l) || isNil(r)) return true;
  if (isNum(l) && isNum(r)) return true;
  return l.k === r.k;
}
