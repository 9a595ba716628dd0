// The helpers Argo Rollouts adds to the environment (reference §7.1), with their quirks: isNil and default look
// at the measurement result, not at their first argument.

import { Fault } from '../errors.ts';
import { formatValue } from '../format.ts';
import { T } from '../types.ts';
import { goTypeOf, interfaceTypeOf, type Value } from '../values.ts';
import { parseGoFloat, parseGoInt, strconvMessage, truncateToInt } from './convert.ts';
import { typed, type Builtin } from './spec.ts';

function notSupported(fn: string, v: Value): Fault {
  return new Fault(`${fn}() not supported on ${goTypeOf(v)} ${formatValue(v)}`);
}

const asInt: Builtin = typed('asInt', ['any'], 0, { k: 'int', go: 'int64' }, ([v]) => {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return truncateToInt(v);
  if (typeof v === 'string') {
    const parsed = parseGoInt(v);
    if (!parsed.ok) throw new Fault(strconvMessage('ParseInt', v, parsed.reason));
    return parsed.value;
  }
  throw notSupported('asInt', v!);
});

const asFloat: Builtin = typed('asFloat', ['any'], 0, T.float, ([v]) => {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const parsed = parseGoFloat(v);
    if (!parsed.ok) throw new Fault(strconvMessage('ParseFloat', v, parsed.reason));
    return parsed.value;
  }
  throw notSupported('asFloat', v!);
});

function floatArg(v: Value): number {
  if (typeof v !== 'number') throw new Fault(`interface conversion: interface {} is ${interfaceTypeOf(v)}, not float64`);
  return v;
}

const isNaNHelper: Builtin = typed('isNaN', ['float'], 0, T.bool, ([v]) => Number.isNaN(floatArg(v!)));
const isInfHelper: Builtin = typed('isInf', ['float'], 0, T.bool, ([v]) => {
  const f = floatArg(v!);
  return f === Infinity || f === -Infinity;
});

const isNil: Builtin = typed('isNil', ['any'], 0, T.bool, (_args, ctx) => ctx.result === null);

const defaultHelper: Builtin = typed('default', ['any', 'any'], 0, T.unknown,
  ([, fallback], ctx) => (ctx.result === null ? fallback! : ctx.result));

/** The helpers present when a success/failure condition is evaluated. */
export const CONDITION_HELPERS: readonly Builtin[] = [asInt, asFloat, isNaNHelper, isInfHelper, isNil, defaultHelper];

/** The helpers present when a Prometheus rangeQuery start/end is evaluated. */
export const TIME_QUERY_HELPERS: readonly Builtin[] = [isNaNHelper, isInfHelper];
