// The condition language of AnalysisTemplate successCondition / failureCondition (Argo Rollouts' `expr`,
// v1.15.5 semantics). Pure: no I/O, no clock (now() reads the time passed in).

import { ExprError, ExprRuntimeError, Fault } from './errors.ts';
import type { Compat } from './evaluate.ts';
import type { Limits } from './limits.ts';
import { substituteArgs } from './args.ts';
import { compile, run, type Program } from './program.ts';
import { goTypeOf as goTypeOfValue, toHost } from './values.ts';

export { ExprError, ExprRuntimeError } from './errors.ts';
export type { ErrorStage } from './errors.ts';
export type { Program } from './program.ts';
export type { Limits } from './limits.ts';
export { DEFAULT_LIMITS } from './limits.ts';
export type { Compat } from './evaluate.ts';
export { substituteArgs, referencedArgs } from './args.ts';
export { measurementPhase } from './phase.ts';
export type { MeasurementInput, MeasurementOutcome, MeasurementPhase, MessageStyle } from './phase.ts';
export { evaluateTime } from './time-query.ts';
export type { TimeQueryInput, TimeQueryOutcome } from './time-query.ts';

export interface ParseConditionOptions {
  /** Substitute `{{args.name}}` with these values before parsing, as Argo does for an AnalysisRun. */
  args?: Readonly<Record<string, string>>;
  /**
   * Accept unsubstituted `{{args.name}}` outside string literals as an operand of unknown type, so an
   * AnalysisTemplate can be linted before its arguments are known.
   */
  placeholders?: boolean;
  /** Also report errors that hold for every result (unknown names, arity, `"a" + 1`, bad literal regexps). Default true. */
  check?: boolean;
  limits?: Partial<Limits>;
}

export type ParseConditionResult = { ok: true; program: Program } | { ok: false; error: ExprError };

/** For admission-time validation: parses a condition and reports the first problem with its line:column. */
export function parseCondition(source: string, options: ParseConditionOptions = {}): ParseConditionResult {
  try {
    const text = options.args ? substituteArgs(source, options.args) : source;
    return {
      ok: true,
      program: compile(text, {
        placeholders: options.placeholders ?? false,
        check: options.check ?? true,
        ...(options.limits ? { limits: options.limits } : {}),
      }),
    };
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, error: e };
    throw e;
  }
}

export interface EvaluateEnvironment {
  /** The measurement result: JSON-like data (numbers are float64), or a Float64Array for a Prometheus vector. */
  result: unknown;
  /** The time now() returns; without it now() fails. */
  now?: Date;
}

export interface EvaluateOptions {
  limits?: Partial<Limits>;
  compat?: Partial<Compat>;
}

/**
 * Evaluates a parsed condition against one measurement result and returns its value as plain data: booleans,
 * float64 as number, int as bigint, strings, arrays, maps as null-prototype objects, nil as null, time.Time as
 * Date, time.Duration as bigint nanoseconds. Throws ExprRuntimeError (stage 'type' when the condition does not
 * type-check for this result, 'runtime' when evaluation fails, 'limit' when a bound is exceeded).
 */
export function evaluate(program: Program, env: EvaluateEnvironment, options: EvaluateOptions = {}): unknown {
  const value = run(program, env, options);
  try {
    return toHost(value);
  } catch (e) {
    if (e instanceof Fault) throw new ExprRuntimeError({ stage: e.stage, detail: e.detail });
    throw e;
  }
}

/** Evaluates a condition that must yield a bool, as Argo's EvalCondition does. */
export function evaluateCondition(program: Program, env: EvaluateEnvironment, options: EvaluateOptions = {}): boolean {
  const value = run(program, env, options);
  if (typeof value !== 'boolean') {
    throw new ExprRuntimeError({ stage: 'type', detail: `expected bool, but got ${goTypeOfValue(value)}` });
  }
  return value;
}
