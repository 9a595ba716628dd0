// Go's time.ParseDuration and time.Parse (layout syntax "2006-01-02T15:04:05Z07:00"), for duration() and date().

import { Fault } from './errors.ts';
import { goQuote } from './format.ts';
import { GoTime } from './values.ts';

// ---- durations --------------------------------------------------------------------------------------------------

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n], ['us', 1_000n], ['µs', 1_000n], ['μs', 1_000n], ['ms', 1_000_000n], ['s', 1_000_000_000n],
  ['m', 60_000_000_000n], ['h', 3_600_000_000_000n],
]);
const MAX_DURATION = 2n ** 63n - 1n;

/** time.ParseDuration: "300ms", "-1.5h", "2h45m". No "d" unit. */
export function parseDuration(text: string): bigint {
  const invalid = (): never => { throw new Fault(`time: invalid duration ${goQuote(text)}`); };
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) { neg = s[0] === '-'; s = s.slice(1); }
  if (s === '0') return 0n;
  if (s === '') invalid();
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const whole = m[1]!;
    const frac = m[2];
    if (whole === '' && (frac === undefined || frac === '')) invalid();
    s = s.slice(m[0].length);
    const unitMatch = /^[^0-9.]+/.exec(s);
    if (!unitMatch) throw new Fault(`time: missing unit in duration ${goQuote(text)}`);
    const unitText = unitMatch[0];
    const unit = UNITS.get(unitText);
    if (unit === undefined) throw new Fault(`time: unknown unit ${goQuote(unitText)} in duration ${goQuote(text)}`);
    s = s.slice(unitText.length);
    let v = BigInt(whole === '' ? '0' : whole) * unit;
    if (frac) v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += v;
    if (total > MAX_DURATION + (neg ? 1n : 0n)) invalid();
  }
  return neg ? -total : total;
}

// ---- zones -------------------------------------------------------------------------------------------------------

export interface Zone {
  readonly name: string;
  /** Offset east of UTC in seconds at the given instant (milliseconds since the epoch). */
  offsetAt(utcMs: number): number;
  /** Abbreviation to print for the given instant. */
  abbreviationAt(utcMs: number): string;
}

export const UTC: Zone = { name: 'UTC', offsetAt: () => 0, abbreviationAt: () => 'UTC' };

const zoneCache = new Map<string, Zone>();

/** A time zone by IANA name ("Europe/Berlin"), from the runtime's built-in time-zone data. */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC' || name === 'Local') return UTC;
  const cached = zoneCache.get(name);
  if (cached) return cached;
  let numeric: Intl.DateTimeFormat;
  let short: Intl.DateTimeFormat;
  try {
    if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(name)) throw new RangeError('bad name');
    numeric = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric',
      minute: 'numeric', second: 'numeric', era: 'short',
    });
    short = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short' });
  } catch {
    throw new Fault(`unknown time zone ${name}`);
  }
  const zone: Zone = {
    name,
    offsetAt(utcMs: number): number {
      const parts: Record<string, string> = {};
      for (const p of numeric.formatToParts(new Date(utcMs))) parts[p.type] = p.value;
      let year = Number(parts.year);
      if (parts.era === 'B' || parts.era === 'BC') year = 1 - year;
      const local = civilToMs(year, Number(parts.month), Number(parts.day), Number(parts.hour),
        Number(parts.minute), Number(parts.second));
      const whole = Math.floor(utcMs / 1000) * 1000;
      return Math.round((local - whole) / 1000);
    },
    abbreviationAt(utcMs: number): string {
      return short.formatToParts(new Date(utcMs)).find((p) => p.type === 'timeZoneName')?.value ?? name;
    },
  };
  if (zoneCache.size < 64) zoneCache.set(name, zone);
  return zone;
}

