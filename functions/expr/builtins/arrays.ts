// Array builtins: first, last, take, sort, sortBy.

import { Fault } from '../errors.ts';
import { compareValues } from '../ops.ts';
import { arrayOf, isUnknown, T, type SType } from '../types.ts';
import { goTypeOf, typedArray, type Value } from '../values.ts';
import { checkParams, intArg, invalidArgument, invalidRuntimeArgument, stringArg, type Builtin } from './spec.ts';

const elementOf = (t: SType): SType => (t.k === 'array' ? t.elem : T.unknown);

function arrayCheck(name: string, result: (t: SType) => SType): Builtin['check'] {
  return ([t]) => (isUnknown(t!) || t!.k === 'array' ? result(t!) : invalidArgument(name, t!));
}

function items(name: string, v: Value): readonly Value[] {
  if (!Array.isArray(v)) throw invalidRuntimeArgument(name, v);
  return v;
}

const first: Builtin = {
  name: 'first', min: 1, max: 1, check: arrayCheck('first', elementOf),
  call: ([v]) => (v === null ? null : items('first', v!)[0] ?? null),
};

const last: Builtin = {
  name: 'last', min: 1, max: 1, check: arrayCheck('last', elementOf),
  call([v]) {
    if (v === null) return null;
    const a = items('last', v!);
    return a.length === 0 ? null : a[a.length - 1]!;
  },
};

const take: Builtin = {
  name: 'take', min: 2, max: 2,
  check: (args) => checkParams('take', ['array', 'int'], args) ?? (args[0]!.k === 'array' ? args[0]! : arrayOf(T.unknown)),
  call([v, n], ctx) {
    const a = items('take', v!);
    const count = intArg('take', n!);
    if (count < 0n) throw new Fault(`cannot take ${count} elements`);
    const out = a.slice(0, Number(count > BigInt(a.length) ? BigInt(a.length) : count));
    ctx.budget.alloc(out.length);
    return typedArray(out, goTypeOf(a));
  },
};

function orderOf(name: string, v: Value | undefined): 1 | -1 {
  if (v === undefined) return 1;
  const o = stringArg(name, v);
  if (o === 'asc') return 1;
  if (o === 'desc') return -1;
  throw new Fault(`unknown order, use asc or desc (got ${JSON.stringify(o)})`);
}

function sortCost(n: number): number {
  return n * Math.max(1, Math.ceil(Math.log2(n + 1)));
}

const sort: Builtin = {
  name: 'sort', min: 1, max: 2,
  check(args) {
    const t = args[0]!;
    if (!isUnknown(t) && t.k !== 'array') return invalidArgument('sort', t);
    return checkParams('sort', ['array', 'string'], args) ?? t;
  },
  call([v, o], ctx) {
    const a = items('sort', v!);
    const dir = orderOf('sort', o);
    for (const x of a) {
      if (typeof x !== 'bigint' && typeof x !== 'number' && typeof x !== 'string') {
        throw new Fault(`invalid argument for sort (element of type ${goTypeOf(x)})`);
      }
    }
    ctx.budget.step(sortCost(a.length));
    ctx.budget.alloc(a.length);
    return typedArray([...a].sort((x, y) => dir * compareValues(x, y)), goTypeOf(a));
  },
};

const sortBy: Builtin = {
  name: 'sortBy', min: 2, max: 3,
  check(args) {
    const t = args[0]!;
    if (!isUnknown(t) && t.k !== 'array') return invalidArgument('sortBy', t);
    return checkParams('sortBy', ['array', 'string', 'string'], args) ?? t;
  },
  call([v, field, o], ctx) {
    const a = items('sortBy', v!);
    const name = stringArg('sortBy', field!);
    const dir = orderOf('sortBy', o);
    const keyOf = (x: Value): Value => {
      if (!(x instanceof Map)) throw new Fault(`cannot fetch ${name} from ${goTypeOf(x)}`);
      return x.get(name) ?? null;
    };
    ctx.budget.step(sortCost(a.length));
    ctx.budget.alloc(a.length);
    return typedArray([...a].sort((x, y) => dir * compareValues(keyOf(x), keyOf(y))), goTypeOf(a));
  },
};

export const ARRAY_BUILTINS: readonly Builtin[] = [first, last, take, sort, sortBy];


