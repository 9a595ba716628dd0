// Numeric builtins: abs, ceil, floor, round, max, min, sum, mean, median (expr v1.15.5 forms, reference §4).

import { compareValues, order } from '../ops.ts';
import { isNum, isUnknown, T, type SType } from '../types.ts';
import { isNumber, wrapInt, type Value } from '../values.ts';
import { invalidArgument, invalidRuntimeArgument, type Builtin } from './spec.ts';

const numeric = (name: string, result: (t: SType) => SType): Builtin['check'] => ([t]) =>
  (isUnknown(t!) || isNum(t!) ? result(t!) : invalidArgument(name, t!));

function numberArg(name: string, v: Value): bigint | number {
  if (!isNumber(v)) throw invalidRuntimeArgument(name, v);
  return v;
}

/** Go's math.Round: half away from zero. */
export function goRound(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  const r = Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}

const abs: Builtin = {
  name: 'abs', min: 1, max: 1, check: numeric('abs', (t) => t),
  call([v]) {
    const n = numberArg('abs', v!);
    return typeof n === 'bigint' ? wrapInt(n < 0n ? -n : n) : Math.abs(n);
  },
};

function rounding(name: string, f: (x: number) => number): Builtin {
  return {
    name, min: 1, max: 1, check: numeric(name, () => T.float),
    call: ([v]) => f(Number(numberArg(name, v!))),
  };
}

/** max/min: variadic numbers; the winner keeps its own type (Go's runtime.Less decides). */
function extreme(name: 'max' | 'min'): Builtin {
  return {
    name, min: 1, max: Infinity,
    check(args) {
      for (const t of args) if (!isUnknown(t) && !isNum(t)) return invalidArgument(name, t);
      return args[0]!;
    },
    call(args) {
      let best: Value = null;
      for (const a of args) {
        const n = numberArg(name, a);
        if (best === null || (name === 'max' ? order('<', best, n) : order('<', n, best))) best = n;
      }
      return best;
    },
  };
}

function numbersOf(name: string, v: Value): (bigint | number)[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw invalidRuntimeArgument(name, v);
  return v.map((x) => {
    if (!isNumber(x)) throw invalidRuntimeArgument(name, x);
    return x;
  });
}

const arrayOfNumbers = (name: string, result: (t: SType) => SType): Builtin['check'] => ([t]) => {
  if (isUnknown(t!)) return result(t!);
  if (t!.k !== 'array') return invalidArgument(name, t!);
  if (!isUnknown(t!.elem) && !isNum(t!.elem)) return invalidArgument(name, t!);
  return result(t!);
};

const sum: Builtin = {
  name: 'sum', min: 1, max: 1,
  check: arrayOfNumbers('sum', (t) => (t.k === 'array' && (t.elem.k === 'int' || t.elem.k === 'float') ? t.elem : T.unknown)),
  call([v], ctx) {
    const xs = numbersOf('sum', v!);
    ctx.budget.step(xs.length);
    if (xs.every((x) => typeof x === 'bigint')) return xs.reduce<bigint>((a, x) => wrapInt(a + (x as bigint)), 0n);
    return xs.reduce<number>((a, x) => a + Number(x), 0);
  },
};

const mean: Builtin = {
  name: 'mean', min: 1, max: 1, check: arrayOfNumbers('mean', () => T.float),
  call([v], ctx) {
    const xs = numbersOf('mean', v!);
    ctx.budget.step(xs.length);
    if (xs.length === 0) return 0;
    return xs.reduce<number>((a, x) => a + Number(x), 0) / xs.length;
  },
};

const median: Builtin = {
  name: 'median', min: 1, max: 1, check: arrayOfNumbers('median', () => T.float),
  call([v], ctx) {
    const xs = numbersOf('median', v!);
    ctx.budget.step(xs.length * Math.max(1, Math.ceil(Math.log2(xs.length + 1))));
    if (xs.length === 0) return 0;
    const sorted = [...xs].sort((a, b) => compareValues(a, b));
    const mid = Math.floor(sorted.length / 2);
    if (sorted.length % 2 === 1) return Number(sorted[mid]!);
    return (Number(sorted[mid - 1]!) + Number(sorted[mid]!)) / 2;
  },
};

export const NUMBER_BUILTINS: readonly Builtin[] = [
  abs, rounding('ceil', Math.ceil), rounding('floor', Math.floor), rounding('round', goRound),
  extreme('max'), extreme('min'), sum, mean, median,
];
