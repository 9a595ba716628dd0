// `matches`: Go RE2 syntax and semantics on a linear-time NFA (no backtracking).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRegex, RegexSyntaxError } from '../../../functions/expr/regex/program.ts';
import { run } from './helpers.ts';

const matches = (pattern: string, input: string): boolean => compileRegex(pattern).test(input);

describe('regex semantics (unanchored search, RE2 syntax)', () => {
  const rows: readonly [pattern: string, input: string, expected: boolean][] = [
    ['b', 'abc', true],
    ['^b', 'abc', false],
    ['c$', 'abc', true],
    ['^abc$', 'abc', true],
    ['^abc$', 'abc\n', false],
    ['a.c', 'abc', true],
    ['a.c', 'a\nc', false],
    ['(?s)a.c', 'a\nc', true],
    ['(?i)hello', 'HeLLo', true],
    ['(?i:h)ello', 'Hello', true],
    ['(?i:h)ello', 'HELLO', false],
    ['(?m)^b$', 'a\nb\nc', true],
    ['^b$', 'a\nb\nc', false],
    ['\\Aab', 'ab', true],
    ['ab\\z', 'ab', true],
    ['\\bfoo\\b', 'a foo b', true],
    ['\\bfoo\\b', 'afoob', false],
    ['\\Boo\\B', 'afoob', true],
    ['\\d{3}-\\d{4}', '555-1234', true],
    ['^\\d+$', '12a', false],
    ['^\\w+$', 'a_B9', true],
    ['^\\s+$', ' \t\n', true],
    ['\\D', '123', false],
    ['[a-c]+x', 'zzbcax', true],
    ['[^a-c]', 'abc', false],
    ['[]a]', ']', true],
    ['[a-]', '-', true],
    ['[[:digit:]]+', 'x42', true],
    ['[[:^alpha:]]', 'abc', false],
    ['[\\d.]+', '1.5', true],
    ['\\pL', 'é', true],
    ['\\p{Greek}', 'λ', true],
    ['\\PL', 'abc', false],
    ['\\p{^L}', '1', true],
    ['^.$', '😀', true],
    ['a|b|c', 'c', true],
    ['^(ab|cd)+$', 'abcdab', true],
    ['^(ab|cd)+$', 'abcda', false],
    ['^a{2,3}$', 'aaa', true],
    ['^a{2,3}$', 'aaaa', false],
    ['^a{2}$', 'aa', true],
    ['^a{2,}$', 'aaaaa', true],
    ['a{,2}', 'a{,2}', true],
    ['x*?y', 'xxy', true],
    ['^(?:a*)*$', 'aaa', true],
    ['^(a|)+$', 'aa', true],
    ['(?P<year>\\d{4})', '2024', true],
    ['(?<y>\\d{4})', '2024', true],
    ['\\x41\\x{1F600}', 'A😀', true],
    ['\\Q.*\\E', 'a.*b', true],
    ['\\Q.*\\E', 'ab', false],
    ['\\.', 'a', false],
    ['\\$', '$', true],
    ['', 'anything', true],
    ['\\n', 'a\nb', true],
    ['\\101', 'A', true],
  ];
  for (const [pattern, input, expected] of rows) {
    it(`${JSON.stringify(pattern)} on ${JSON.stringify(input)} → ${expected}`, () => {
      assert.equal(matches(pattern, input), expected);
    });
  }
});

describe('regex syntax errors use Go texts', () => {
  const rows: readonly [pattern: string, message: string][] = [
    ['[', 'error parsing regexp: missing closing ]: `[`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['(a', 'error parsing regexp: missing closing ): `(a`'],
    ['a)', 'error parsing regexp: unexpected ): `a)`'],
    ['*a', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['a++', 'error parsing regexp: invalid nested repetition operator: `++`'],
    ['a{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['a{3,2}', 'error parsing regexp: invalid repeat count: `{3,2}`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
    ['(?=a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['(?!a)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?!`'],
    ['(?<=a)b', 'error parsing regexp: invalid or unsupported Perl syntax: `(?<=`'],
    ['(a)\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['\\Z', 'error parsing regexp: invalid escape sequence: `\\Z`'],
    ['a\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
    ['(?P<>a)', 'error parsing regexp: invalid named capture: `(?P<>`'],
    ['\\p{Klingon}', 'error parsing regexp: invalid character class range: `\\p{Klingon}`'],
    ['[[:foo:]]', 'error parsing regexp: invalid character class range: `[:foo:]`'],
  ];
  for (const [pattern, message] of rows) {
    it(JSON.stringify(pattern), () => {
      assert.throws(() => compileRegex(pattern), (e: unknown) => e instanceof RegexSyntaxError && e.message === message);
    });
  }
});

describe('regex work is bounded', () => {
  const stepsFor = (pattern: string, input: string): { steps: number; size: number; matched: boolean } => {
    const re = compileRegex(pattern);
    let steps = 0;
    const matched = re.test(input, (units) => { steps += units; });
    return { steps, size: re.size, matched };
  };

  for (const pattern of ['^(a+)+$', '^(a|aa)*$', '^(a*)*b$', '(x+x+)+y', '^(\\w+\\s?)*$']) {
    it(`${pattern} on a hostile input costs at most input length × program size`, () => {
      const input = 'a'.repeat(20_000) + '!';
      const { steps, size, matched } = stepsFor(pattern, input);
      assert.equal(matched, false);
      assert.ok(steps <= (input.length + 1) * (size + 1), `${steps} steps for ${input.length} characters and ${size} instructions`);
    });
  }

  it('rejects patterns longer than the limit', () => {
    assert.throws(() => compileRegex('a'.repeat(1001)), /pattern is longer than 1000 characters/);
  });

  it('rejects programs that expand beyond the limit', () => {
    assert.throws(() => compileRegex('(((a{100}){100}){100})'), /expression too large/);
  });

  it('a catastrophic pattern in a condition finishes within the step budget', () => {
    assert.equal(run('result matches "^(a+)+$"', 'a'.repeat(5_000) + 'b'), false);
  });
});
