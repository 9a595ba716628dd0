// The phase of one measurement from its success and failure conditions (Argo's EvaluateResult, reference §7.3).

import { substituteArgs } from './args.ts';
import { ExprError } from './errors.ts';
import type { Compat } from './evaluate.ts';
import type { Limits } from './limits.ts';
import { compile, run } from './program.ts';
import { goTypeOf, type Value } from './values.ts';

export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/**
 * How errors are worded: 'argo-v1.9' records the bare message (Argo v1.9.x); 'argo-v1.10' wraps it as
 * `could not evaluate successCondition "<expr>": <message>` (Argo v1.10 and later).
 */
export type MessageStyle = 'argo-v1.9' | 'argo-v1.10';

export interface MeasurementInput {
  successCondition?: string | undefined;
  failureCondition?: string | undefined;
  /** The provider's value: JSON-like data, or a Float64Array for a Prometheus vector/matrix. */
  result: unknown;
  /** Values for `{{args.name}}` placeholders still present in the conditions. */
  args?: Readonly<Record<string, string>>;
  /** The time now() returns. */
  now?: Date;
  limits?: Partial<Limits>;
  compat?: Partial<Compat>;
  messageStyle?: MessageStyle;
}

export interface MeasurementOutcome {
  phase: MeasurementPhase;
  message?: string;
}

type ConditionVerdict = { ok: true; value: boolean } | { ok: false; message: string };

function messageOf(e: ExprError): string {
  // Type, runtime and limit errors carry expr's own texts where expr has one ("memory budget exceeded"), as
  // Argo records them; syntax errors keep their position, which Argo's messages lack.
  return e.stage === 'syntax' ? e.message : e.detail.trimEnd();
}

function isEmptyResult(result: unknown): boolean {
  if (result === null || result === undefined) return true;
  if (Array.isArray(result) || result instanceof Float64Array) return result.length === 0;
  return false;
}

function evaluateCondition(which: 'successCondition' | 'failureCondition', condition: string,
  input: MeasurementInput): ConditionVerdict {
  const wrap = (message: string): string => {
    if (input.messageStyle !== 'argo-v1.10') return message;
    const prefix = `could not evaluate ${which} ${JSON.stringify(condition)}: `;
    return isEmptyResult(input.result)
      ? `${prefix}metric result is nil or empty: no data returned from the metric provider` : prefix + message;
  };
  let value: Value;
  try {
    const source = input.args ? substituteArgs(condition, input.args) : condition;
    const program = compile(source, { check: false, ...(input.limits ? { limits: input.limits } : {}) });
    value = run(program, { result: input.result, ...(input.now ? { now: input.now } : {}) },
      { ...(input.limits ? { limits: input.limits } : {}), ...(input.compat ? { compat: input.compat } : {}) });
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, message: wrap(messageOf(e)) };
    throw e;
  }
  if (typeof value !== 'boolean') return { ok: false, message: wrap(`expected bool, but got ${goTypeOf(value)}`) };
  return { ok: true, value };
}

/**
 * Success is evaluated first; an error there decides Error without looking at the failure condition.
 *
 * | success | failure | phase |
 * | empty   | empty   | Successful |
 * | set     | empty   | Successful if true, else Failed |
 * | empty   | set     | Failed if true, else Successful |
 * | set     | set     | Failed if failure is true; else Successful if success is true; else Inconclusive |
 */
export function measurementPhase(input: MeasurementInput): MeasurementOutcome {
  const success = input.successCondition ?? '';
  const failure = input.failureCondition ?? '';
  let succeeded: boolean | undefined;
  let failed: boolean | undefined;
  if (success !== '') {
    const verdict = evaluateCondition('successCondition', success, input);
    if (!verdict.ok) return { phase: 'Error', message: verdict.message };
    succeeded = verdict.value;
  }
  if (failure !== '') {
    const verdict = evaluateCondition('failureCondition', failure, input);
    if (!verdict.ok) return { phase: 'Error', message: verdict.message };
    failed = verdict.value;
  }
  if (succeeded === undefined && failed === undefined) return { phase: 'Successful' };
  if (failed === undefined) return { phase: succeeded ? 'Successful' : 'Failed' };
  if (succeeded === undefined) return { phase: failed ? 'Failed' : 'Successful' };
  if (failed) return { phase: 'Failed' };
  return { phase: succeeded ? 'Successful' : 'Inconclusive' };
}
