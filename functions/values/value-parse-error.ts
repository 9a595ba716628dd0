/**
 * Thrown when a wire value (a duration, an int-or-percent, …) cannot be parsed.
 *
 * It carries what was given, why it was refused and what would have been accepted, so a
 * validator can turn it into a field error without re-deriving the message:
 *
 *   catch (e) { if (e instanceof ValueParseError) errors.push({ path, type: 'Invalid', value: e.input, detail: e.detail }) }
 */
export class ValueParseError extends Error {
  /** The value exactly as it was given. */
  readonly input: unknown;
  /** Why it was refused, e.g. `unknown unit "d"`. */
  readonly reason: string;
  /** What would be accepted, e.g. `an integer number of seconds (30) or a Go duration ("30s", "1h")`. */
  readonly expected: string;

  constructor(what: string, input: unknown, reason: string, expected: string) {
    super(`invalid ${what} ${describeInput(input)}: ${reason}; expected ${expected}`);
    this.name = 'ValueParseError';
    this.input = input;
    this.reason = reason;
    this.expected = expected;
  }

  /** `reason; expected …` — the part of the message that follows the value in a field error. */
  get detail(): string {
    return `${this.reason}; expected ${this.expected}`;
  }
}

function describeInput(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (typeof input === 'number' || typeof input === 'boolean' || input === null || input === undefined) {
    return String(input);
  }
  if (typeof input === 'bigint') return `${input}n`;
  try {
    return JSON.stringify(input) ?? typeof input;
  } catch {
    return typeof input;
  }
}
