// Runtime semantics of the operators (reference §3.3): Go's int/float rules, equality, ordering, member access,
// slicing, ranges. Failures throw Fault with expr's message; the evaluator adds the position.

import { byteAt, byteSlice, utf8Length } from './bytes.ts';
import { Fault } from './errors.ts';
import { compareStrings, formatValue } from './format.ts';
import {
  GoDuration, GoTime, goTypeOf, interfaceTypeOf, isNumber, typedArray, wrapInt, type MapKey, type Value,
} from './values.ts';

/** Charges work and memory against the evaluation's budget. */
export interface Budget {
  alloc(units: number): void;
  step(units: number): void;
}

export const MAX_RANGE = 1_000_000;

function mismatch(a: Value, op: string, b: Value): Fault {
  return new Fault(`invalid operation: ${goTypeOf(a)} ${op} ${goTypeOf(b)}`);
}

// ---- equality ------------------------------------------------------------------------------------------------

function numbersEqual(a: bigint | number, b: bigint | number): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  return Number(a) === Number(b);
}

/** `==`: numbers by value across int/float, otherwise Go's reflect.DeepEqual (different types are unequal). */
export function equal(a: Value, b: Value, numericArrays = false, depth = 0): boolean {
  if (isNumber(a) && isNumber(b)) return numbersEqual(a, b);
  if (a === null || b === null) return a === b;
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (a instanceof GoTime && b instanceof GoTime) return a.ns === b.ns;
  if (a instanceof GoDuration && b instanceof GoDuration) return a.ns === b.ns;
  if (numericArrays && Array.isArray(a) && Array.isArray(b)) {
    if (depth > 512) throw new Fault('value is nested too deeply to compare', 'limit');
    return a.length === b.length && a.every((x, i) => equal(x, b[i]!, true, depth + 1));
  }
  return deepEqual(a, b, depth);
}

function deepEqual(a: Value, b: Value, depth: number): boolean {
  if (depth > 512) throw new Fault('value is nested too deeply to compare', 'limit');
  if (goTypeOf(a) !== goTypeOf(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]!, depth + 1));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, x] of a) {
      if (!b.has(k) || !deepEqual(x, b.get(k)!, depth + 1)) return false;
    }
    return true;
  }
  if (a instanceof GoTime && b instanceof GoTime) return a.ns === b.ns && a.zone === b.zone;
  if (a instanceof GoDuration && b instanceof GoDuration) return a.ns === b.ns;
  return a === b;
}

// ---- ordering ------------------------------------------------------------------------------------------------

export type OrderOperator = '<' | '>' | '<=' | '>=';

function holds(op: OrderOperator, c: number): boolean {
  switch (op) {
    case '<': return c < 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    case '>=': return c >= 0;
  }
}

export function order(op: OrderOperator, a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return holds(op, a < b ? -1 : a > b ? 1 : 0);
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return false;
    return holds(op, x < y ? -1 : x > y ? 1 : 0);
  }
  if (typeof a === 'string' && typeof b === 'string') return holds(op, compareStrings(a, b));
  if ((a instanceof GoTime && b instanceof GoTime) || (a instanceof GoDuration && b instanceof GoDuration)) {
    return holds(op, a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0);
  }
  throw mismatch(a, op, b);
}

/** Orders two values for sort/max/min; throws on values that cannot be ordered. */
export function compareValues(a: Value, b: Value): number {
  if (order('<', a, b)) return -1;
  if (order('>', a, b)) return 1;
  return 0;
}

// ---- arithmetic ----------------------------------------------------------------------------------------------

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | '**' | '^';

/** Go's math.Pow where it differs from Math.pow. */
export function goPow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return Math.pow(x, y);
}

