// Lexer: source text → tokens with positions (expr v1.15.5 lexical rules, reference §1).

import { ExprError, type Position } from './errors.ts';

export type TokenKind = 'ident' | 'int' | 'float' | 'string' | 'op' | 'pointer' | 'placeholder' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** ident: the name; int/float: the literal text without `_`; string: the decoded value; op: the operator;
   *  pointer: the name after `#` ('' for bare `#`); placeholder: the text between the braces. */
  readonly value: string;
  /** The exact source text of the token. */
  readonly text: string;
  readonly pos: Position;
  /** True when whitespace or a comment precedes the token. */
  readonly spaced: boolean;
}

export interface LexOptions {
  /** Lex `{{…}}` outside string literals as a placeholder token (for linting templates before substitution). */
  placeholders?: boolean;
}

/** Words that are operators, never identifiers (they may still follow `.` as property names). */
export const WORD_OPERATORS: ReadonlySet<string> = new Set([
  'and', 'or', 'not', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'let',
]);

const TWO_CHAR = ['?.', '??', '..', '**', '==', '!=', '<=', '>=', '&&', '||'];
const ONE_CHAR = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '%', '+', '-', '^', '*', '/', '<', '>',
  '!', '=', '&', '|', '?', '.']);

// Go's unicode.IsSpace.
const SPACES = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

function isIdentStart(ch: string): boolean {
  return ch === '_' || ch === '$' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
    (ch > '\x7f' && LETTER.test(ch));
}
function isIdentPart(ch: string): boolean {
  return isIdentStart(ch) || (ch >= '0' && ch <= '9') || (ch > '\x7f' && DIGIT.test(ch));
}
function isDecimal(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}
function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}

/** Ends an operand: after one of these, `.5` is member access, not a number. */
function endsOperand(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'ident' || t.kind === 'int' || t.kind === 'float' || t.kind === 'string' ||
      t.kind === 'pointer' || t.kind === 'placeholder') return true;
  return t.kind === 'op' && (t.value === ')' || t.value === ']' || t.value === '}');
}

export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const shown = cp < 0x20 || cp === 0x7f ? JSON.stringify(ch).slice(1, -1) : ch;
  return `U+${hex} '${shown}'`;
}

export function tokenize(source: string, options: LexOptions = {}): Token[] {
  const chars = Array.from(source);
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let spaced = false;

  const posAt = (index: number): Position => ({ offset: index, line, column: index - lineStart + 1 });
  const fail = (detail: string, index: number): never => {
    throw new ExprError({ stage: 'syntax', detail, position: posAt(index) });
  };
  const newline = (index: number): void => { line++; lineStart = index + 1; };
  const push = (kind: TokenKind, value: string, start: number, end: number): void => {
    tokens.push({ kind, value, text: chars.slice(start, end).join(''), pos: posAt(start), spaced });
    spaced = false;
  };

  while (i < chars.length) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    const next = chars[i + 1];

    if (SPACES.has(cp)) {
      if (ch === '\n' || (ch === '\r' && next !== '\n')) newline(i);
      i++;
      spaced = true;
      continue;
    }
    if (ch === '/' && next === '/') {
      while (i < chars.length && chars[i] !== '\n' && chars[i] !== '\r') i++;
      spaced = true;
      continue;
    }
    if (ch === '/' && next === '*') {
      const start = i;
      const startPos = posAt(start);
      i += 2;
      for (;;) {
        if (i >= chars.length) {
          throw new ExprError({ stage: 'syntax', detail: 'unclosed comment', position: startPos });
        }
        if (chars[i] === '*' && chars[i + 1] === '/') { i += 2; break; }
        if (chars[i] === '\n' || (chars[i] === '\r' && chars[i + 1] !== '\n')) newline(i);
        i++;
      }
      spaced = true;
      continue;
    }
    if (options.placeholders && ch === '{' && next === '{') {
      const start = i;
      let j = i + 2;
      while (j < chars.length && !(chars[j] === '}' && chars[j + 1] === '}') && chars[j] !== '\n') j++;
      if (j >= chars.length || chars[j] === '\n') fail('placeholder not terminated: missing "}}"', start);
      push('placeholder', chars.slice(start + 2, j).join('').trim(), start, j + 2);
      i = j + 2;
      continue;
    }
    if (isDecimal(ch) || (ch === '.' && isDecimal(next) && !endsOperand(tokens[tokens.length - 1]))) {
      i = scanNumber(chars, i, push, fail);
      continue;
    }
    if (ch === '"' || ch === "'") {
      i = scanString(chars, i, push, fail);
      continue;
    }
    if (ch === '#') {
      const start = i;
      let j = i + 1;
      if (j < chars.length && isIdentStart(chars[j]!)) {
        while (j < chars.length && isIdentPart(chars[j]!)) j++;
      }
      push('pointer', chars.slice(start + 1, j).join(''), start, j);
      i = j;
      continue;
    }
    if (isIdentStart(ch)) {
      const start = i;
      while (i < chars.length && isIdentPart(chars[i]!)) i++;
      const word = chars.slice(start, i).join('');
      push(WORD_OPERATORS.has(word) ? 'op' : 'ident', word, start, i);
      continue;
    }
    const two = ch + (next ?? '');
    if (TWO_CHAR.includes(two) && !(two === '?.' && isDecimal(chars[i + 2]))) {
      push('op', two, i, i + 2);
      i += 2;
      continue;
    }
    if (ONE_CHAR.has(ch)) {
      push('op', ch, i, i + 1);
      i++;
      continue;
    }
    fail(`unrecognized character: ${describeChar(ch)}`, i);
  }
  tokens.push({ kind: 'eof', value: '', text: '', pos: posAt(chars.length), spaced });
  return tokens;
}

