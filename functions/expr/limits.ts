// Every bound the condition language enforces, in one place.

export interface Limits {
  /** Longest condition, in characters. */
  maxLength: number;
  /** Deepest nesting of the syntax tree. */
  maxDepth: number;
  /** Largest syntax tree, in nodes (expr 1.17 uses 10,000 too). */
  maxNodes: number;
  /** Most evaluation steps: nodes visited, predicate iterations, sorted elements, regexp states. */
  maxSteps: number;
  /** Most memory units created while evaluating: array elements, map entries, string characters. */
  maxMemory: number;
  /** Longest regular expression, in characters. */
  maxPatternLength: number;
  /** Largest compiled regular expression, in instructions. */
  maxRegexProgram: number;
  /** Deepest nesting accepted in a measurement result. */
  maxResultDepth: number;
  /** Most array elements and object entries accepted in a measurement result. */
  maxResultItems: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxLength: 10_000,
  maxDepth: 128,
  maxNodes: 10_000,
  maxSteps: 1_000_000,
  maxMemory: 1_000_000,
  maxPatternLength: 1_000,
  maxRegexProgram: 10_000,
  maxResultDepth: 256,
  maxResultItems: 1_000_000,
});

export function resolveLimits(overrides: Partial<Limits> | undefined): Limits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`limit ${key} must be a positive number`);
  }
  return limits;
}
