import { formatGoDuration, GO_DURATION_EXAMPLES, parseGoDuration } from './go-duration-syntax.ts';
import { ValueParseError } from './value-parse-error.ts';

const NANOS_PER_MILLISECOND = 1_000_000n;
const NANOS_PER_SECOND = 1_000_000_000n;
/** `pause.duration` ends up as an int32 number of seconds in Argo. */
const MAX_PAUSE_SECONDS = 2_147_483_647n;

const PAUSE_EXPECTED =
  `a non-negative whole number of seconds (30), a numeric string ("30") or a Go duration string (${GO_DURATION_EXAMPLES}); ` +
  'fractions of a second are dropped';
const DURATION_STRING_EXPECTED = `a Go duration string such as ${GO_DURATION_EXAMPLES} (units ns, us, ms, s, m, h)`;

/**
 * A length of time, parsed once from one of Argo's two duration wire forms:
 *
 * - `Duration.parse(x)` — `pause.duration` (an IntOrString): an integer is seconds, a string of
 *   digits is seconds, anything else is Go duration syntax. Argo truncates the result to whole
 *   seconds (`"1500ms"` pauses 1 s, `"500ms"` pauses 0 s), so this does too.
 * - `Duration.parseDurationString(s)` — Argo's `DurationString` fields (metric `interval`,
 *   `initialDelay`, experiment `duration`, rangeQuery `step`, …): Go `time.ParseDuration`
 *   syntax only, kept to the nanosecond, negative values included (Go accepts them; a
 *   validator that wants to refuse them can ask `isNegative()`).
 *
 * `toJSON()` gives back the value as it was written, so a parsed spec round-trips unchanged.
 */
export class Duration {
  readonly #nanoseconds: bigint;
  /** The wire value this was parsed from; undefined when built with `ofSeconds`/`ofMilliseconds`. */
  readonly source: number | string | undefined;

  private constructor(nanoseconds: bigint, source: number | string | undefined) {
    this.#nanoseconds = nanoseconds;
    this.source = source;
  }

  /**
   * Parses a `pause.duration`: `30`, `"30"`, `"30s"`, `"1m30s"`, `"1h"`.
   * Throws ValueParseError for anything Argo would turn into its invalid marker (-1), for
   * negative durations, and for durations longer than an int32 number of seconds (~68 years).
   */
  static parse(input: number | string): Duration {
    const fail = (reason: string): never => {
      throw new ValueParseError('pause duration', input, reason, PAUSE_EXPECTED);
    };
    if (typeof input === 'number') {
      if (!Number.isInteger(input)) fail(Number.isFinite(input) ? 'a number must be a whole number of seconds' : 'not a finite number');
      if (input < 0) fail('must not be negative');
      if (input > Number(MAX_PAUSE_SECONDS)) fail(`more than ${MAX_PAUSE_SECONDS} seconds`);
      return new Duration(BigInt(input) * NANOS_PER_SECOND, input);
    }
    if (typeof input !== 'string') return fail('must be an integer or a string');

    if (/^[+-]?[0-9]+$/.test(input)) {
      // Argo first reads the string as a 32-bit integer number of seconds.
      const seconds = BigInt(input);
      if (seconds < 0n) fail('must not be negative');
      if (seconds > MAX_PAUSE_SECONDS) fail(`more than ${MAX_PAUSE_SECONDS} seconds`);
      return new Duration(seconds * NANOS_PER_SECOND, input);
    }
    const parsed = parseGoDuration(input);
    if (!parsed.ok) return fail(parsed.reason);
    if (parsed.nanoseconds < 0n) fail('must not be negative');
    const wholeSeconds = parsed.nanoseconds / NANOS_PER_SECOND; // bigint division truncates, like Go's int32(d.Seconds())
    if (wholeSeconds > MAX_PAUSE_SECONDS) fail(`more than ${MAX_PAUSE_SECONDS} seconds`);
    return new Duration(wholeSeconds * NANOS_PER_SECOND, input);
  }

  /**
   * Parses a Go duration string (`DurationString` fields): `"30s"`, `"5m"`, `"1h30m"`, `"250ms"`.
   * An empty string is refused here; callers treat `""` as "field not set", as Argo's omitempty does.
   */
  static parseDurationString(input: string): Duration {
    if (typeof input !== 'string') {
      throw new ValueParseError('duration', input, 'must be a string', DURATION_STRING_EXPECTED);
    }
    const parsed = parseGoDuration(input);
    if (!parsed.ok) throw new ValueParseError('duration', input, parsed.reason, DURATION_STRING_EXPECTED);
    return new Duration(parsed.nanoseconds, input);
  }

  static ofSeconds(seconds: number): Duration {
    return Duration.#ofUnits(seconds, 1e9, 'seconds');
  }

  static ofMilliseconds(milliseconds: number): Duration {
    return Duration.#ofUnits(milliseconds, 1e6, 'milliseconds');
  }

  static #ofUnits(amount: number, nanosPerUnit: number, unit: string): Duration {
    if (!Number.isFinite(amount)) throw new RangeError(`Duration: ${unit} must be finite, got ${amount}`);
    return new Duration(BigInt(Math.trunc(amount * nanosPerUnit)), undefined);
  }

  toNanoseconds(): bigint {
    return this.#nanoseconds;
  }

  /** Milliseconds; fractional only for sub-millisecond Go durations ("1500us" → 1.5). */
  toMilliseconds(): number {
    const whole = this.#nanoseconds / NANOS_PER_MILLISECOND;
    const rest = this.#nanoseconds % NANOS_PER_MILLISECOND;
    return Number(whole) + Number(rest) / 1e6;
  }

  /** Seconds, as Go's `Duration.Seconds()`; always whole for a pause duration. */
  toSeconds(): number {
    const whole = this.#nanoseconds / NANOS_PER_SECOND;
    const rest = this.#nanoseconds % NANOS_PER_SECOND;
    return Number(whole) + Number(rest) / 1e9;
  }

  isZero(): boolean {
    return this.#nanoseconds === 0n;
  }

  isNegative(): boolean {
    return this.#nanoseconds < 0n;
  }

  equals(other: Duration): boolean {
    return this.#nanoseconds === other.#nanoseconds;
  }

  compareTo(other: Duration): -1 | 0 | 1 {
    if (this.#nanoseconds === other.#nanoseconds) return 0;
    return this.#nanoseconds < other.#nanoseconds ? -1 : 1;
  }

  /** The point in time this long after `from` (millisecond precision, as Date has). */
  after(from: Date): Date {
    return new Date(from.getTime() + this.toMilliseconds());
  }

  /** Canonical Go form: "30s", "1m30s", "1h0m0s", "500ms", "0s". */
  toString(): string {
    return formatGoDuration(this.#nanoseconds);
  }

  /** The value as written on the wire, or the canonical Go form when built in code. */
  toJSON(): number | string {
    return this.source ?? this.toString();
  }
}
