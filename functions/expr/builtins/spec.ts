// What a builtin function is: its arity, its static typing (check) and its behaviour (call).

import { Fault } from '../errors.ts';
import type { Budget } from '../ops.ts';
import { isUnknown, typeName, type SType } from '../types.ts';
import { goTypeOf, type GoTime, type Value } from '../values.ts';

export interface CallContext {
  readonly budget: Budget;
  /** The measurement result (isNil and default look at it, not at their argument). */
  readonly result: Value;
  /** The evaluation time for now(); absent when the caller gave none. */
  readonly now: GoTime | undefined;
  /** Tests a string against a pattern with the evaluation's regex limits and budget. */
  readonly matches: (text: string, pattern: string) => boolean;
}

export type CheckOutcome = SType | { readonly error: string };

export interface Builtin {
  readonly name: string;
  readonly min: number;
  /** Infinity for variadic functions. */
  readonly max: number;
  /** float64 parameters: an integer constant passed there is converted, as Go's checker does. */
  readonly floatParams?: readonly number[];
  check(args: readonly SType[]): CheckOutcome;
  call(args: readonly Value[], ctx: CallContext): Value;
}

export type Param = 'string' | 'int' | 'float' | 'bool' | 'array' | 'map' | 'any';

const PARAM_GO_NAMES: Readonly<Record<Param, string>> = {
  string: 'string', int: 'int', float: 'float64', bool: 'bool', array: '[]interface {}',
  map: 'map[string]interface {}', any: 'interface {}',
};

export function accepts(param: Param, t: SType): boolean {
  if (param === 'any' || isUnknown(t)) return true;
  if (t.k === 'nil') return param === 'array' || param === 'map';
  return t.k === param;
}

export function cannotUse(name: string, t: SType | string, param: Param): { error: string } {
  const shown = typeof t === 'string' ? t : typeName(t);
  // expr v1.15.5 ends this message with a space; Argo users see it that way.
  return { error: `cannot use ${shown} as argument (type ${PARAM_GO_NAMES[param]}) to call ${name} ` };
}

export function invalidArgument(name: string, t: SType): { error: string } {
  return { error: `invalid argument for ${name} (type ${typeName(t)})` };
}

/** Static check against fixed parameter lists (one per accepted arity). */
export function checkParams(name: string, params: readonly Param[], args: readonly SType[]): { error: string } | undefined {
  for (let i = 0; i < args.length; i++) {
    const p = params[i] ?? params[params.length - 1]!;
    if (!accepts(p, args[i]!)) return cannotUse(name, args[i]!, p);
  }
  return undefined;
}

// ---- runtime argument conversion ----------------------------------------------------------------------------------

export function runtimeCannotUse(name: string, v: Value, param: Param): Fault {
  return new Fault(cannotUse(name, goTypeOf(v), param).error);
}

export function stringArg(name: string, v: Value): string {
  if (typeof v !== 'string') throw runtimeCannotUse(name, v, 'string');
  return v;
}

export function intArg(name: string, v: Value): bigint {
  if (typeof v !== 'bigint') throw runtimeCannotUse(name, v, 'int');
  return v;
}

export function arrayArg(name: string, v: Value): readonly Value[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw runtimeCannotUse(name, v, 'array');
  return v;
}

export function invalidRuntimeArgument(name: string, v: Value): Fault {
  return new Fault(`invalid argument for ${name} (type ${goTypeOf(v)})`);
}

/** Builds a builtin typed by a parameter list; `optional` trailing parameters may be left out. */
export function typed(name: string, params: readonly Param[], optional: number, result: SType | ((args: readonly SType[]) => SType),
  call: (args: readonly Value[], ctx: CallContext) => Value, variadic = false): Builtin {
  return {
    name,
    min: params.length - optional,
    max: variadic ? Infinity : params.length,
    ...(params.includes('float') ? { floatParams: params.flatMap((p, i) => (p === 'float' ? [i] : [])) } : {}),
    check(args) {
      return checkParams(name, params, args) ?? (typeof result === 'function' ? result(args) : result);
    },
    call,
  };
}
