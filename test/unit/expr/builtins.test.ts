// Builtin functions of expr v1.15.5 (reference §4) and Argo's helpers (reference §7.1).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failure, run, vector } from './helpers.ts';

type Row = readonly [source: string, expected: unknown, result?: unknown];

function table(name: string, rows: readonly Row[]): void {
  describe(name, () => {
    for (const [source, expected, result] of rows) {
      it(result === undefined ? source : `${source}  ‹${JSON.stringify(result instanceof Float64Array ? [...result] : result)}›`, () => {
        const actual = run(source, result ?? null);
        if (typeof expected === 'number' && Number.isNaN(expected)) assert.ok(Number.isNaN(actual as number));
        else assert.deepStrictEqual(actual, expected);
      });
    }
  });
}

table('general', [
  ['len([1, 2, 3])', 3n],
  ['len({a: 1, b: 2})', 2n],
  ['len("abc")', 3n],
  ['len("é")', 2n],
  ['len(result)', 0n, vector()],
  ['type(nil)', 'nil'],
  ['type(true)', 'bool'],
  ['type(1)', 'int'],
  ['type(1.5)', 'float'],
  ['type(result)', 'float', 3],
  ['type("a")', 'string'],
  ['type([1])', 'array'],
  ['type({})', 'map'],
  ['type(date("2024-01-01"))', 'time.Time'],
  ['type(duration("1s"))', 'time.Duration'],
  ['get([1, 2], 5)', null],
  ['get([1, 2], 1)', 2n],
  ['get({a: 1}, "b")', null],
  ['get(result, "a")', 1, { a: 1 }],
  ['keys({a: 1})', ['a']],
  ['values({a: 1})', [1n]],
  ['toPairs({a: 1})', [['a', 1n]]],
  ['fromPairs([["a", 1], ["b", 2]])', { a: 1n, b: 2n }],
  ['int(3.9)', 3n],
  ['int(-3.9)', -3n],
  ['int("42")', 42n],
  ['int(result) % 2', 1n, 3],
  ['float(3)', 3],
  ['float("1e3")', 1000],
  ['float("Inf") > 1', true],
  ['string(1)', '1'],
  ['string(1.0)', '1'],
  ['string(0.5)', '0.5'],
  ['string(123456.0)', '123456'],
  ['string(1000000.0)', '1e+06'],
  ['string(1234567.0)', '1.234567e+06'],
  ['string(0.0001)', '0.0001'],
  ['string(0.00001)', '1e-05'],
  ['string(-0.00001234)', '-1.234e-05'],
  ['string(1e21)', '1e+21'],
  ['string(1e100)', '1e+100'],
  ['string(0/0)', 'NaN'],
  ['string(1/0)', '+Inf'],
  ['string(-1/0)', '-Inf'],
  ['string(nil)', '<nil>'],
  ['string(true)', 'true'],
  ['string([1, "a", 2.5])', '[1 a 2.5]'],
  ['string({b: 1, a: [2]})', 'map[a:[2] b:1]'],
  ['string(duration("90m"))', '1h30m0s'],
  ['string(duration("1.5s"))', '1.5s'],
  ['string(duration("1500us"))', '1.5ms'],
  ['string(duration("0s"))', '0s'],
  ['string(duration("-2m3s"))', '-2m3s'],
  ['string(date("2024-01-02T03:04:05.5Z"))', '2024-01-02 03:04:05.5 +0000 UTC'],
  ['toJSON({b: [1, 2.5], a: "x<y", c: nil})', '{\n  "a": "x\\u003cy",\n  "b": [\n    1,\n    2.5\n  ],\n  "c": null\n}'],
  ['toJSON([])', '[]'],
  ['toJSON(1e21)', '1e+21'],
  ['toJSON(0.0000001)', '1e-7'],
  ['fromJSON("{\\"a\\": [1, 2]}").a[1]', 2],
  ['fromJSON("{\\"__proto__\\": 1}").__proto__', 1],
  ['toBase64("hi!")', 'aGkh'],
  ['fromBase64("aGkh")', 'hi!'],
]);

table('numbers', [
  ['abs(-3)', 3n],
  ['abs(-3.5)', 3.5],
  ['ceil(1.2)', 2],
  ['ceil(3)', 3],
  ['floor(-1.2)', -2],
  ['round(2.5)', 3],
  ['round(-2.5)', -3],
  ['round(2.4)', 2],
  ['max(1, 2)', 2n],
  ['max(1, 2.5, 2)', 2.5],
  ['min(3, 1.5)', 1.5],
  ['max(result[0], result[1])', 7, vector(3, 7)],
  ['sum([1, 2, 3])', 6n],
  ['sum([1, 2.5])', 3.5],
  ['sum([])', 0n],
  ['sum(result)', 6, vector(1, 2, 3)],
  ['mean([1, 2, 3, 4])', 2.5],
  ['mean([])', 0],
  ['median([3, 1, 2])', 2],
  ['median([4, 1, 3, 2])', 2.5],
  ['median([])', 0],
]);

