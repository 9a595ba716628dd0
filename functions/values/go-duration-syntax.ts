/**
 * The text form of Go's `time.Duration`: what `time.ParseDuration` accepts and what
 * `Duration.String()` prints. Argo uses this syntax for every `DurationString` field
 * (`interval`, `initialDelay`, experiment `duration`, …) and as the fallback for
 * `pause.duration`. Values are nanoseconds held in a bigint, because Go's range is int64.
 *
 * Accepted: an optional sign, then one or more `<number><unit>` pairs, where a number is
 * digits with an optional fraction (`1`, `1.5`, `.5`, `1.`) and a unit is one of
 * ns, us, µs (U+00B5), μs (U+03BC), ms, s, m, h. The bare string "0" (also "+0", "-0") is
 * the one unit-less form. No days, no spaces, no empty string.
 */

const NANOS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

/** 2^63: one past the largest positive duration; the magnitude of the most negative one. */
const MAGNITUDE_LIMIT = 1n << 63n;

export const GO_DURATION_UNITS = 'ns, us (or µs), ms, s, m, h';
export const GO_DURATION_EXAMPLES = '"30s", "1m30s", "1h", "500ms", "1.5h"';

export type GoDurationParse = { ok: true; nanoseconds: bigint } | { ok: false; reason: string };

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Parses Go duration syntax exactly as `time.ParseDuration` does (including its overflow limits). */
export function parseGoDuration(text: string): GoDurationParse {
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, nanoseconds: 0n };
  if (rest === '') return { ok: false, reason: text === '' ? 'empty string' : 'sign without a number' };

  let total = 0n;
  while (rest !== '') {
    if (!(rest[0] === '.' || isDigit(rest[0]))) {
      return { ok: false, reason: `expected a number at "${rest}"` };
    }
    // Whole part: Go refuses it outright once it passes 2^63.
    let i = 0;
    let whole = 0n;
    while (isDigit(rest[i])) {
      whole = whole * 10n + BigInt(rest.charCodeAt(i) - 48);
      if (whole > MAGNITUDE_LIMIT) return { ok: false, reason: 'out of range (more than about 292 years)' };
      i++;
    }
    const hasWhole = i > 0;
    rest = rest.slice(i);

    // Fraction: digits past what fits in an int64 are read but ignored, as Go does.
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      let j = 0;
      let saturated = false;
      while (isDigit(rest[j])) {
        if (!saturated) {
          const next = fraction * 10n + BigInt(rest.charCodeAt(j) - 48);
          if (fraction > (MAGNITUDE_LIMIT - 1n) / 10n || next > MAGNITUDE_LIMIT) {
            saturated = true;
          } else {
            fraction = next;
            scale *= 10;
          }
        }
        j++;
      }
      hasFraction = j > 0;
      rest = rest.slice(j);
    }
    if (!hasWhole && !hasFraction) return { ok: false, reason: 'a "." needs digits on at least one side' };

    let u = 0;
    while (u < rest.length && !(rest[u] === '.' || isDigit(rest[u]))) u++;
    if (u === 0) return { ok: false, reason: `missing unit; units are ${GO_DURATION_UNITS}` };
    const unit = rest.slice(0, u);
    rest = rest.slice(u);
    const perUnit = NANOS_PER_UNIT.get(unit);
    if (perUnit === undefined) {
      const hint = unit === 'd' ? ' (days are not supported, use h)' : '';
      return { ok: false, reason: `unknown unit "${unit}"${hint}; units are ${GO_DURATION_UNITS}` };
    }

    if (whole > MAGNITUDE_LIMIT / perUnit) return { ok: false, reason: 'out of range (more than about 292 years)' };
    let value = whole * perUnit;
    if (fraction > 0n) {
      // Go computes the fractional contribution in float64 and truncates it.
      value += BigInt(Math.trunc(Number(fraction) * (Number(perUnit) / scale)));
      if (value > MAGNITUDE_LIMIT) return { ok: false, reason: 'out of range (more than about 292 years)' };
    }
    total += value;
    if (total > MAGNITUDE_LIMIT) return { ok: false, reason: 'out of range (more than about 292 years)' };
  }
  if (negative) return { ok: true, nanoseconds: -total };
  if (total > MAGNITUDE_LIMIT - 1n) return { ok: false, reason: 'out of range (more than about 292 years)' };
  return { ok: true, nanoseconds: total };
}

/** Writes `digits` of a fixed-point number with `decimals` implied decimals, trailing zeros dropped. */
function fixedPoint(value: bigint, decimals: number): string {
  const divisor = 10n ** BigInt(decimals);
  const whole = value / divisor;
  const fraction = (value % divisor).toString().padStart(decimals, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** Formats nanoseconds the way Go's `Duration.String()` does: "1h0m0s", "1m30s", "1.5s", "500ms", "0s". */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const sign = nanoseconds < 0n ? '-' : '';
  const n = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (n < 1_000n) return `${sign}${n}ns`;
  if (n < 1_000_000n) return `${sign}${fixedPoint(n, 3)}\u00b5s`;
  if (n < 1_000_000_000n) return `${sign}${fixedPoint(n, 6)}ms`;
  const seconds = fixedPoint(n % 60_000_000_000n, 9);
  const totalMinutes = n / 60_000_000_000n;
  if (totalMinutes === 0n) return `${sign}${seconds}s`;
  const minutes = totalMinutes % 60n;
  const hours = totalMinutes / 60n;
  if (hours === 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${hours}h${minutes}m${seconds}s`;
}
