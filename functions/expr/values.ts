// Runtime values. Kept close to the Go values Argo's expr sees, because results depend on the distinction:
//   nil → null; bool → boolean; int (64-bit, wraps) → bigint; float64 → number; string → string;
//   arrays → readonly Value[]; maps → ReadonlyMap (never a JS object, so no prototype can be reached);
//   time.Time → GoTime; time.Duration → GoDuration.

import { Fault } from './errors.ts';

export class GoTime {
  /** Nanoseconds since the Unix epoch. */
  readonly ns: bigint;
  /** Offset of the time zone east of UTC, in seconds, and its name (for printing). */
  readonly offsetSeconds: number;
  readonly zone: string;
  constructor(ns: bigint, offsetSeconds = 0, zone = 'UTC') {
    this.ns = ns;
    this.offsetSeconds = offsetSeconds;
    this.zone = zone;
  }
}

export class GoDuration {
  /** Nanoseconds, a signed 64-bit value. */
  readonly ns: bigint;
  constructor(ns: bigint) {
    this.ns = BigInt.asIntN(64, ns);
  }
}

export type MapKey = string | bigint | number | boolean | null;
export type Value =
  | null | boolean | bigint | number | string
  | readonly Value[] | ReadonlyMap<MapKey, Value> | GoTime | GoDuration;

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function wrapInt(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

// Arrays whose Go type is not []interface {} (a Prometheus vector is []float64, a range is []int, split gives
// []string). Only used for naming types in messages and for Go's DeepEqual.
const arrayGoTypes = new WeakMap<readonly Value[], string>();

export function typedArray<T extends readonly Value[]>(items: T, goType: string): T {
  arrayGoTypes.set(items, goType);
  return items;
}

export function isArray(v: Value): v is readonly Value[] {
  return Array.isArray(v);
}
export function isMap(v: Value): v is ReadonlyMap<MapKey, Value> {
  return v instanceof Map;
}
export function isNumber(v: Value): v is bigint | number {
  return typeof v === 'bigint' || typeof v === 'number';
}

/** The Go type name of a runtime value, as it appears in Go/expr messages (`float64`, `<nil>`, …). */
export function goTypeOf(v: Value): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float64';
    case 'string': return 'string';
  }
  if (Array.isArray(v)) return arrayGoTypes.get(v) ?? '[]interface {}';
  if (v instanceof Map) return 'map[string]interface {}';
  if (v instanceof GoTime) return 'time.Time';
  if (v instanceof GoDuration) return 'time.Duration';
  return 'interface {}';
}

/** As Go names the dynamic type inside an interface in a failed conversion (`interface {} is nil, not bool`). */
export function interfaceTypeOf(v: Value): string {
  return v === null ? 'nil' : goTypeOf(v);
}

/** The name `type()` returns. */
export function exprTypeName(v: Value): string {
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'string': return 'string';
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'map';
  if (v instanceof GoTime) return 'time.Time';
  if (v instanceof GoDuration) return 'time.Duration';
  return 'unknown';
}

export function expectBool(v: Value): boolean {
  if (typeof v !== 'boolean') throw new Fault(`interface conversion: interface {} is ${interfaceTypeOf(v)}, not bool`);
  return v;
}

// ---- host data → values -------------------------------------------------------------------------------------

export interface ImportLimits {
  /** Deepest nesting of arrays/objects accepted in a measurement result. */
  maxDepth: number;
  /** Most array elements + object entries accepted in a measurement result. */
  maxItems: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxDepth: 256, maxItems: 1_000_000 };

/**
 * Converts a measurement result (JSON-like data from a metric provider) into a Value. Numbers become float64
 * (as Go's encoding/json decodes them), bigints become int, plain objects become maps keyed by their own
 * enumerable string keys, Float64Array becomes a []float64 (a Prometheus vector), Date becomes time.Time.
 * Anything else (functions, symbols, class instances) is refused.
 */
export function fromHost(data: unknown, limits: ImportLimits = DEFAULT_IMPORT_LIMITS): Value {
  let items = 0;
  const convert = (x: unknown, depth: number): Value => {
    if (x === null || x === undefined) return null;
    switch (typeof x) {
      case 'boolean': case 'number': case 'string': return x;
      case 'bigint': return wrapInt(x);
    }
    if (depth >= limits.maxDepth) {
      throw new Fault(`measurement result is nested too deeply (the limit is ${limits.maxDepth} levels)`, 'limit');
    }
    const count = (n: number): void => {
      items += n;
      if (items > limits.maxItems) {
        throw new Fault(`measurement result is too large (the limit is ${limits.maxItems} elements)`, 'limit');
      }
    };
    if (x instanceof Float64Array) {
      count(x.length);
      return typedArray(Array.from(x), '[]float64');
    }
    if (Array.isArray(x)) {
      count(x.length);
      const out: Value[] = [];
      for (let i = 0; i < x.length; i++) out.push(convert(x[i], depth + 1));
      return out;
    }
    if (x instanceof Date) {
      const ms = x.getTime();
      if (Number.isNaN(ms)) throw new Fault('measurement result contains an invalid Date');
      return new GoTime(BigInt(ms) * 1_000_000n);
    }
    if (x instanceof Map) {
      count(x.size);
      const out = new Map<MapKey, Value>();
      for (const [k, v] of x) {
        if (typeof k !== 'string') throw new Fault('measurement result contains a Map with a non-string key');
        out.set(k, convert(v, depth + 1));
      }
      return out;
    }
    if (typeof x === 'object') {
      const proto: unknown = Object.getPrototypeOf(x);
      if (proto === Object.prototype || proto === null) {
        const keys = Object.keys(x);
        count(keys.length);
        const out = new Map<MapKey, Value>();
        const record = x as Record<string, unknown>;
        for (const k of keys) {
          const desc = Object.getOwnPropertyDescriptor(record, k);
          if (desc && 'value' in desc) out.set(k, convert(desc.value, depth + 1));
        }
        return out;
      }
    }
    throw new Fault(`measurement result contains an unsupported value (${describeHost(x)})`);
  };
  return convert(data, 0);
}

function describeHost(x: unknown): string {
  if (typeof x === 'function') return 'a function';
  if (typeof x === 'symbol') return 'a symbol';
  if (typeof x === 'object' && x !== null) {
    const proto: unknown = Object.getPrototypeOf(x);
    const ctor: unknown = proto !== null && typeof proto === 'object' && Object.hasOwn(proto, 'constructor')
      ? (proto as { constructor: unknown }).constructor : undefined;
    return typeof ctor === 'function' && ctor.name !== '' && ctor !== Object
      ? `an instance of ${ctor.name}` : 'an object with a prototype other than Object.prototype';
  }
  return typeof x;
}

/** Converts a value back to plain data for callers (maps → null-prototype objects, ints → bigint). */
export function toHost(v: Value, depth = 0): unknown {
  if (depth > 512) throw new Fault('value is nested too deeply to return', 'limit');
  if (Array.isArray(v)) return v.map((x) => toHost(x, depth + 1));
  if (v instanceof Map) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, x] of v) {
      Object.defineProperty(out, String(k), { value: toHost(x, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (v instanceof GoTime) return new Date(Number(v.ns / 1_000_000n));
  if (v instanceof GoDuration) return v.ns;
  return v;
}
