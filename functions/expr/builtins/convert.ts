// Go's string → number parsing (strconv) and float → int conversion, shared by int(), float(), asInt(), asFloat().

import { goQuote } from '../format.ts';
import { INT64_MAX, INT64_MIN } from '../values.ts';

/** Go's int64(f) on amd64: truncation; NaN and out-of-range values give the "integer indefinite" INT64_MIN. */
export function truncateToInt(f: number): bigint {
  if (!Number.isFinite(f) || f >= 9223372036854775808 || f < -9223372036854775808) return INT64_MIN;
  return BigInt(Math.trunc(f));
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: 'invalid syntax' | 'value out of range' };

/** strconv.ParseInt(s, 10, 64). */
export function parseGoInt(s: string): Parsed<bigint> {
  if (!/^[+-]?[0-9]+$/.test(s)) return { ok: false, reason: 'invalid syntax' };
  const value = BigInt(s);
  if (value > INT64_MAX || value < INT64_MIN) return { ok: false, reason: 'value out of range' };
  return { ok: true, value };
}

/** strconv.ParseFloat(s, 64). */
export function parseGoFloat(s: string): Parsed<number> {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return { ok: true, value: NaN };
    return { ok: true, value: special[1] === '-' ? -Infinity : Infinity };
  }
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) {
    const value = Number(s);
    if (!Number.isFinite(value)) return { ok: false, reason: 'value out of range' };
    return { ok: true, value };
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9]+)$/.exec(s);
  if (hex) {
    const whole = hex[2]!.replaceAll('_', '');
    const frac = (hex[3] ?? '').replaceAll('_', '');
    if (whole === '' && frac === '') return { ok: false, reason: 'invalid syntax' };
    let mantissa = 0;
    for (const d of whole + frac) mantissa = mantissa * 16 + parseInt(d, 16);
    const value = mantissa * Math.pow(2, Number(hex[4]) - 4 * frac.length);
    if (!Number.isFinite(value)) return { ok: false, reason: 'value out of range' };
    return { ok: true, value: hex[1] === '-' ? -value : value };
  }
  return { ok: false, reason: 'invalid syntax' };
}

export function strconvMessage(fn: 'ParseInt' | 'ParseFloat' | 'Atoi', s: string, reason: string): string {
  return `strconv.${fn}: parsing ${goQuote(s)}: ${reason}`;
}
