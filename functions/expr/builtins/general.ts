// General builtins: len, type, get, keys, values, toPairs, fromPairs, string, int, float, toJSON, fromJSON,
// toBase64, fromBase64.

import { utf8Length } from '../bytes.ts';
import { Fault } from '../errors.ts';
import { formatValue, toJSONText } from '../format.ts';
import { anyKeyMaps, fetch } from '../ops.ts';
import { ANY_ARRAY, ANY_MAP, arrayOf, isNum, isUnknown, T, type SType } from '../types.ts';
import { exprTypeName, fromHost, type MapKey, type Value } from '../values.ts';
import { parseGoFloat, parseGoInt, truncateToInt } from './convert.ts';
import {
  invalidArgument, invalidRuntimeArgument, stringArg, typed, type Builtin,
} from './spec.ts';

const len: Builtin = {
  name: 'len', min: 1, max: 1,
  check: ([t]) => (isUnknown(t!) || t!.k === 'array' || t!.k === 'map' || t!.k === 'string'
    ? T.int : invalidArgument('len', t!)),
  call([v]) {
    if (typeof v === 'string') return BigInt(utf8Length(v));
    if (Array.isArray(v)) return BigInt(v.length);
    if (v instanceof Map) return BigInt(v.size);
    throw invalidRuntimeArgument('len', v!);
  },
};

const type: Builtin = { name: 'type', min: 1, max: 1, check: () => T.string, call: ([v]) => exprTypeName(v!) };

const get: Builtin = {
  name: 'get', min: 2, max: 2,
  check: ([t]) => (t!.k === 'array' ? t!.elem : t!.k === 'map' ? t!.value : T.unknown),
  call([object, key]) {
    try {
      return fetch(object!, key!, { detailedIndexErrors: false });
    } catch (e) {
      if (e instanceof Fault) return null;
      throw e;
    }
  },
};

function mapCheck(name: string, result: (t: SType) => SType): Builtin['check'] {
  return ([t]) => (isUnknown(t!) ? result(ANY_MAP) : t!.k === 'map' ? result(t!) : invalidArgument(name, t!));
}

function mapArg(name: string, v: Value): ReadonlyMap<MapKey, Value> {
  if (!(v instanceof Map)) throw invalidRuntimeArgument(name, v);
  return v;
}

const keys: Builtin = {
  name: 'keys', min: 1, max: 1,
  check: mapCheck('keys', () => ANY_ARRAY),
  call([v], ctx) {
    const m = mapArg('keys', v!);
    ctx.budget.alloc(m.size);
    return [...m.keys()];
  },
};

const values: Builtin = {
  name: 'values', min: 1, max: 1,
  check: mapCheck('values', (t) => arrayOf(t.k === 'map' ? t.value : T.unknown)),
  call([v], ctx) {
    const m = mapArg('values', v!);
    ctx.budget.alloc(m.size);
    return [...m.values()];
  },
};

const toPairs: Builtin = {
  name: 'toPairs', min: 1, max: 1,
  check: mapCheck('toPairs', () => arrayOf(ANY_ARRAY)),
  call([v], ctx) {
    const m = mapArg('toPairs', v!);
    ctx.budget.alloc(m.size * 3);
    return [...m.entries()].map(([k, x]) => [k, x]);
  },
};

const fromPairs: Builtin = {
  name: 'fromPairs', min: 1, max: 1,
  check: ([t]) => (isUnknown(t!) || t!.k === 'array' ? { k: 'map', key: T.unknown, value: T.unknown }
    : invalidArgument('fromPairs', t!)),
  call([v], ctx) {
    if (!Array.isArray(v)) throw invalidRuntimeArgument('fromPairs', v!);
    ctx.budget.alloc(v.length);
    const out = new Map<MapKey, Value>();
    for (const pair of v) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new Fault('invalid argument for fromPairs: every element must be a [key, value] pair');
      }
      const key = pair[0]!;
      if (key !== null && typeof key === 'object') throw new Fault('invalid argument for fromPairs: a key must be a scalar');
      out.set(key, pair[1]!);
    }
    if ([...out.keys()].some((k) => typeof k !== 'string')) anyKeyMaps.add(out);
    return out;
  },
};

const string: Builtin = {
  name: 'string', min: 1, max: 1, check: () => T.string,
  call([v], ctx) {
    const s = formatValue(v!);
    ctx.budget.alloc(s.length);
    return s;
  },
};

const numberOrString = (name: string, result: SType): Builtin['check'] => ([t]) =>
  (isUnknown(t!) || isNum(t!) || t!.k === 'string' ? result : invalidArgument(name, t!));

const int: Builtin = {
  name: 'int', min: 1, max: 1, check: numberOrString('int', T.int),
  call([v]) {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number') return truncateToInt(v);
    if (typeof v === 'string') {
      const parsed = parseGoInt(v);
      if (!parsed.ok) throw new Fault(`invalid operation: int(${v})`);
      return parsed.value;
    }
    throw invalidRuntimeArgument('int', v!);
  },
};

const float: Builtin = {
  name: 'float', min: 1, max: 1, check: numberOrString('float', T.float),
  call([v]) {
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number') return v;
    if (typeof v === 'string') {
      const parsed = parseGoFloat(v);
      if (!parsed.ok) throw new Fault(`invalid operation: float(${v})`);
      return parsed.value;
    }
    throw invalidRuntimeArgument('float', v!);
  },
};

const toJSON: Builtin = {
  name: 'toJSON', min: 1, max: 1, check: () => T.string,
  call([v], ctx) {
    const s = toJSONText(v!);
    ctx.budget.alloc(s.length);
    return s;
  },
};

const fromJSON = typed('fromJSON', ['string'], 0, T.unknown, ([v], ctx) => {
  const s = stringArg('fromJSON', v!);
  ctx.budget.alloc(s.length);
  let data: unknown;
  try {
    data = JSON.parse(s);
  } catch (e) {
    throw new Fault(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return fromHost(data);
});

const toBase64 = typed('toBase64', ['string'], 0, T.string, ([v], ctx) => {
  const s = stringArg('toBase64', v!);
  ctx.budget.alloc(s.length * 2);
  return Buffer.from(s, 'utf8').toString('base64');
});

const fromBase64 = typed('fromBase64', ['string'], 0, T.string, ([v], ctx) => {
  const s = stringArg('fromBase64', v!);
  ctx.budget.alloc(s.length);
  const bad = /[^A-Za-z0-9+/=]/.exec(s);
  const pad = s.indexOf('=');
  const invalidAt = bad ? bad.index : s.length % 4 !== 0 ? s.length - (s.length % 4)
    : pad >= 0 && !/^={1,2}$/.test(s.slice(pad)) ? pad : -1;
  if (invalidAt >= 0) throw new Fault(`illegal base64 data at input byte ${invalidAt}`);
  return Buffer.from(s, 'base64').toString('utf8');
});

export const GENERAL_BUILTINS: readonly Builtin[] = [
  len, type, get, keys, values, toPairs, fromPairs, string, int, float, toJSON, fromJSON, toBase64, fromBase64,
];