/** Milliseconds since the epoch of a proleptic-Gregorian UTC wall-clock time (any year). */
export function civilToMs(year: number, month: number, day: number, hour: number, minute: number,
  second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function daysIn(year: number, month: number): number {
  return new Date(civilToMs(year, month + 1, 0, 0, 0, 0)).getUTCDate();
}

// ---- layouts ----------------------------------------------------------------------------------------------------

export const DEFAULT_DATE_LAYOUTS: readonly string[] = [
  '2006-01-02',
  '15:04:05',
  '2006-01-02 15:04:05',
  '2006-01-02T15:04:05Z07:00', // RFC3339
  '02 Jan 06 15:04 MST', // RFC822
  'Monday, 02-Jan-06 15:04:05 MST', // RFC850
  'Mon, 02 Jan 2006 15:04:05 MST', // RFC1123
];

// Longest first, so that "January" wins over "Jan", "2006" over "2", "Z07:00:00" over "Z07".
const CHUNKS = ['January', 'Monday', 'Z07:00:00', '-07:00:00', 'Z070000', '-070000', 'Z07:00', '-07:00',
  'Z0700', '-0700', '2006', '__2', '002', 'Jan', 'Mon', 'MST', 'Z07', '-07', '_2', '01', '02', '03', '04', '05',
  '06', '15', 'PM', 'pm', '1', '2', '3', '4', '5'];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Chunk = { literal: string } | { std: string };

function splitLayout(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  let i = 0;
  outer: while (i < layout.length) {
    // Fractional seconds: ".000"/",000" (fixed) or ".999"/",999" (optional), right after a digit field.
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac && /[0-9]$/.test(layout.slice(0, i))) {
      if (lit) { out.push({ literal: lit }); lit = ''; }
      out.push({ std: frac[0] });
      i += frac[0].length;
      continue;
    }
    for (const c of CHUNKS) {
      if (layout.startsWith(c, i)) {
        // "Jan"/"Mon" must not be the start of a longer lowercase word ("Monday" handled above).
        if ((c === 'Jan' || c === 'Mon') && /^[a-z]$/.test(layout[i + 3] ?? '')) break;
        if (lit) { out.push({ literal: lit }); lit = ''; }
        out.push({ std: c });
        i += c.length;
        continue outer;
      }
    }
    lit += layout[i];
    i++;
  }
  if (lit) out.push({ literal: lit });
  return out;
}

class ParseFailure extends Error {}

