// Shared helpers for the condition-language tests.

import assert from 'node:assert/strict';
import {
  evaluate, ExprError, parseCondition, type EvaluateOptions, type ParseConditionOptions, type Program,
} from '../../../functions/expr/index.ts';

export function compileOk(source: string, options?: ParseConditionOptions): Program {
  const parsed = parseCondition(source, options);
  if (!parsed.ok) assert.fail(`expected ${JSON.stringify(source)} to parse, got: ${parsed.error.message}`);
  return parsed.program;
}

/** Evaluates and returns plain data (null-prototype maps become ordinary objects, for deepStrictEqual). */
export function run(source: string, result: unknown = null, options?: EvaluateOptions & { now?: Date }): unknown {
  const program = compileOk(source);
  return normalize(evaluate(program, { result, ...(options?.now ? { now: options.now } : {}) }, options));
}

/** The error an evaluation (or its parse) fails with. */
export function failure(source: string, result: unknown = null, options?: EvaluateOptions & { now?: Date }): ExprError {
  const parsed = parseCondition(source, { check: false });
  if (!parsed.ok) return parsed.error;
  try {
    const value = evaluate(parsed.program, { result, ...(options?.now ? { now: options.now } : {}) }, options);
    return assert.fail(`expected ${JSON.stringify(source)} to fail, got ${String(value)}`);
  } catch (e) {
    if (e instanceof ExprError) return e;
    throw e;
  }
}

/** The parse (or admission-time check) error of a condition. */
export function parseFailure(source: string, options?: ParseConditionOptions): ExprError {
  const parsed = parseCondition(source, options);
  if (parsed.ok) assert.fail(`expected ${JSON.stringify(source)} to be rejected`);
  return parsed.error;
}

export function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Date) return v;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      Object.defineProperty(out, key, {
        value: normalize((v as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true,
      });
    }
    return out;
  }
  return v;
}

/** A Prometheus vector or matrix result ([]float64). */
export const vector = (...values: number[]): Float64Array => Float64Array.from(values);
