// Prometheus rangeQuery.start / .end (Argo's EvalTime, reference §7.4): an expression that yields a time.

import { substituteArgs } from './args.ts';
import { ExprError } from './errors.ts';
import type { Limits } from './limits.ts';
import { compile, run } from './program.ts';
import { GoTime, goTypeOf } from './values.ts';

export interface TimeQueryInput {
  expression: string;
  /** The time now() returns. */
  now: Date;
  args?: Readonly<Record<string, string>>;
  limits?: Partial<Limits>;
}

export type TimeQueryOutcome =
  | { ok: true; time: Date; unixNanos: bigint }
  | { ok: false; error: ExprError; message: string };

/** Evaluates e.g. `now() - duration("{{args.lookback}}")`. The environment has isNaN and isInf, no result. */
export function evaluateTime(input: TimeQueryInput): TimeQueryOutcome {
  try {
    const source = input.args ? substituteArgs(input.expression, input.args) : input.expression;
    const program = compile(source, { environment: 'timeQuery', ...(input.limits ? { limits: input.limits } : {}) });
    const value = run(program, { now: input.now }, input.limits ? { limits: input.limits } : {});
    if (!(value instanceof GoTime)) {
      const error = new ExprError({ stage: 'type', detail: `expected time.Time, but got ${goTypeOf(value)}` });
      return { ok: false, error, message: error.detail };
    }
    const ms = Number(value.ns / 1_000_000n) - (value.ns < 0n && value.ns % 1_000_000n !== 0n ? 1 : 0);
    return { ok: true, time: new Date(ms), unixNanos: value.ns };
  } catch (e) {
    if (e instanceof ExprError) {
      return { ok: false, error: e, message: e.stage === 'syntax' || e.stage === 'limit' ? e.message : e.detail.trimEnd() };
    }
    throw e;
  }
}