export function arithmetic(op: ArithmeticOperator, a: Value, b: Value, budget: Budget): Value {
  if (isNumber(a) && isNumber(b)) {
    const ints = typeof a === 'bigint' && typeof b === 'bigint';
    switch (op) {
      case '+': return ints ? wrapInt(a + b) : Number(a) + Number(b);
      case '-': return ints ? wrapInt(a - b) : Number(a) - Number(b);
      case '*': return ints ? wrapInt(a * b) : Number(a) * Number(b);
      case '/': return Number(a) / Number(b);
      case '%':
        if (!ints) throw mismatch(a, op, b);
        if (b === 0n) throw new Fault('runtime error: integer divide by zero');
        return wrapInt(a % b);
      case '**': case '^': return goPow(Number(a), Number(b));
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    budget.alloc(a.length + b.length);
    return a + b;
  }
  if (op === '+' || op === '-') {
    const sign = op === '+' ? 1n : -1n;
    if (a instanceof GoTime && b instanceof GoDuration) {
      return new GoTime(a.ns + sign * b.ns, a.offsetSeconds, a.zone);
    }
    if (op === '+' && a instanceof GoDuration && b instanceof GoTime) {
      return new GoTime(b.ns + a.ns, b.offsetSeconds, b.zone);
    }
    if (a instanceof GoDuration && b instanceof GoDuration) return new GoDuration(a.ns + sign * b.ns);
    if (op === '-' && a instanceof GoTime && b instanceof GoTime) return new GoDuration(saturate(a.ns - b.ns));
  }
  throw mismatch(a, op, b);
}

function saturate(ns: bigint): bigint {
  const max = 2n ** 63n - 1n;
  return ns > max ? max : ns < -max - 1n ? -max - 1n : ns;
}

export function negate(v: Value): Value {
  if (typeof v === 'bigint') return wrapInt(-v);
  if (typeof v === 'number') return -v;
  if (v instanceof GoDuration) return new GoDuration(-v.ns);
  throw new Fault(`invalid operation: -${goTypeOf(v)}`);
}

export function plus(v: Value): Value {
  if (isNumber(v) || v instanceof GoDuration) return v;
  throw new Fault(`invalid operation: +${goTypeOf(v)}`);
}

// ---- strings -------------------------------------------------------------------------------------------------

export function expectString(v: Value): string {
  if (typeof v !== 'string') throw new Fault(`interface conversion: interface {} is ${interfaceTypeOf(v)}, not string`);
  return v;
}

// ---- membership ----------------------------------------------------------------------------------------------

export function mapKeyError(key: Value): Fault {
  return new Fault(`reflect.Value.MapIndex: value of type ${goTypeOf(key)} is not assignable to type string`);
}

export function isIn(needle: Value, haystack: Value, numericArrays: boolean): boolean {
  if (haystack === null) return false;
  if (Array.isArray(haystack)) return haystack.some((x) => equal(needle, x, numericArrays));
  if (haystack instanceof Map) {
    if (typeof needle !== 'string' && !anyKeyMaps.has(haystack)) throw mapKeyError(needle);
    return haystack.has(needle as MapKey);
  }
  throw new Fault(`operator "in" not defined on ${goTypeOf(haystack)}`);
}

/** Maps whose keys are not only strings (groupBy results: map[interface {}][]interface {}). */
export const anyKeyMaps = new WeakSet<ReadonlyMap<MapKey, Value>>();

// ---- member access and slicing ---------------------------------------------------------------------------------

function toIndex(v: Value, what: string): number {
  if (typeof v === 'bigint') return v > 2n ** 53n ? Number.MAX_SAFE_INTEGER : v < -(2n ** 53n) ? -Number.MAX_SAFE_INTEGER : Number(v);
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  throw new Fault(`${what} can only be selected using an integer (got ${goTypeOf(v)})`);
}

export interface OutOfRangeStyle {
  /** expr 1.17 wording (`index out of range: 5 (array length is 2)`) instead of v1.15.5's reflect message. */
  detailedIndexErrors: boolean;
}

/** `object[key]` / `object.key`. A missing map key is nil; everything else that cannot be fetched fails. */
export function fetch(object: Value, key: Value, style: OutOfRangeStyle): Value {
  if (object === null) throw new Fault(`cannot fetch ${formatValue(key)} from <nil>`);
  if (Array.isArray(object)) {
    const raw = toIndex(key, 'array elements');
    const index = raw < 0 ? raw + object.length : raw;
    if (index < 0 || index >= object.length) {
      throw new Fault(style.detailedIndexErrors
        ? `index out of range: ${raw} (array length is ${object.length})` : 'reflect: slice index out of range');
    }
    return object[index]!;
  }
  if (object instanceof Map) {
    if (typeof key !== 'string' && !anyKeyMaps.has(object)) throw mapKeyError(key);
    const found = object.get(key as MapKey);
    return found === undefined ? null : found;
  }
  if (typeof object === 'string') {
    const length = utf8Length(object);
    const raw = toIndex(key, 'string bytes');
    const index = raw < 0 ? raw + length : raw;
    if (index < 0 || index >= length) {
      throw new Fault(style.detailedIndexErrors
        ? `index out of range: ${raw} (string length is ${length})` : 'reflect: string index out of range');
    }
    return BigInt(byteAt(object, index));
  }
  throw new Fault(`cannot fetch ${formatValue(key)} from ${goTypeOf(object)}`);
}

function sliceBound(v: Value | undefined, fallback: number, length: number): number {
  if (v === undefined || v === null) return fallback;
  let n = toIndex(v, 'slice bounds');
  if (n < 0) n += length;
  return Math.min(Math.max(n, 0), length);
}

/** `object[from:to]`: bounds clamped into [0, len], negative bounds count from the end. */
export function sliceOf(object: Value, from: Value | undefined, to: Value | undefined, budget: Budget): Value {
  if (Array.isArray(object)) {
    const a = sliceBound(from, 0, object.length);
    const b = sliceBound(to, object.length, object.length);
    const out = a < b ? object.slice(a, b) : [];
    budget.alloc(out.length);
    return typedArray(out, goTypeOf(object));
  }
  if (typeof object === 'string') {
    const length = utf8Length(object);
    const a = sliceBound(from, 0, length);
    const b = sliceBound(to, length, length);
    return a < b ? byteSlice(object, a, b) : '';
  }
  throw new Fault(`cannot slice ${goTypeOf(object)}`);
}

export function rangeOf(from: Value, to: Value, budget: Budget): Value {
  const bound = (v: Value): bigint => {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
    throw new Fault(`invalid operation: ${goTypeOf(from)}..${goTypeOf(to)}`);
  };
  const a = bound(from);
  const b = bound(to);
  if (b < a) return typedArray([], '[]int');
  const length = b - a + 1n;
  if (length >= BigInt(MAX_RANGE)) throw new Fault('memory budget exceeded', 'limit');
  budget.alloc(Number(length));
  budget.step(Number(length));
  const out: bigint[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return typedArray(out, '[]int');
}
