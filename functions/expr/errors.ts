// Errors of the condition language. Every failure carries the Argo-compatible text (`detail`) and,
// when it can be tied to the source, the 1-based line and column where it was found.

export interface Position {
  /** Offset in code points from the start of the source. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in code points. */
  readonly column: number;
}

export type ErrorStage = 'syntax' | 'type' | 'runtime' | 'limit';

export interface ExprErrorInit {
  stage: ErrorStage;
  detail: string;
  position?: Position | undefined;
  expected?: string | undefined;
}

/** A problem with a condition: a syntax error, a type error, or (as ExprRuntimeError) an evaluation failure. */
export class ExprError extends Error {
  readonly stage: ErrorStage;
  /** The message without position, as Argo Rollouts would record it where Argo has a text for it. */
  readonly detail: string;
  /** What the parser would have accepted at that point, if known. */
  readonly expected: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly offset: number | undefined;

  constructor(init: ExprErrorInit) {
    super(composeMessage(init));
    this.name = 'ExprError';
    this.stage = init.stage;
    this.detail = init.detail;
    this.expected = init.expected;
    this.line = init.position?.line;
    this.column = init.position?.column;
    this.offset = init.position?.offset;
  }
}

/** Thrown by `evaluate`: the condition could not be evaluated against this measurement. */
export class ExprRuntimeError extends ExprError {
  constructor(init: ExprErrorInit) {
    super(init);
    this.name = 'ExprRuntimeError';
  }
}

function composeMessage(init: ExprErrorInit): string {
  let message = init.detail.trimEnd();
  if (init.position) message += ` at ${init.position.line}:${init.position.column}`;
  if (init.expected) message += `, expected ${init.expected}`;
  return message;
}

/**
 * A failure inside an operation or builtin, before it is tied to a node. The evaluator turns it into an
 * ExprRuntimeError at the innermost node being evaluated.
 */
export class Fault extends Error {
  readonly detail: string;
  readonly stage: 'runtime' | 'limit';
  constructor(detail: string, stage: 'runtime' | 'limit' = 'runtime') {
    super(detail);
    this.name = 'Fault';
    this.detail = detail;
    this.stage = stage;
  }
}
