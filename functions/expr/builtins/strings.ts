// String builtins (Go's strings package, byte offsets): trim, trimPrefix, trimSuffix, upper, lower, split,
// splitAfter, replace, repeat, join, indexOf, lastIndexOf, hasPrefix, hasSuffix.

import { byteIndexOf, byteLastIndexOf } from '../bytes.ts';
import { Fault } from '../errors.ts';
import { arrayOf, T } from '../types.ts';
import { goTypeOf, typedArray, type Value } from '../values.ts';
import { arrayArg, intArg, stringArg, typed, type Builtin } from './spec.ts';

const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u;

function trimWith(s: string, cut: (ch: string) => boolean, left: boolean, right: boolean): string {
  const chars = Array.from(s);
  let a = 0;
  let b = chars.length;
  if (left) while (a < b && cut(chars[a]!)) a++;
  if (right) while (b > a && cut(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

const trim = typed('trim', ['string', 'string'], 1, T.string, ([s, cutset]) => {
  const text = stringArg('trim', s!);
  if (cutset === undefined) return trimWith(text, (ch) => GO_SPACE.test(ch), true, true);
  const set = new Set(Array.from(stringArg('trim', cutset)));
  return trimWith(text, (ch) => set.has(ch), true, true);
});

const trimPrefix = typed('trimPrefix', ['string', 'string'], 1, T.string, ([s, p]) => {
  const text = stringArg('trimPrefix', s!);
  const prefix = p === undefined ? ' ' : stringArg('trimPrefix', p);
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
});

const trimSuffix = typed('trimSuffix', ['string', 'string'], 1, T.string, ([s, p]) => {
  const text = stringArg('trimSuffix', s!);
  const suffix = p === undefined ? ' ' : stringArg('trimSuffix', p);
  return suffix !== '' && text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
});

/** Go maps case rune by rune; a mapping that would change the length (ß → SS) is not applied. */
function mapCase(s: string, upper: boolean): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = '';
  for (const ch of s) {
    const mapped = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += Array.from(mapped).length === 1 ? mapped : ch;
  }
  return out;
}

const upper = typed('upper', ['string'], 0, T.string, ([s]) => mapCase(stringArg('upper', s!), true));
const lower = typed('lower', ['string'], 0, T.string, ([s]) => mapCase(stringArg('lower', s!), false));

/** Go's genSplit: n == 0 → none, n < 0 → all, n > 0 → at most n parts (the last holds the rest). */
function split(s: string, sep: string, keepSep: boolean, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const chars = Array.from(s);
    if (n < 0 || n >= chars.length) return chars;
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  const out: string[] = [];
  let rest = s;
  while (n < 0 || out.length < n - 1) {
    const m = rest.indexOf(sep);
    if (m < 0) break;
    out.push(rest.slice(0, keepSep ? m + sep.length : m));
    rest = rest.slice(m + sep.length);
  }
  out.push(rest);
  return out;
}

function splitter(name: string, keepSep: boolean): Builtin {
  return typed(name, ['string', 'string', 'int'], 1, arrayOf(T.string), ([s, sep, n], ctx) => {
    const text = stringArg(name, s!);
    const count = n === undefined ? -1 : Number(intArg(name, n));
    const parts = split(text, stringArg(name, sep!), keepSep, count);
    ctx.budget.alloc(parts.length + text.length);
    ctx.budget.step(parts.length);
    return typedArray(parts, '[]string');
  });
}

function replaceAll(s: string, old: string, replacement: string, n: number): string {
  if (old === replacement || n === 0) return s;
  if (old === '') {
    const chars = Array.from(s);
    const limit = n < 0 ? chars.length + 1 : Math.min(n, chars.length + 1);
    let out = '';
    for (let i = 0; i < chars.length; i++) out += (i < limit ? replacement : '') + chars[i];
    return out + (limit > chars.length ? replacement : '');
  }
  let out = '';
  let rest = s;
  let done = 0;
  while (n < 0 || done < n) {
    const m = rest.indexOf(old);
    if (m < 0) break;
    out += rest.slice(0, m) + replacement;
    rest = rest.slice(m + old.length);
    done++;
  }
  return out + rest;
}

const replace = typed('replace', ['string', 'string', 'string', 'int'], 1, T.string, ([s, old, rep, n], ctx) => {
  const text = stringArg('replace', s!);
  const from = stringArg('replace', old!);
  const to = stringArg('replace', rep!);
  const count = n === undefined ? -1 : Number(intArg('replace', n));
  const occurrences = from === '' ? Array.from(text).length + 1 : text.split(from).length - 1;
  const applied = count < 0 ? occurrences : Math.min(count, occurrences);
  ctx.budget.alloc(text.length + applied * to.length);
  return replaceAll(text, from, to, count);
});

const MAX_REPEAT = 1_000_000n;

const repeat = typed('repeat', ['string', 'int'], 0, T.string, ([s, n], ctx) => {
  const text = stringArg('repeat', s!);
  const count = intArg('repeat', n!);
  if (count < 0n) throw new Fault('strings: negative Repeat count');
  if (count > MAX_REPEAT) throw new Fault(`invalid argument for repeat: count ${count} is above the limit of ${MAX_REPEAT}`);
  ctx.budget.alloc(text.length * Number(count));
  return text.repeat(Number(count));
});

const join = typed('join', ['array', 'string'], 1, T.string, ([a, sep], ctx) => {
  const items = arrayArg('join', a!);
  const separator = sep === undefined ? '' : stringArg('join', sep);
  const parts = items.map((x: Value) => {
    if (typeof x !== 'string') throw new Fault(`invalid argument for join: element of type ${goTypeOf(x)} is not a string`);
    return x;
  });
  ctx.budget.alloc(parts.reduce((n, p) => n + p.length + separator.length, 0));
  return parts.join(separator);
});

const indexOf = typed('indexOf', ['string', 'string'], 0, T.int,
  ([s, sub]) => BigInt(byteIndexOf(stringArg('indexOf', s!), stringArg('indexOf', sub!))));
const lastIndexOf = typed('lastIndexOf', ['string', 'string'], 0, T.int,
  ([s, sub]) => BigInt(byteLastIndexOf(stringArg('lastIndexOf', s!), stringArg('lastIndexOf', sub!))));
const hasPrefix = typed('hasPrefix', ['string', 'string'], 0, T.bool,
  ([s, p]) => stringArg('hasPrefix', s!).startsWith(stringArg('hasPrefix', p!)));
const hasSuffix = typed('hasSuffix', ['string', 'string'], 0, T.bool,
  ([s, p]) => stringArg('hasSuffix', s!).endsWith(stringArg('hasSuffix', p!)));

export const STRING_BUILTINS: readonly Builtin[] = [
  trim, trimPrefix, trimSuffix, upper, lower, splitter('split', false), splitter('splitAfter', true), replace,
  repeat, join, indexOf, lastIndexOf, hasPrefix, hasSuffix,
];
