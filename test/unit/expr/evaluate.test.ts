// Expressions → values: the semantics of operators, literals, member access, predicates and the Argo helpers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run, vector } from './helpers.ts';

type Row = readonly [source: string, expected: unknown, result?: unknown];

function table(name: string, rows: readonly Row[]): void {
  describe(name, () => {
    for (const [source, expected, result] of rows) {
      const label = result === undefined ? source : `${source}  ‹result ${describeResult(result)}›`;
      it(label, () => {
        const actual = run(source, result ?? null);
        if (typeof expected === 'number' && Number.isNaN(expected)) assert.ok(Number.isNaN(actual as number));
        else assert.deepStrictEqual(actual, expected);
      });
    }
  });
}

function describeResult(r: unknown): string {
  if (r instanceof Float64Array) return `vector[${[...r].join(', ')}]`;
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

table('conditions Argo users write (reference §8)', [
  ['result[0] >= 0.95', true, vector(0.97)],
  ['result[0] >= 0.95', false, vector(0.9)],
  ['result >= 0.95', true, 0.95],
  ['result == true', true, true],
  ['result == "It worked!"', true, 'It worked!'],
  ['result.successful == true', true, { successful: true }],
  ["result['successful'] == false", false, { successful: true }],
  ['result[0].Values[0] <= 0.01', true, [{ Id: 'q', Values: [0.005] }]],
  ['result[2].count > 3', true, [{}, {}, { count: 4 }]],
  ['len(result) > 0 && all(result, {# < 100})', true, vector(1, 2, 99)],
  ['len(result) > 0 && all(result, {# < 100})', false, vector()],
  ['len(result) == 0 || result[0] < 0.5', true, vector()],
  ['len(result) > 0 ? result[0] >= 0.9 : false', false, vector()],
  ['all(result, # < 100)', true, vector()],
  ['any(result.slos, {any(.overall_status, {.state == "breached"})})', true,
    { slos: [{ overall_status: [{ state: 'ok' }] }, { overall_status: [{ state: 'breached' }] }] }],
  ['all(result[0].Values, {# <= 0.01})', false, [{ Values: [0.001, 0.02] }]],
  ['isNaN(result[0]) || result[0] < 0.05', true, vector(NaN)],
  ['isNaN(result[0])', false, vector(0.5)],
  ['isInf(result)', true, Infinity],
  ['isInf(result)', true, -Infinity],
  ['result >= 0.95', false, NaN],
  ['result >= 0.95', true, Infinity],
  ['asInt(result) > 3', true, '4'],
  ['asInt(result) < 30', true, 12.9],
  ['asInt(result.status) >= 200 && asInt(result.status) < 300', true, { status: '204' }],
  ['asFloat(result) > 0.5', true, '0.7'],
  ['asFloat(result) > 1', true, '1e3'],
  ['isNaN(asFloat(result))', true, 'NaN'],
  ['default(result, 0) > 1', false, null],
  ['default(result, 5) > 1', true, null],
  ['default(result, 0) < 0.05', true, 0.01],
  ['isNil(result)', true, null],
  ['isNil(result)', false, 0],
  ['isNil(result.x)', false, {}],
  ['result == nil', true, null],
  ['result.missing == nil', true, {}],
  ['result != nil', true, vector()],
  ['result in [200, 201]', true, 200],
  ['result in [200, 201]', false, 404],
  ['result.status in ["ok", "healthy"]', true, { status: 'healthy' }],
  ['result.status not in ["ok", "healthy"]', true, { status: 'degraded' }],
  ['result.decision == "PROMOTE"', true, { decision: 'PROMOTE' }],
  ['result.code >= 200 && result.code < 300', true, { code: 201 }],
  ['result.code == "200"', false, { code: 200 }],
  ['result.successRate >= 0.95 and result.errors == 0', true, { successRate: 0.99, errors: 0 }],
  ['not (result.errors > 0)', true, { errors: 0 }],
  ['!(result > 1)', true, 0.5],
  ['result[0] * 100 > 95', true, vector(0.96)],
  ['"true"', 'true'],
  ['true', true],
  ['result[-1] == 3', true, vector(1, 2, 3)],
]);

table('literals', [
  ['42', 42n],
  ['1_000_000', 1000000n],
  ['0x1F', 31n],
  ['0.5', 0.5],
  ['.5', 0.5],
  ['1.', 1],
  ['1e3', 1000],
  ['2.5E-3', 0.0025],
  ['1_000.5', 1000.5],
  ['"double"', 'double'],
  ["'single'", 'single'],
  ['"tab\\tnew\\nline"', 'tab\tnew\nline'],
  ["'it\\'s'", "it's"],
  ['"say \\"hi\\""', 'say "hi"'],
  ['"\\x41\\u00e9\\U0001F600\\101"', 'Aé😀A'],
  ['true', true],
  ['false', false],
  ['nil', null],
  ['[1, "a", nil, true]', [1n, 'a', null, true]],
  ['[1, 2,]', [1n, 2n]],
  ['[]', []],
  ['{a: 1, "b": 2, 3: "x", ("k" + "ey"): true}', { a: 1n, b: 2n, '3': 'x', key: true }],
  ['{a: 1,}', { a: 1n }],
  ['{}', {}],
  ['1 // comment', 1n],
  ['/* comment */ 2', 2n],
  ['1 +\n  2', 3n],
]);

table('arithmetic: int and float rules', [
  ['1 + 2', 3n],
  ['1 + 2.0', 3],
  ['7 / 2', 3.5],
  ['6 / 2', 3],
  ['3 / 2 * 2', 3],
  ['7 % 3', 1n],
  ['-7 % 3', -1n],
  ['7 % -3', 1n],
  ['2 ** 10', 1024],
  ['2 ^ 3', 8],
  ['2 ** 3 ** 2', 512],
  ['-2 ** 2', -4],
  ['(-2) ** 2', 4],
  ['-3 * 2', -6n],
  ['1 - 2 - 3', -4n],
  ['2 * 3 + 4', 10n],
  ['2 + 3 * 4', 14n],
  ['(2 + 3) * 4', 20n],
  ['9223372036854775807 + 1', -9223372036854775808n],
  ['-9223372036854775807 - 2', 9223372036854775807n],
  ['1 / 0', Infinity],
  ['-1 / 0', -Infinity],
  ['0 / 0', NaN],
  ['1.5 * 2', 3],
  ['+5', 5n],
  ['-result', -2.5, 2.5],
  ['result * 2', 3, 1.5],
  ['result[0] + result[1]', 3, vector(1, 2)],
]);

table('comparison and equality', [
  ['1 == 1.0', true],
  ['1 < 1.5', true],
  ['2 > 1', true],
  ['1 <= 1', true],
  ['1 >= 2', false],
  ['1 != 2', true],
  ['"a" < "b"', true],
  ['"1.9" > "1.10"', true],
  ['"abc" == "abc"', true],
  ['nil == nil', true],
  ['result == nil', false, 0],
  ['result != 3', true, 2],
  ['result.x == "1"', false, { x: 1 }],
  ['result == [1, 2]', false, [1, 2]],
  ['result == ["a", "b"]', true, ['a', 'b']],
  ['result == {a: "x"}', true, { a: 'x' }],
  ['result == {a: 1}', false, { a: 1 }],
  ['[1, 2] == [1, 2]', true],
  ['[1, 2] == [1.0, 2.0]', false],
  ['result.a == result.b', true, { a: [1, { b: 'x' }], b: [1, { b: 'x' }] }],
  ['result == result', false, NaN],
  ['1 < 2 == true', true],
]);

table('logical operators', [
  ['true && false', false],
  ['true and true', true],
  ['false || true', true],
  ['false or false', false],
  ['!true', false],
  ['not false', true],
  ['true && result.x', 5, { x: 5 }],
  ['result.x > 0 || result.anything', true, { x: 1 }],
  ['false && result.x > 1', false, { x: 'not a number' }],
  ['result[0] > 0.95 || true', true, vector()],
  ['result[0] > 0.95 && false', false, vector()],
  ['result.x and true', 'kept', { x: 'kept' }],
  ['not true == false', true],
]);

table('ternary and nil coalescing', [
  ['true ? 1 : 2', 1n],
  ['false ? 1 : 2', 2n],
  ['false ? 1 : true ? 2 : 3', 2n],
  ['result > 1 ? "big" : "small"', 'big', 5],
  ['result ?: false', true, true],
  ['result ?: true', true, false],
  ['result.a ?? 0', 0n, {}],
  ['result.a ?? 0', 3, { a: 3 }],
  ['result.a ?? result.b ?? "none"', 'none', {}],
  ['(result.a ?? 0) > 1', false, {}],
  ['1 < result.a ?? 2', true, {}],
  ['result.a ?? 0', false, { a: false }],
  ['result.a ?? 0', '', { a: '' }],
  ['len(result) > 0 ? result[0] : result', [], []],
]);

table('membership, strings and ranges', [
  ['2 in [1, 2, 3]', true],
  ['2 in [1.0, 2.0]', true],
  ['2.5 in [1, 2, 3]', false],
  ['"b" in ["a", "b"]', true],
  ['"a" in {a: 1}', true],
  ['"a" in result', true, { a: null }],
  ['"z" in result', false, { a: 1 }],
  ['result.x in result.missing', false, { x: 1 }],
  ['3 in 1..5', true],
  ['6 in 1..5', false],
  ['result in 1..5', true, 3],
  ['5 not in 1..3', true],
  ['1 + 1 not in [3]', true],
  ['nil in ["a"]', false],
  ['"foobar" contains "oba"', true],
  ['"foobar" startsWith "foo"', true],
  ['"foobar" endsWith "bar"', true],
  ['"foobar" not contains "x"', true],
  ['"Foo" contains "foo"', false],
  ['"abc" matches "b"', true],
  ['"abc" matches "^b"', false],
  ['"ABC" matches "(?i)abc"', true],
  ['result matches "^2\\\\d\\\\d$"', true, '204'],
  ['"abc" not matches "z"', true],
  ['"a" + "b"', 'ab'],
  ['1..3', [1n, 2n, 3n]],
  ['3..1', []],
  ['1..1+2', [1n, 2n, 3n]],
  ['result.a..3', [1n, 2n, 3n], { a: 1.9 }],
]);

table('member access, indexing and slices', [
  ['result.a.b.c', 1, { a: { b: { c: 1 } } }],
  ['result["my-metric"]', 2, { 'my-metric': 2 }],
  ['result.in', 'word operator as a field', { in: 'word operator as a field' }],
  ['result.missing', null, { a: 1 }],
  ['result[1]', 2, [1, 2, 3]],
  ['result[-1]', 3, [1, 2, 3]],
  ['result.items[result.i]', 'c', { items: ['a', 'b', 'c'], i: 2.9 }],
  ['result.items[result.i]', 'b', { items: ['a', 'b'], i: 1 }],
  ['result.x?.a', null, { x: null }],
  ['result.x?.a.b.c', null, {}],
  ['result.a?.b.c', null, { a: null }],
  ['result.a?.b', 1, { a: { b: 1 } }],
  ['result[1:3]', [2, 3], [1, 2, 3, 4]],
  ['result[:2]', [1, 2], [1, 2, 3]],
  ['result[1:]', [2, 3], [1, 2, 3]],
  ['result[:]', [1, 2, 3], [1, 2, 3]],
  ['result[-2:]', [2, 3], [1, 2, 3]],
  ['result[0:10]', [1, 2, 3], [1, 2, 3]],
  ['result[2:1]', [], [1, 2, 3]],
  ['len(result[0:10]) == 3', true, vector(1, 2, 3)],
  ['"hello"[1:3]', 'el'],
  ['result.s[1]', 98n, { s: 'abc' }],
  ['[10, 20, 30][1]', 20n],
  ['{a: {b: 5}}.a.b', 5n],
]);

table('predicates and closures', [
  ['all([1, 2, 3], # > 0)', true],
  ['all([1, 2, 3], {# > 1})', false],
  ['any([1, 2, 3], # > 2)', true],
  ['any([], # > 2)', false],
  ['none([1, 2, 3], # > 3)', true],
  ['none([], # > 3)', true],
  ['one([1, 2, 3], # > 2)', true],
  ['one([1, 2, 3], # > 1)', false],
  ['one([], true)', false],
  ['filter([1, 2, 3, 4], # % 2 == 0)', [2n, 4n]],
  ['map([1, 2, 3], # * 10)', [10n, 20n, 30n]],
  ['map([1, 2, 3], #index)', [0n, 1n, 2n]],
  ['count([1, 2, 3, 4], # > 1)', 3n],
  ['find([1, 2, 3], # > 1)', 2n],
  ['find([1, 2, 3], # > 5)', null],
  ['findIndex([1, 2, 3], # > 1)', 1n],
  ['findIndex([1, 2, 3], # > 5) ?? -1', -1n],
  ['findLast([1, 2, 3], # < 3)', 2n],
  ['findLastIndex([1, 2, 3], # < 3)', 1n],
  ['groupBy(["a", "bb", "cc"], len(#))', { 1: ['a'], 2: ['bb', 'cc'] }],
  ['reduce([1, 2, 3], #acc + #)', 6n],
  ['reduce([1, 2, 3], #acc + #, 10)', 16n],
  ['reduce(["a", "b"], #acc + # + string(#index), "")', 'a0b1'],
  ['all(result, .ok)', true, [{ ok: true }, { ok: true }]],
  ['map(result, .name)', ['a', 'b'], [{ name: 'a' }, { name: 'b' }]],
  ['any(result, any(#, # > 2))', true, [[1], [3]]],
  ['result | filter(# > 1) | len() == 2', true, [1, 2, 3]],
  ['[1, 2, 3] | map(# * 2) | sum()', 12n],
  ['"a,b" | split(",") | join("-")', 'a-b'],
  ['let xs = [1, 2, 3]; all(xs, # <= len(xs))', true],
  ['let r = result.rate; r > 0.9 && r < 1', true, { rate: 0.95 }],
  ['let a = 1; let b = a + 1; a + b', 3n],
]);

describe('evaluation order and laziness', () => {
  it('a ternary evaluates only the chosen branch', () => {
    assert.equal(run('len(result) == 0 ? true : result[0] > 1', vector()), true);
  });
  it('&& does not evaluate its right side when the left is false', () => {
    assert.equal(run('len(result) > 0 && result[0] > 1', vector()), false);
  });
  it('all() stops at the first false element', () => {
    assert.equal(run('all(result, # < 2 && 1 / # > 0)', [1, 5, 'not a number']), false);
  });
  it('?? evaluates its right side only for nil', () => {
    assert.equal(run('result.a ?? result.b.c', { a: 1 }), 1);
  });
});
