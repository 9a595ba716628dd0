// Parser for Go's RE2 regular-expression syntax (the syntax `matches` uses), into a small tree. Error texts
// follow Go's regexp/syntax ("error parsing regexp: missing closing ]: `[a`").

export interface CharMatcher {
  test(cp: number): boolean;
}

export type AssertKind = 'bol' | 'eol' | 'bot' | 'eot' | 'word' | 'nonword';

export type Regex =
  | { readonly t: 'empty' }
  | { readonly t: 'char'; readonly match: CharMatcher }
  | { readonly t: 'cat'; readonly items: readonly Regex[] }
  | { readonly t: 'alt'; readonly items: readonly Regex[] }
  | { readonly t: 'repeat'; readonly sub: Regex; readonly min: number; readonly max: number }
  | { readonly t: 'assert'; readonly kind: AssertKind };

export class RegexSyntaxError extends Error {
  constructor(code: string, arg: string) {
    super(`error parsing regexp: ${code}: \`${arg}\``);
    this.name = 'RegexSyntaxError';
  }
}

interface Flags {
  readonly i: boolean; // case-insensitive
  readonly m: boolean; // ^ and $ match at line boundaries
  readonly s: boolean; // . matches \n
}

const MAX_REPEAT = 1000;

// ---- character sets ---------------------------------------------------------------------------------------------

type Range = readonly [number, number];

class CharClass implements CharMatcher {
  readonly ranges: Range[] = [];
  readonly predicates: ((cp: number) => boolean)[] = [];
  negated = false;
  foldCase = false;

  private inSet(cp: number): boolean {
    for (const [lo, hi] of this.ranges) if (cp >= lo && cp <= hi) return true;
    for (const p of this.predicates) if (p(cp)) return true;
    return false;
  }
  test(cp: number): boolean {
    let found = this.inSet(cp);
    if (!found && this.foldCase) found = caseVariants(cp).some((v) => this.inSet(v));
    return found !== this.negated;
  }
}

const variantCache = new Map<number, number[]>();

/** Code points equal to cp under simple case folding (approximated by JS per-code-point case mapping). */
export function caseVariants(cp: number): number[] {
  const cached = variantCache.get(cp);
  if (cached) return cached;
  const out = new Set<number>([cp]);
  const add = (s: string): void => {
    const chars = Array.from(s);
    if (chars.length === 1) out.add(chars[0]!.codePointAt(0)!);
  };
  const s = String.fromCodePoint(cp);
  add(s.toLowerCase());
  add(s.toUpperCase());
  for (const v of [...out]) {
    const t = String.fromCodePoint(v);
    add(t.toLowerCase());
    add(t.toUpperCase());
  }
  const result = [...out];
  if (variantCache.size < 4096) variantCache.set(cp, result);
  return result;
}

function literal(cp: number, fold: boolean): CharMatcher {
  if (!fold) return { test: (x) => x === cp };
  const variants = caseVariants(cp);
  return { test: (x) => variants.includes(x) || caseVariants(x).includes(cp) };
}

const NEWLINE = 0x0a;
const ANY: CharMatcher = { test: () => true };
const ANY_BUT_NEWLINE: CharMatcher = { test: (x) => x !== NEWLINE };

const PERL: Readonly<Record<string, readonly Range[]>> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

const POSIX: Readonly<Record<string, readonly Range[]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

const GENERAL_CATEGORIES = new Set(['C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc',
  'Me', 'Mn', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So',
  'Z', 'Zl', 'Zp', 'Zs']);

const unicodeCache = new Map<string, ((cp: number) => boolean) | null>();

/** A Unicode class by Go name (general category or script). The JS RegExp built here tests one character. */
function unicodeClass(name: string): ((cp: number) => boolean) | null {
  if (unicodeCache.has(name)) return unicodeCache.get(name)!;
  let result: ((cp: number) => boolean) | null = null;
  if (name === 'Any') result = () => true;
  else if (/^[A-Za-z_]{1,40}$/.test(name)) {
    try {
      const re = new RegExp(GENERAL_CATEGORIES.has(name) ? `^\\p{gc=${name}}$` : `^\\p{Script=${name}}$`, 'u');
      result = (cp) => re.test(String.fromCodePoint(cp));
    } catch {
      result = null;
    }
  }
  if (unicodeCache.size < 256) unicodeCache.set(name, result);
  return result;
}

