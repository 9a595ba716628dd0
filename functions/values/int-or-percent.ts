import { ValueParseError } from './value-parse-error.ts';

/** Largest value Ramp accepts, the int32 range an IntOrString's integer has on the wire. */
const MAX_VALUE = 2_147_483_647;

export type IntOrPercentInput = number | string;
export type Rounding = 'up' | 'down';

const ARGO_EXPECTED =
  'a non-negative integer number of pods (3) or a percentage string ("25%"; Argo also reads a string without "%", such as "25", as a percentage)';
const STRICT_EXPECTED = 'a non-negative integer number of pods (3) or a percentage string ending in "%" ("25%")';

/**
 * A Kubernetes IntOrString that means "so many pods, or so many percent of a total":
 * canary/blue-green `maxSurge` and `maxUnavailable`.
 *
 * Two readings of a string exist, and Argo uses the lenient one:
 * - `IntOrPercent.parse` — Argo's rule (apimachinery's deprecated `GetValueFromIntOrPercent`):
 *   EVERY string is a percentage. `"3"` is 3 %, `"25%"` is 25 %, the integer `3` is 3 pods.
 *   Argo's own default is the string `"25"`, i.e. 25 %.
 * - `IntOrPercent.parseStrict` — Kubernetes' current rule (`GetScaledValueFromIntOrPercent`):
 *   a string must end in `"%"`.
 *
 * Both refuse negative values (Argo accepts them and then computes nonsense budgets) and
 * strings with a `"%"` anywhere but at the end (Go strips every `"%"`, so it would read `"2%5"`
 * as 25 %). Values above 100 % are accepted: a surge may exceed the replica count, and
 * Argo caps maxUnavailable at the replica count where it is used.
 */
export class IntOrPercent {
  readonly kind: 'int' | 'percent';
  /** Pods when kind is 'int', percent when kind is 'percent'. */
  readonly value: number;
  /** The wire value this was parsed from; undefined when built with `ofInt`/`ofPercent`. */
  readonly source: IntOrPercentInput | undefined;

  private constructor(kind: 'int' | 'percent', value: number, source: IntOrPercentInput | undefined) {
    this.kind = kind;
    this.value = value;
    this.source = source;
  }

  /** Argo's reading: an integer is pods, any string (with or without "%") is a percentage. */
  static parse(input: IntOrPercentInput): IntOrPercent {
    return IntOrPercent.#parse(input, false);
  }

  /** Kubernetes' reading: an integer is pods, a string must be a percentage ending in "%". */
  static parseStrict(input: IntOrPercentInput): IntOrPercent {
    return IntOrPercent.#parse(input, true);
  }

  /** Accepts an already-parsed value or a raw wire value (read the Argo way). */
  static from(input: IntOrPercent | IntOrPercentInput): IntOrPercent {
    return input instanceof IntOrPercent ? input : IntOrPercent.parse(input);
  }

  static ofInt(pods: number): IntOrPercent {
    IntOrPercent.#checkRange(pods, 'ofInt');
    return new IntOrPercent('int', pods, undefined);
  }

  static ofPercent(percent: number): IntOrPercent {
    IntOrPercent.#checkRange(percent, 'ofPercent');
    return new IntOrPercent('percent', percent, undefined);
  }

  static #checkRange(n: number, fn: string): void {
    if (!Number.isInteger(n) || n < 0 || n > MAX_VALUE) {
      throw new RangeError(`IntOrPercent.${fn}: expected an integer between 0 and ${MAX_VALUE}, got ${n}`);
    }
  }

  static #parse(input: IntOrPercentInput, strict: boolean): IntOrPercent {
    const expected = strict ? STRICT_EXPECTED : ARGO_EXPECTED;
    const fail = (reason: string): never => {
      throw new ValueParseError('int-or-percent', input, reason, expected);
    };
    if (typeof input === 'number') {
      if (!Number.isInteger(input)) fail(Number.isFinite(input) ? 'a number must be a whole number of pods' : 'not a finite number');
      if (input < 0) fail('must not be negative');
      if (input > MAX_VALUE) fail(`more than ${MAX_VALUE}`);
      return new IntOrPercent('int', input, input);
    }
    if (typeof input !== 'string') return fail('must be an integer or a string');

    if (input.trim() !== input) return fail('has surrounding whitespace');
    const percentSign = input.endsWith('%');
    const number = percentSign ? input.slice(0, -1) : input;
    if (number.includes('%')) return fail('"%" may only appear once, at the end');
    const match = /^([+-]?)([0-9]+)$/.exec(number);
    if (match === null) return fail(percentSign ? 'the part before "%" is not an integer' : 'not an integer or a percentage');
    if (strict && !percentSign) fail('a string must end in "%"');
    const [, sign, digits = ''] = match;
    const magnitude = Number(digits);
    if (magnitude > MAX_VALUE) fail(`more than ${MAX_VALUE}`);
    if (sign === '-' && magnitude !== 0) fail('must not be negative');
    return new IntOrPercent('percent', magnitude, input);
  }

  /**
   * The number of pods this stands for out of `total`: an integer as is, a percentage as
   * value × total / 100 rounded up (maxSurge) or down (maxUnavailable).
   */
  resolve(total: number, rounding: Rounding): number {
    if (!Number.isInteger(total) || total < 0) {
      throw new RangeError(`IntOrPercent.resolve: total must be a non-negative integer, got ${total}`);
    }
    if (this.kind === 'int') return this.value;
    const exact = (this.value * total) / 100;
    return rounding === 'up' ? Math.ceil(exact) : Math.floor(exact);
  }

  isZero(): boolean {
    return this.value === 0;
  }

  equals(other: IntOrPercent): boolean {
    return this.kind === other.kind && this.value === other.value;
  }

  /** "3" for pods, "25%" for a percentage (the canonical strict form). */
  toString(): string {
    return this.kind === 'int' ? String(this.value) : `${this.value}%`;
  }

  /** The value as written on the wire, or the canonical form when built in code. */
  toJSON(): IntOrPercentInput {
    return this.source ?? (this.kind === 'int' ? this.value : `${this.value}%`);
  }
}