/** time.Parse / time.ParseInLocation. */
export function parseTime(layout: string, value: string, zone: Zone = UTC): GoTime {
  const fail = (what: string, rest: string): never => {
    throw new ParseFailure(`parsing time ${goQuote(value)} as ${goQuote(layout)}: cannot parse ${goQuote(rest)} as ${goQuote(what)}`);
  };
  let rest = value;
  let year = 0; let month = 1; let day = 1; let hour = 0; let minute = 0; let second = 0; let nanos = 0;
  let pm: boolean | undefined;
  let hour12 = false;
  let offset: number | undefined;
  let abbreviation: string | undefined;
  const num = (std: string, min: number, max: number, fixed: boolean): number => {
    const m = (fixed ? new RegExp(`^\\d{${max}}`) : new RegExp(`^\\d{${min},${max}}`)).exec(rest);
    if (!m) return fail(std, rest);
    rest = rest.slice(m[0].length);
    return Number(m[0]);
  };
  const range = (v: number, lo: number, hi: number, what: string): number => {
    if (v < lo || v > hi) throw new ParseFailure(`parsing time ${goQuote(value)}: ${what} out of range`);
    return v;
  };
  const fraction = (): void => {
    const m = /^[.,](\d+)/.exec(rest);
    if (m) {
      nanos = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
      rest = rest.slice(m[0].length);
    }
  };
  const chunks = splitLayout(layout);
  for (let ci = 0; ci < chunks.length; ci++) {
    const chunk = chunks[ci]!;
    if ('literal' in chunk) {
      if (!rest.startsWith(chunk.literal)) fail(chunk.literal, rest);
      rest = rest.slice(chunk.literal.length);
      continue;
    }
    const std = chunk.std;
    switch (std) {
      case '2006': year = num(std, 4, 4, true); break;
      case '06': { const y = num(std, 2, 2, true); year = y >= 69 ? 1900 + y : 2000 + y; break; }
      case 'January': case 'Jan': {
        const idx = MONTHS.findIndex((m) => rest.toLowerCase().startsWith((std === 'Jan' ? m.slice(0, 3) : m).toLowerCase()));
        if (idx < 0) fail(std, rest);
        rest = rest.slice(std === 'Jan' ? 3 : MONTHS[idx]!.length);
        month = idx + 1;
        break;
      }
      case 'Monday': case 'Mon': {
        const idx = DAYS.findIndex((d) => rest.toLowerCase().startsWith((std === 'Mon' ? d.slice(0, 3) : d).toLowerCase()));
        if (idx < 0) fail(std, rest);
        rest = rest.slice(std === 'Mon' ? 3 : DAYS[idx]!.length);
        break;
      }
      case '01': month = range(num(std, 2, 2, true), 1, 12, 'month'); break;
      case '1': month = range(num(std, 1, 2, false), 1, 12, 'month'); break;
      case '02': day = num(std, 2, 2, true); break;
      case '_2': if (rest.startsWith(' ')) rest = rest.slice(1); day = num(std, 1, 2, false); break;
      case '2': day = num(std, 1, 2, false); break;
      case '__2': case '002': num(std, 3, 3, std === '002'); break;
      case '15': hour = range(num(std, 1, 2, false), 0, 23, 'hour'); break;
      case '03': hour = range(num(std, 2, 2, true), 0, 12, 'hour'); hour12 = true; break;
      case '3': hour = range(num(std, 1, 2, false), 0, 12, 'hour'); hour12 = true; break;
      case '04': minute = range(num(std, 2, 2, true), 0, 59, 'minute'); break;
      case '4': minute = range(num(std, 1, 2, false), 0, 59, 'minute'); break;
      case '05': case '5': {
        second = range(num(std, std === '05' ? 2 : 1, 2, std === '05'), 0, 59, 'second');
        // A fractional second is accepted after the seconds even when the layout has none.
        const nextChunk = chunks[ci + 1];
        if (!(nextChunk && 'std' in nextChunk && /^[.,]/.test(nextChunk.std))) fraction();
        break;
      }
      case 'PM': case 'pm': {
        const m = /^(AM|PM|am|pm)/.exec(rest);
        if (!m) fail(std, rest);
        pm = m![0].toUpperCase() === 'PM';
        rest = rest.slice(2);
        break;
      }
      case 'MST': {
        const m = /^(UTC|GMT|[A-Z]{3,5})/.exec(rest);
        if (!m) fail(std, rest);
        abbreviation = m![0];
        rest = rest.slice(m![0].length);
        if (abbreviation === 'UTC' || abbreviation === 'GMT') offset = 0;
        break;
      }
      default: {
        if (std.startsWith('Z') || std.startsWith('-')) {
          if (std.startsWith('Z') && rest.startsWith('Z')) { rest = rest.slice(1); offset = 0; break; }
          const colon = std.includes(':');
          const parts = std.replace(/^[Z-]/, '').replace(/:/g, '').length / 2;
          const re = new RegExp(`^([+-])(\\d\\d)${parts >= 2 ? (colon ? ':(\\d\\d)' : '(\\d\\d)') : '()'}` +
            `${parts >= 3 ? (colon ? ':(\\d\\d)' : '(\\d\\d)') : '()'}`);
          const m = re.exec(rest);
          if (!m) fail(std, rest);
          const sign = m![1] === '-' ? -1 : 1;
          offset = sign * (Number(m![2]) * 3600 + Number(m![3] || 0) * 60 + Number(m![4] || 0));
          rest = rest.slice(m![0].length);
          break;
        }
        if (/^[.,]/.test(std)) {
          const fixed = std[1] === '0';
          const digits = std.length - 1;
          const m = (fixed ? new RegExp(`^[.,](\\d{${digits}})`) : /^[.,](\d+)/).exec(rest);
          if (m) {
            nanos = Number(m[1]!.slice(0, 9).padEnd(9, '0'));
            rest = rest.slice(m[0].length);
          } else if (fixed) fail(std, rest);
          break;
        }
        fail(std, rest);
      }
    }
  }
  if (rest !== '') {
    throw new ParseFailure(`parsing time ${goQuote(value)} as ${goQuote(layout)}: extra text: ${goQuote(rest)}`);
  }
  if (hour12) {
    if (pm === true && hour < 12) hour += 12;
    else if (pm === false && hour === 12) hour = 0;
  }
  if (day < 1 || day > daysIn(year, month)) {
    throw new ParseFailure(`parsing time ${goQuote(value)}: day out of range`);
  }
  const wallMs = civilToMs(year, month, day, hour, minute, second);
  let off: number;
  let name: string;
  if (offset !== undefined) {
    off = offset;
    name = abbreviation ?? (offset === 0 ? 'UTC' : formatOffsetName(offset));
  } else if (abbreviation !== undefined) {
    off = 0;
    name = abbreviation;
  } else {
    // Wall clock in the zone: find the offset in force at that local time.
    off = zone.offsetAt(wallMs);
    off = zone.offsetAt(wallMs - off * 1000);
    name = zone.abbreviationAt(wallMs - off * 1000);
  }
  const ns = (BigInt(wallMs) - BigInt(off) * 1000n) * 1_000_000n + BigInt(nanos);
  return new GoTime(ns, off, name);
}

function formatOffsetName(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  return `${sign}${String(Math.floor(abs / 3600)).padStart(2, '0')}${String(Math.floor(abs / 60) % 60).padStart(2, '0')}`;
}

/** date(value[, layout[, zone]]). */
export function parseDate(value: string, layout: string | undefined, zoneName: string | undefined): GoTime {
  const zone = zoneName === undefined ? UTC : loadZone(zoneName);
  if (layout !== undefined) {
    try {
      return parseTime(layout, value, zone);
    } catch (e) {
      if (e instanceof ParseFailure) throw new Fault(e.message);
      throw e;
    }
  }
  for (const candidate of DEFAULT_DATE_LAYOUTS) {
    try {
      return parseTime(candidate, value, zone);
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
    }
  }
  throw new Fault(`cannot parse ${goQuote(value)} as a date (tried the layouts ${DEFAULT_DATE_LAYOUTS.join(', ')})`);
}

/** The time a caller passes in as "now". */
export function timeFromDate(d: Date): GoTime {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new Fault('the evaluation time is an invalid Date');
  return new GoTime(BigInt(ms) * 1_000_000n);
}