type Push = (kind: TokenKind, value: string, start: number, end: number) => void;
type Fail = (detail: string, index: number) => never;

function scanNumber(chars: string[], start: number, push: Push, fail: Fail): number {
  let i = start;
  const text = (): string => chars.slice(start, i).join('');
  if (chars[i] === '0' && (chars[i + 1] === 'x' || chars[i + 1] === 'X' || chars[i + 1] === 'o' ||
      chars[i + 1] === 'O' || chars[i + 1] === 'b' || chars[i + 1] === 'B')) {
    const prefix = chars[i + 1]!;
    i += 2;
    while (i < chars.length && (isHex(chars[i]) || chars[i] === '_')) i++;
    if (i < chars.length && isIdentPart(chars[i]!)) { i++; fail(`bad number syntax: "${text()}"`, start); }
    if (prefix !== 'x') {
      fail(`invalid integer literal: "${text()}" (only decimal and 0x… hexadecimal integers are supported)`, start);
    }
    const digits = text().slice(2).replaceAll('_', '');
    if (digits === '') fail(`invalid integer literal: "${text()}"`, start);
    push('int', '0x' + digits, start, i);
    return i;
  }
  let isFloat = false;
  while (i < chars.length && (isDecimal(chars[i]) || chars[i] === '_')) i++;
  if (chars[i] === '.' && chars[i + 1] !== '.') {
    isFloat = true;
    i++;
    while (i < chars.length && (isDecimal(chars[i]) || chars[i] === '_')) i++;
  }
  if (chars[i] === 'e' || chars[i] === 'E') {
    isFloat = true;
    i++;
    if (chars[i] === '+' || chars[i] === '-') i++;
    if (!isDecimal(chars[i])) {
      if (i < chars.length && isIdentPart(chars[i]!)) i++;
      fail(`bad number syntax: "${text()}"`, start);
    }
    while (i < chars.length && isDecimal(chars[i])) i++;
  }
  if (i < chars.length && isIdentPart(chars[i]!)) {
    i++;
    fail(`bad number syntax: "${text()}"`, start);
  }
  push(isFloat ? 'float' : 'int', text().replaceAll('_', ''), start, i);
  return i;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\',
};

function scanString(chars: string[], start: number, push: Push, fail: Fail): number {
  const quote = chars[start]!;
  let i = start + 1;
  let value = '';
  for (;;) {
    if (i >= chars.length) fail('literal not terminated', start);
    const ch = chars[i]!;
    if (ch === '\n' || ch === '\r') fail('literal not terminated', start);
    if (ch === quote) { i++; break; }
    if (ch !== '\\') { value += ch; i++; continue; }
    const esc = chars[i + 1];
    if (esc === undefined) fail('literal not terminated', start);
    if (esc === quote) { value += quote; i += 2; continue; }
    const simple = SIMPLE_ESCAPES[esc!];
    if (simple !== undefined) { value += simple; i += 2; continue; }
    if (esc! >= '0' && esc! <= '7') {
      const digits = chars.slice(i + 1, i + 4).join('');
      if (!/^[0-3][0-7]{2}$/.test(digits)) fail('invalid char escape', i);
      value += String.fromCodePoint(parseInt(digits, 8));
      i += 4;
      continue;
    }
    const hexLength = esc === 'x' ? 2 : esc === 'u' ? 4 : esc === 'U' ? 8 : 0;
    if (hexLength === 0) fail('invalid char escape', i);
    const digits = chars.slice(i + 2, i + 2 + hexLength).join('');
    if (digits.length !== hexLength || !/^[0-9a-fA-F]+$/.test(digits)) fail('invalid char escape', i);
    const cp = parseInt(digits, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      fail('invalid char escape: escape sequence is invalid Unicode code point', i);
    }
    value += String.fromCodePoint(cp);
    i += 2 + hexLength;
  }
  push('string', value, start, i);
  return i;
}
