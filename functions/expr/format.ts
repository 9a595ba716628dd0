// Go's text forms of values: fmt's %v (used by string() and in messages), strconv.Quote, time.Duration's
// String(), time.Time's String(), and encoding/json's MarshalIndent (toJSON).

import { Fault } from './errors.ts';
import { GoDuration, GoTime, type MapKey, type Value } from './values.ts';

const MAX_FORMAT_DEPTH = 512;

/** fmt's %v for a float64: shortest round-trip digits, exponent form when the exponent is < -4 or >= 6. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return goExponent(mantissa, exp);
  return String(f);
}

function goExponent(mantissa: string, exp: number): string {
  const abs = Math.abs(exp);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

/** Go's strconv.Quote, enough for messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    out += cp < 0x20 || cp === 0x7f ? `\\x${cp.toString(16).padStart(2, '0')}` : ch;
  }
  return out + '"';
}

/** Compares strings by code point, which is UTF-8 byte order (Go's string order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above U+FFFF, which sort after U+E000–FFFF in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs && !ys && y >= 0xe000) return 1;
    if (ys && !xs && x >= 0xe000) return -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function compareKeys(a: MapKey, b: MapKey): number {
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const rank = (k: MapKey): number => k === null ? 0 : typeof k === 'boolean' ? 1 : typeof k === 'bigint' ? 2
    : typeof k === 'number' ? 3 : 4;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function sortedEntries(m: ReadonlyMap<MapKey, Value>): [MapKey, Value][] {
  return [...m.entries()].sort((x, y) => compareKeys(x[0], y[0]));
}

/** fmt's %v. */
export function formatValue(v: Value, depth = 0): string {
  if (depth > MAX_FORMAT_DEPTH) throw new Fault('value is nested too deeply to format', 'limit');
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
    case 'number': return formatFloat(v);
    case 'string': return v;
  }
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, depth + 1)).join(' ')}]`;
  if (v instanceof Map) {
    const parts = sortedEntries(v).map(([k, x]) => `${formatValue(k, depth + 1)}:${formatValue(x, depth + 1)}`);
    return `map[${parts.join(' ')}]`;
  }
  if (v instanceof GoTime) return formatTime(v);
  if (v instanceof GoDuration) return formatDuration(v.ns);
  return '?';
}

// ---- time.Duration -------------------------------------------------------------------------------------------

/** Go's time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function formatDuration(ns: bigint): string {
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1_000n) { prec = 0; unit = 'ns'; } else if (u < 1_000_000n) { prec = 3; unit = 'µs'; } else {
      prec = 6; unit = 'ms';
    }
    const [frac, rest] = fraction(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const [frac, secondsTotal] = fraction(u, 9);
    u = secondsTotal;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Splits v into v / 10^prec and a ".ddd" fraction without trailing zeros (empty when zero). */
function fraction(v: bigint, prec: number): [string, bigint] {
  if (prec === 0) return ['', v];
  const scale = 10n ** BigInt(prec);
  const frac = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return [frac === '' ? '' : `.${frac}`, v / scale];
}

// ---- time.Time -----------------------------------------------------------------------------------------------

export interface Civil {
  year: number; month: number; day: number; hour: number; minute: number; second: number; nanos: number;
  weekday: number;
}

/** Wall-clock fields of a time in its own zone. */
export function civilOf(t: GoTime): Civil {
  const local = t.ns + BigInt(t.offsetSeconds) * 1_000_000_000n;
  let seconds = local / 1_000_000_000n;
  let nanos = local % 1_000_000_000n;
  if (nanos < 0n) { nanos += 1_000_000_000n; seconds -= 1n; }
  const d = new Date(Number(seconds) * 1000);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(),
    minute: d.getUTCMinutes(), second: d.getUTCSeconds(), nanos: Number(nanos), weekday: d.getUTCDay(),
  };
}

const pad = (n: number, width: number): string => String(Math.abs(n)).padStart(width, '0');

function formatOffset(seconds: number, colon: boolean): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  return `${sign}${pad(Math.floor(abs / 3600), 2)}${colon ? ':' : ''}${pad(Math.floor(abs / 60) % 60, 2)}`;
}

function formatYear(year: number): string {
  return year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
}

/** Go's time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST". */
export function formatTime(t: GoTime): string {
  const c = civilOf(t);
  const frac = c.nanos === 0 ? '' : '.' + pad(c.nanos, 9).replace(/0+$/, '');
  return `${formatYear(c.year)}-${pad(c.month, 2)}-${pad(c.day, 2)} ${pad(c.hour, 2)}:${pad(c.minute, 2)}:` +
    `${pad(c.second, 2)}${frac} ${formatOffset(t.offsetSeconds, false)} ${t.zone}`;
}

/** RFC 3339 with nanoseconds, as encoding/json writes a time.Time. */
export function formatRFC3339Nano(t: GoTime): string {
  const c = civilOf(t);
  const frac = c.nanos === 0 ? '' : '.' + pad(c.nanos, 9).replace(/0+$/, '');
  const zone = t.offsetSeconds === 0 ? 'Z' : formatOffset(t.offsetSeconds, true);
  return `${formatYear(c.year)}-${pad(c.month, 2)}-${pad(c.day, 2)}T${pad(c.hour, 2)}:${pad(c.minute, 2)}:` +
    `${pad(c.second, 2)}${frac}${zone}`;
}

// ---- encoding/json -----------------------------------------------------------------------------------------

function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) {
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out + '"';
}

/** json.MarshalIndent(v, "", "  "). */
export function toJSONText(v: Value, indent = '', depth = 0): string {
  if (depth > MAX_FORMAT_DEPTH) throw new Fault('value is nested too deeply to encode', 'limit');
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
    case 'number':
      if (!Number.isFinite(v)) throw new Fault(`json: unsupported value: ${formatFloat(v)}`);
      return Object.is(v, -0) ? '-0' : String(v);
    case 'string': return jsonString(v);
  }
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + toJSONText(x, inner, depth + 1)).join(',\n')}\n${indent}]`;
  }
  if (v instanceof Map) {
    if (v.size === 0) return '{}';
    const parts = sortedEntries(v).map(([k, x]) =>
      `${inner}${jsonString(typeof k === 'string' ? k : formatValue(k))}: ${toJSONText(x, inner, depth + 1)}`);
    return `{\n${parts.join(',\n')}\n${indent}}`;
  }
  if (v instanceof GoTime) return jsonString(formatRFC3339Nano(v));
  if (v instanceof GoDuration) return v.ns.toString();
  return 'null';
}