// ---- parser ---------------------------------------------------------------------------------------------------

export function parseRegex(pattern: string): Regex {
  return new RegexParser(pattern).parse();
}

const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);

class RegexParser {
  private readonly chars: string[];
  private readonly source: string;
  private pos = 0;
  private depth = 0;

  constructor(source: string) {
    this.source = source;
    this.chars = Array.from(source);
  }

  parse(): Regex {
    const re = this.parseAlternation({ i: false, m: false, s: false });
    if (this.pos < this.chars.length) {
      // Only an unmatched ")" stops the top-level alternation early.
      throw new RegexSyntaxError('unexpected )', this.source);
    }
    return re;
  }

  private peek(ahead = 0): string | undefined {
    return this.chars[this.pos + ahead];
  }
  private rest(from: number): string {
    return this.chars.slice(from).join('');
  }

  private parseAlternation(flags: Flags): Regex {
    const items: Regex[] = [];
    let current = flags;
    for (;;) {
      const [concat, after] = this.parseConcat(current);
      items.push(concat);
      current = after;
      if (this.peek() !== '|') break;
      this.pos++;
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  /** Returns the concatenation and the flags in force after it (a bare `(?i)` changes them). */
  private parseConcat(flags: Flags): [Regex, Flags] {
    const items: Regex[] = [];
    let current = flags;
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      if (c === '(' && this.peek(1) === '?') {
        const set = this.tryFlagGroup(current);
        if (set) { current = set; continue; }
      }
      const start = this.pos;
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.repeatAt(this.pos))) {
        const end = c === '{' ? this.repeatAt(this.pos)!.end : this.pos + 1;
        throw new RegexSyntaxError('missing argument to repetition operator', this.chars.slice(start, end).join(''));
      }
      items.push(this.parseRepeat(this.parseAtom(current)));
    }
    if (items.length === 0) return [{ t: 'empty' }, current];
    return [items.length === 1 ? items[0]! : { t: 'cat', items }, current];
  }

  private repeatAt(at: number): { min: number; max: number; end: number } | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(at, at + 24).join(''));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    return { min, max, end: at + Array.from(m[0]).length };
  }

  private parseRepeat(atom: Regex): Regex {
    let re = atom;
    let lastOpStart = -1;
    for (;;) {
      const c = this.peek();
      const opStart = this.pos;
      let min: number;
      let max: number;
      if (c === '*') { min = 0; max = -1; this.pos++; } else if (c === '+') { min = 1; max = -1; this.pos++; } else if (c === '?') {
        min = 0; max = 1; this.pos++;
      } else if (c === '{' && this.repeatAt(this.pos)) {
        const r = this.repeatAt(this.pos)!;
        min = r.min;
        max = r.max;
        this.pos = r.end;
        if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
          throw new RegexSyntaxError('invalid repeat count', this.chars.slice(opStart, this.pos).join(''));
        }
      } else break;
      if (this.peek() === '?') this.pos++; // non-greedy: same language, so the same answer for a boolean match
      if (lastOpStart >= 0) {
        throw new RegexSyntaxError('invalid nested repetition operator', this.chars.slice(lastOpStart, this.pos).join(''));
      }
      lastOpStart = opStart;
      re = { t: 'repeat', sub: re, min, max };
    }
    return re;
  }

  /** `(?flags)` on its own: returns the new flags; `(?flags:…)` and other groups are left to parseAtom. */
  private tryFlagGroup(flags: Flags): Flags | undefined {
    const m = /^\(\?([imsU]*(?:-[imsU]*)?)\)/.exec(this.chars.slice(this.pos, this.pos + 16).join(''));
    if (!m) return undefined;
    this.pos += m[0].length;
    return applyFlags(flags, m[1]!, m[0]);
  }

  private parseAtom(flags: Flags): Regex {
    const start = this.pos;
    const c = this.chars[this.pos++]!;
    switch (c) {
      case '(': return this.parseGroup(flags, start);
      case '[': return { t: 'char', match: this.parseClass(flags, start) };
      case '.': return { t: 'char', match: flags.s ? ANY : ANY_BUT_NEWLINE };
      case '^': return { t: 'assert', kind: flags.m ? 'bol' : 'bot' };
      case '$': return { t: 'assert', kind: flags.m ? 'eol' : 'eot' };
      case '\\': return this.parseEscape(flags, start);
      default: return { t: 'char', match: literal(c.codePointAt(0)!, flags.i) };
    }
  }

  private parseGroup(flags: Flags, start: number): Regex {
    if (++this.depth > 1000) throw new RegexSyntaxError('expression nests too deeply', this.source);
    let inner = flags;
    if (this.peek() === '?') {
      const text = this.chars.slice(start, start + 40).join('');
      const named = /^\(\?P?<([^>]*)>/.exec(text);
      if (named && !text.startsWith('(?<=') && !text.startsWith('(?<!')) {
        if (!/^[A-Za-z0-9_]+$/.test(named[1]!)) throw new RegexSyntaxError('invalid named capture', named[0]);
        this.pos = start + Array.from(named[0]).length;
      } else {
        const scoped = /^\(\?([imsU]*(?:-[imsU]*)?):/.exec(text);
        if (!scoped) {
          const shown = /^\(\?(<[=!]|[=!]|P=|[^)]?)/.exec(text)![0];
          throw new RegexSyntaxError('invalid or unsupported Perl syntax', shown);
        }
        inner = applyFlags(flags, scoped[1]!, scoped[0]);
        this.pos = start + scoped[0].length;
      }
    }
    const body = this.parseAlternation(inner);
    if (this.peek() !== ')') throw new RegexSyntaxError('missing closing )', this.source);
    this.pos++;
    this.depth--;
    return body;
  }

  private parseEscape(flags: Flags, start: number): Regex {
    const c = this.peek();
    if (c === undefined) throw new RegexSyntaxError('trailing backslash at end of expression', '');
    switch (c) {
      case 'A': this.pos++; return { t: 'assert', kind: 'bot' };
      case 'z': this.pos++; return { t: 'assert', kind: 'eot' };
      case 'b': this.pos++; return { t: 'assert', kind: 'word' };
      case 'B': this.pos++; return { t: 'assert', kind: 'nonword' };
      case 'Q': {
        this.pos++;
        const items: Regex[] = [];
        while (this.pos < this.chars.length && !(this.peek() === '\\' && this.peek(1) === 'E')) {
          items.push({ t: 'char', match: literal(this.chars[this.pos++]!.codePointAt(0)!, flags.i) });
        }
        if (this.peek() === '\\') this.pos += 2;
        return items.length === 0 ? { t: 'empty' } : { t: 'cat', items };
      }
    }
    const cls = new CharClass();
    cls.foldCase = flags.i;
    if (this.classEscape(cls, start)) return { t: 'char', match: cls };
    return { t: 'char', match: literal(this.singleEscape(start), flags.i) };
  }

  /** \d \s \w \D \S \W \pX \p{…} \PX: adds to cls and returns true; otherwise consumes nothing. */
  private classEscape(cls: CharClass, start: number): boolean {
    const c = this.peek();
    if (c === undefined) return false;
    const perl = PERL[c.toLowerCase()];
    if (perl && 'dswDSW'.includes(c)) {
      this.pos++;
      if (c === c.toLowerCase()) cls.ranges.push(...perl);
      else cls.predicates.push((cp) => !perl.some(([lo, hi]) => cp >= lo && cp <= hi));
      return true;
    }
    if (c === 'p' || c === 'P') {
      this.pos++;
      let name: string;
      if (this.peek() === '{') {
        const close = this.chars.indexOf('}', this.pos);
        if (close < 0) throw new RegexSyntaxError('invalid character class range', this.rest(start));
        name = this.chars.slice(this.pos + 1, close).join('');
        this.pos = close + 1;
      } else {
        const n = this.chars[this.pos++];
        if (n === undefined) throw new RegexSyntaxError('invalid character class range', this.rest(start));
        name = n;
      }
      let negate = c === 'P';
      if (name.startsWith('^')) { negate = !negate; name = name.slice(1); }
      const test = unicodeClass(name);
      if (!test) throw new RegexSyntaxError('invalid character class range', this.chars.slice(start, this.pos).join(''));
      cls.predicates.push(negate ? (cp) => !test(cp) : test);
      return true;
    }
    return false;
  }

  /** An escape that denotes one character (after the backslash). */
  private singleEscape(start: number): number {
    const c = this.chars[this.pos++]!;
    const invalid = (): never => {
      throw new RegexSyntaxError('invalid escape sequence', this.chars.slice(start, this.pos).join(''));
    };
    switch (c) {
      case 'a': return 0x07;
      case 'f': return 0x0c;
      case 't': return 0x09;
      case 'n': return 0x0a;
      case 'r': return 0x0d;
      case 'v': return 0x0b;
      case 'x': {
        if (this.peek() === '{') {
          const close = this.chars.indexOf('}', this.pos);
          const hex = close < 0 ? '' : this.chars.slice(this.pos + 1, close).join('');
          if (!/^[0-9A-Fa-f]{1,8}$/.test(hex)) invalid();
          this.pos = close + 1;
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) invalid();
          return cp;
        }
        const hex = this.chars.slice(this.pos, this.pos + 2).join('');
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) { this.pos = Math.min(this.pos + 2, this.chars.length); invalid(); }
        this.pos += 2;
        return parseInt(hex, 16);
      }
    }
    if (c >= '0' && c <= '7') {
      // A lone non-zero digit would be a backreference, which RE2 does not support.
      if (c !== '0' && !(this.peek() !== undefined && this.peek()! >= '0' && this.peek()! <= '7')) invalid();
      let digits = c;
      while (digits.length < 3 && this.peek() !== undefined && this.peek()! >= '0' && this.peek()! <= '7') {
        digits += this.chars[this.pos++];
      }
      return parseInt(digits, 8);
    }
    if (c.codePointAt(0)! < 0x80 && !isAlnum(c)) return c.codePointAt(0)!;
    return invalid();
  }

  private parseClass(flags: Flags, start: number): CharMatcher {
    const cls = new CharClass();
    cls.foldCase = flags.i;
    if (this.peek() === '^') { cls.negated = true; this.pos++; }
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new RegexSyntaxError('missing closing ]', this.rest(start));
      if (c === ']' && !first) { this.pos++; break; }
      first = false;
      const itemStart = this.pos;
      if (c === '[' && this.peek(1) === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.chars.slice(this.pos, this.pos + 16).join(''));
        if (m) {
          const ranges = POSIX[m[2]!];
          if (!ranges) throw new RegexSyntaxError('invalid character class range', m[0]);
          if (m[1]) cls.predicates.push((cp) => !ranges.some(([lo, hi]) => cp >= lo && cp <= hi));
          else cls.ranges.push(...ranges);
          this.pos += m[0].length;
          continue;
        }
      }
      if (c === '\\') {
        this.pos++;
        if (this.peek() === undefined) throw new RegexSyntaxError('missing closing ]', this.rest(start));
        if (this.classEscape(cls, itemStart)) continue;
      }
      const lo = c === '\\' ? this.singleEscape(itemStart) : this.chars[this.pos++]!.codePointAt(0)!;
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        this.pos++;
        const hiStart = this.pos;
        let hi: number;
        if (this.peek() === '\\') {
          this.pos++;
          if (this.peek() === undefined) throw new RegexSyntaxError('missing closing ]', this.rest(start));
          hi = this.singleEscape(hiStart);
        } else hi = this.chars[this.pos++]!.codePointAt(0)!;
        if (hi < lo) {
          throw new RegexSyntaxError('invalid character class range', this.chars.slice(itemStart, this.pos).join(''));
        }
        cls.ranges.push([lo, hi]);
      } else cls.ranges.push([lo, lo]);
    }
    return cls;
  }
}

function applyFlags(flags: Flags, spec: string, text: string): Flags {
  let on = true;
  const out = { ...flags };
  if (spec === '-' || spec.endsWith('-')) throw new RegexSyntaxError('invalid or unsupported Perl syntax', text);
  for (const f of spec) {
    if (f === '-') { on = false; continue; }
    if (f === 'i' || f === 'm' || f === 's') out[f] = on;
    // U (ungreedy) does not change whether a string matches.
  }
  return out;
}