table('strings (byte offsets, Go semantics)', [
  ['trim("  a b  ")', 'a b'],
  ['trim("xxaxx", "x")', 'a'],
  ['trimPrefix("prefix-x", "prefix-")', 'x'],
  ['trimPrefix(" x")', 'x'],
  ['trimSuffix("x.go", ".go")', 'x'],
  ['upper("abc")', 'ABC'],
  ['lower("ÀB")', 'àb'],
  ['upper("ß")', 'ß'],
  ['split("a,b,c", ",")', ['a', 'b', 'c']],
  ['split("a,b,c", ",", 2)', ['a', 'b,c']],
  ['split("a,b,c", ",", 0)', []],
  ['split("abc", "")', ['a', 'b', 'c']],
  ['split("", ",")', ['']],
  ['splitAfter("a,b", ",")', ['a,', 'b']],
  ['replace("aaa", "a", "b")', 'bbb'],
  ['replace("aaa", "a", "b", 2)', 'bba'],
  ['replace("ab", "", "-")', '-a-b-'],
  ['repeat("ab", 3)', 'ababab'],
  ['join(["a", "b"], "-")', 'a-b'],
  ['join(["a", "b"])', 'ab'],
  ['indexOf("héllo", "l")', 3n],
  ['indexOf("abc", "z")', -1n],
  ['lastIndexOf("abcabc", "b")', 4n],
  ['hasPrefix("abc", "ab")', true],
  ['hasSuffix("abc", "bc")', true],
]);

table('arrays', [
  ['first([1, 2])', 1n],
  ['first([])', null],
  ['last([1, 2])', 2n],
  ['last(result)', 3, vector(1, 2, 3)],
  ['take([1, 2, 3], 2)', [1n, 2n]],
  ['take([1], 5)', [1n]],
  ['sort([3, 1, 2])', [1n, 2n, 3n]],
  ['sort([3, 1, 2], "desc")', [3n, 2n, 1n]],
  ['sort(["b", "a"])', ['a', 'b']],
  ['sortBy(result, "n")', [{ n: 1 }, { n: 2 }], [{ n: 2 }, { n: 1 }]],
  ['sortBy(result, "n", "desc")[0].n', 2, [{ n: 1 }, { n: 2 }]],
]);

describe('Argo helpers and their quirks', () => {
  it('asInt truncates floats toward zero and returns an int64', () => {
    assert.equal(run('asInt(result)', -4.9), -4n);
    assert.equal(run('asInt(result) % 2 == 0', 4), true);
  });
  it('asInt parses decimal strings only', () => {
    assert.equal(run('asInt(result)', '-12'), -12n);
    assert.equal(failure('asInt(result)', '1e3').detail, 'strconv.ParseInt: parsing "1e3": invalid syntax');
  });
  it('asFloat accepts what Go ParseFloat accepts', () => {
    assert.equal(run('asFloat(result)', '1e3'), 1000);
    assert.equal(run('asFloat(result)', '-inf'), -Infinity);
    assert.equal(run('asFloat(result)', '0x1p-2'), 0.25);
    assert.equal(run('asFloat(result)', 7), 7);
    assert.equal(failure('asFloat(result)', '1_000').detail, 'strconv.ParseFloat: parsing "1_000": invalid syntax');
  });
  it('isNil ignores its argument and reports whether the result is nil', () => {
    assert.equal(run('isNil(result.x)', { x: null }), false);
    assert.equal(run('isNil(1)', null), true);
  });
  it('default ignores its first argument and returns the whole result when it is not nil', () => {
    assert.deepEqual(run('default(result.x, 0)', { x: 5, y: 6 }), { x: 5, y: 6 });
    assert.equal(run('default(result.x, 0)', { x: 5 }) !== 5, true);
    assert.equal(run('default(1, 7)', null), 7n);
  });
  it('isNaN accepts an int literal (converted to float64)', () => {
    assert.equal(run('isNaN(1)'), false);
    assert.equal(run('isInf(1 + 1)'), false);
  });
  it('isNaN rejects an int that is not a literal', () => {
    assert.equal(failure('isNaN(len(result))', []).detail, 'cannot use int as argument (type float64) to call isNaN ');
  });
});

describe('builtin argument errors at run time', () => {
  const rows: readonly [source: string, result: unknown, detail: string][] = [
    ['len(result.x)', { x: 1 }, 'invalid argument for len (type float64)'],
    ['upper(result.x)', { x: 1 }, 'cannot use float64 as argument (type string) to call upper '],
    ['abs(result.x)', { x: 'a' }, 'invalid argument for abs (type string)'],
    ['max(result.x, 1)', { x: [1] }, 'invalid argument for max (type []interface {})'],
    ['sum(result.x)', { x: ['a'] }, 'invalid argument for sum (type string)'],
    ['join(result.x)', { x: [1] }, 'invalid argument for join: element of type float64 is not a string'],
    ['sort(result.x)', { x: [1, 'a'] }, 'invalid operation: string < float64'],
    ['sort([1], "up")', null, 'unknown order, use asc or desc (got "up")'],
    ['repeat("x", -1)', null, 'strings: negative Repeat count'],
    ['keys(result.x)', { x: [] }, 'invalid argument for keys (type []interface {})'],
    ['fromBase64("a")', null, 'illegal base64 data at input byte 0'],
    ['toJSON(0/0)', null, 'json: unsupported value: NaN'],
    ['take([1], -1)', null, 'cannot take -1 elements'],
  ];
  for (const [source, result, detail] of rows) {
    it(source, () => {
      assert.equal(failure(source, result).detail, detail);
    });
  }
  it('fromJSON("{")', () => {
    assert.match(failure('fromJSON("{")').detail, /^invalid JSON: /);
  });
});
