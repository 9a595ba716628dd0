// Parsing a condition into a Program, and running a Program against a measurement result.

import type { Node } from './ast.ts';
import { CONDITION_HELPERS, TIME_QUERY_HELPERS, type Builtin } from './builtins/index.ts';
import { checkTree, type CheckResult } from './checker.ts';
import { ExprError, ExprRuntimeError, Fault } from './errors.ts';
import { evaluateTree, type Compat } from './evaluate.ts';
import { foldBooleans } from './fold.ts';
import { timeFromDate } from './gotime.ts';
import { resolveLimits, type Limits } from './limits.ts';
import { parseTree } from './parser.ts';
import { T, typeOfValue, type SType } from './types.ts';
import { fromHost, type Value } from './values.ts';

export type EnvironmentKind = 'condition' | 'timeQuery';

/** A parsed condition. Immutable; evaluate it as often as needed. */
export interface Program {
  readonly source: string;
  readonly environment: EnvironmentKind;
  /** The syntax tree as parsed. */
  readonly ast: Node;
  readonly nodeCount: number;
}

interface ProgramInternals {
  readonly folded: Node;
  readonly origins: ReadonlyMap<Node, Node>;
  readonly limits: Limits;
}

const internals = new WeakMap<Program, ProgramInternals>();

export interface CompileOptions {
  /** Accept `{{args.x}}` outside string literals as an operand of unknown type (to lint templates). */
  placeholders?: boolean;
  /** Type-check with an unknown result type (finds unknown names, wrong arity, literal type errors). Default true. */
  check?: boolean;
  limits?: Partial<Limits>;
  environment?: EnvironmentKind;
}

const ENVIRONMENT_FUNCTIONS: Readonly<Record<EnvironmentKind, ReadonlyMap<string, Builtin>>> = {
  condition: new Map(CONDITION_HELPERS.map((b) => [b.name, b])),
  timeQuery: new Map(TIME_QUERY_HELPERS.map((b) => [b.name, b])),
};

function variableTypes(kind: EnvironmentKind, resultType: SType): ReadonlyMap<string, SType> {
  return kind === 'condition' ? new Map([['result', resultType]]) : new Map();
}

/** Parses (and by default type-checks) a condition; throws ExprError. */
export function compile(source: string, options: CompileOptions = {}): Program {
  const limits = resolveLimits(options.limits);
  const environment = options.environment ?? 'condition';
  const tree = parseTree(source, {
    placeholders: options.placeholders ?? false,
    limits: { maxLength: limits.maxLength, maxDepth: limits.maxDepth, maxNodes: limits.maxNodes },
  });
  const program: Program = Object.freeze({ source, environment, ast: tree.root, nodeCount: tree.nodeCount });
  if (options.check ?? true) typeCheck(program, T.unknown, limits);
  const folded = foldBooleans(tree.root);
  internals.set(program, { folded: folded.root, origins: folded.origins, limits });
  return program;
}

function typeCheck(program: Program, resultType: SType, limits: Limits): CheckResult {
  return checkTree(program.ast, {
    variables: variableTypes(program.environment, resultType),
    functions: ENVIRONMENT_FUNCTIONS[program.environment],
    regexLimits: { maxPatternLength: limits.maxPatternLength, maxProgramSize: limits.maxRegexProgram },
  });
}

export interface RunOptions {
  limits?: Partial<Limits>;
  compat?: Partial<Compat>;
}

export interface RunEnvironment {
  /** The measurement result: JSON-like data (numbers are float64), or a Float64Array for a Prometheus vector. */
  result?: unknown;
  /** The time now() returns. */
  now?: Date;
}

/**
 * Type-checks the program against this result's type, then evaluates it. Throws ExprRuntimeError (stage
 * 'type' for check errors, 'runtime' for evaluation failures, 'limit' when a bound is hit).
 */
export function run(program: Program, env: RunEnvironment, options: RunOptions = {}): Value {
  const inner = internals.get(program);
  if (!inner) throw new TypeError('not a Program returned by parseCondition');
  const limits = options.limits ? resolveLimits({ ...inner.limits, ...options.limits }) : inner.limits;
  let result: Value;
  let now;
  try {
    result = program.environment === 'condition'
      ? fromHost(env.result, { maxDepth: limits.maxResultDepth, maxItems: limits.maxResultItems }) : null;
    now = env.now ? timeFromDate(env.now) : undefined;
  } catch (e) {
    if (e instanceof Fault) throw new ExprRuntimeError({ stage: e.stage, detail: e.detail });
    throw e;
  }
  let checked: CheckResult;
  try {
    checked = typeCheck(program, typeOfValue(result), limits);
  } catch (e) {
    if (e instanceof ExprError && !(e instanceof ExprRuntimeError)) {
      throw new ExprRuntimeError({
        stage: e.stage, detail: e.detail, expected: e.expected,
        position: e.line === undefined ? undefined : { line: e.line, column: e.column!, offset: e.offset! },
      });
    }
    throw e;
  }
  return evaluateTree({
    root: inner.folded,
    types: checked.types,
    origins: inner.origins,
    floatArgs: checked.floatArgs,
    variables: program.environment === 'condition' ? new Map([['result', result]]) : new Map(),
    functions: ENVIRONMENT_FUNCTIONS[program.environment],
    result,
    now,
    limits: {
      maxSteps: limits.maxSteps,
      maxMemory: limits.maxMemory,
      regex: { maxPatternLength: limits.maxPatternLength, maxProgramSize: limits.maxRegexProgram },
    },
    compat: { numericArrayEquality: false, detailedIndexErrors: false, ...options.compat },
  });
}
