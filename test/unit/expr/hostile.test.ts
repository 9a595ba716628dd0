// Hostile conditions and results: every one fails cleanly with an error (or a harmless value), never hangs,
// never reaches a JS prototype, global or function.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, ExprError, measurementPhase, parseCondition } from '../../../functions/expr/index.ts';
import { failure, parseFailure, run } from './helpers.ts';

describe('prototype and global access', () => {
  it('constructor, __proto__, prototype and toString are plain missing keys of a result map', () => {
    for (const key of ['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']) {
      assert.equal(run(`result.${key}`, {}), null, key);
      assert.equal(run(`result["${key}"]`, {}), null, key);
      assert.equal(run(`"${key}" in result`, {}), false, key);
    }
  });
  it('a chain through constructor stops at nil', () => {
    assert.equal(failure('result.constructor.constructor', {}).detail, 'cannot fetch constructor from <nil>');
  });
  it('calling a fetched value is a syntax error', () => {
    assert.equal(parseFailure('result.constructor.constructor("return process")()').detail, 'method calls are not supported');
    assert.equal(parseFailure('(result.constructor)("x")').detail, 'unexpected token "("');
  });
  it('globals and JS names are unknown', () => {
    for (const name of ['process', 'globalThis', 'require', 'eval', 'Function', 'this', 'window', 'constructor', 'toString']) {
      assert.equal(parseFailure(`${name} == nil`).detail, `unknown name ${name}`, name);
    }
    assert.equal(parseFailure('toString(result)').detail, 'unknown name toString');
    assert.equal(parseFailure('constructor(1)').detail, 'unknown name constructor');
  });
  it('members of arrays, strings and numbers are not JS properties', () => {
    assert.equal(parseFailure('"a".length').detail, 'type string[string] is undefined');
    assert.equal(failure('result.length', [1]).detail, 'array elements can only be selected using an integer (got string)');
    assert.equal(failure('result.a.length', { a: [1] }).detail, 'array elements can only be selected using an integer (got string)');
    assert.equal(failure('result.s.length', { s: 'abc' }).detail, 'string bytes can only be selected using an integer (got string)');
    assert.equal(failure('result.n.toFixed', { n: 1 }).detail, 'cannot fetch toFixed from float64');
  });
  it('own keys named __proto__ and constructor are ordinary data', () => {
    const result = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}') as unknown;
    assert.deepEqual(run('result.__proto__', result), { polluted: true });
    assert.equal(run('result.constructor.prototype', result), 1);
    assert.equal(run('keys(result) | sort() | join(",")', result), '__proto__,constructor');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
  it('map literals with hostile keys do not pollute prototypes', () => {
    assert.equal(run('{__proto__: {polluted: true}, "constructor": 1}.__proto__.polluted'), true);
    assert.deepEqual(run('keys({__proto__: 1, constructor: 2}) | sort()'), ['__proto__', 'constructor']);
    assert.equal(run('{__proto__: 1}.__proto__'), 1n);
    assert.equal(run('fromJSON("{\\"__proto__\\": {\\"x\\": 1}}").__proto__.x'), 1);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'x'), false);
  });
  it('inherited properties of a result object are not visible', () => {
    const result = Object.create({ inherited: 1 }) as object;
    assert.deepEqual(measurementPhase({ successCondition: 'true', result }),
      { phase: 'Error', message: 'measurement result contains an unsupported value (an object with a prototype other than Object.prototype)' });
    const plain = { own: 1 };
    assert.equal(run('result.toString == nil && result.own == 1', plain), true);
  });
  it('getters on a result are not invoked', () => {
    let called = false;
    const result = { get trap() { called = true; return 1; } };
    assert.equal(run('result.trap', result), null);
    assert.equal(called, false);
  });
  it('assignment does not exist', () => {
    assert.equal(parseFailure('result.x = 1').detail, 'unexpected token "="');
    assert.equal(parseFailure('result["__proto__"]["polluted"] = 1').detail, 'unexpected token "="');
  });
  it('$env is refused', () => {
    assert.equal(parseFailure('$env["result"]').detail, '$env is not supported; use the variable directly (result)');
  });
});

describe('size and depth limits', () => {
  it('a deeply parenthesized expression is rejected', () => {
    const error = parseFailure('('.repeat(1000) + '1' + ')'.repeat(1000));
    assert.equal(error.stage, 'limit');
    assert.match(error.message, /^expression is nested too deeply \(the limit is 128 levels\) at 1:\d+$/);
  });
  it('a long left-associative chain is rejected by tree depth, not by a stack overflow', () => {
    const error = parseFailure('1' + ' + 1'.repeat(2000));
    assert.equal(error.stage, 'limit');
    assert.match(error.detail, /nested too deeply/);
  });
  it('deeply nested unary operators are rejected', () => {
    assert.equal(parseFailure('!'.repeat(5000) + 'true').stage, 'limit');
    assert.equal(parseFailure('-'.repeat(5000) + '1').stage, 'limit');
  });
  it('deeply nested arrays, maps and predicates are rejected', () => {
    assert.equal(parseFailure('['.repeat(500) + ']'.repeat(500)).stage, 'limit');
    assert.equal(parseFailure('{a: '.repeat(500) + '1' + '}'.repeat(500)).stage, 'limit');
    assert.equal(parseFailure('all(result, '.repeat(300) + 'true' + ')'.repeat(300)).stage, 'limit');
  });
  it('long input is rejected before lexing', () => {
    const error = parseFailure('"' + 'a'.repeat(20_000) + '"');
    assert.equal(error.message, 'expression is too long: 20002 characters (the limit is 10000)');
  });
  it('too many nodes are rejected', () => {
    const error = parseFailure('[' + '1,'.repeat(3000) + '1]', { limits: { maxLength: 100_000, maxNodes: 1000 } });
    assert.equal(error.detail, 'expression is too large: more than 1000 syntax nodes');
  });
  it('huge literals are rejected', () => {
    assert.equal(parseFailure('1' + '0'.repeat(5000)).stage, 'syntax');
    assert.equal(parseFailure('1e99999').stage, 'syntax');
  });
  it('limits are configurable and validated', () => {
    assert.equal(parseFailure('1 + 1', { limits: { maxLength: 3 } }).stage, 'limit');
    assert.throws(() => parseCondition('1', { limits: { maxDepth: 0 } }), RangeError);
  });
  it('deeply nested results are refused', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const error = failure('true', deep);
    assert.equal(error.stage, 'limit');
    assert.equal(error.detail, 'measurement result is nested too deeply (the limit is 256 levels)');
  });
  it('oversized results are refused', () => {
    const parsed = parseCondition('len(result) > 0');
    assert.ok(parsed.ok);
    assert.throws(() => evaluate(parsed.program, { result: new Array(2_000).fill(0) }, { limits: { maxResultItems: 1_000 } }),
      (e: unknown) => e instanceof ExprError && e.detail === 'measurement result is too large (the limit is 1000 elements)');
  });
});

describe('bounded evaluation', () => {
  it('a huge range fails before allocating', () => {
    assert.equal(failure('1..100000000').detail, 'memory budget exceeded');
    assert.equal(failure('len(0..9223372036854775807)').detail, 'memory budget exceeded');
  });
  it('x in a huge range of ints is a comparison, as expr optimizes it', () => {
    assert.equal(run('5 in 0..9223372036854775807'), true);
  });
  it('nested iteration runs out of steps', () => {
    const error = failure('all(0..999, all(0..999, all(0..999, true)))');
    assert.equal(error.stage, 'limit');
    assert.match(error.detail, /exceeded its budget of 1000000 steps|memory budget exceeded/);
  });
  it('the step budget is configurable', () => {
    assert.equal(failure('all(1..100, # > 0)', null, { limits: { maxSteps: 50 } }).detail,
      'evaluation exceeded its budget of 50 steps');
  });
  it('string growth is bounded by the memory budget', () => {
    assert.equal(failure('repeat(repeat("x", 1000), 1000) + "y"').detail, 'memory budget exceeded');
    assert.equal(failure('repeat("x", 2000000)').detail, 'invalid argument for repeat: count 2000000 is above the limit of 1000000');
    assert.equal(failure('reduce(1..100000, #acc + "xxxxxxxxxx", "")').stage, 'limit');
  });
  it('reduce building deep structures cannot overflow the stack when printed', () => {
    const error = failure('string(reduce(1..5000, [#acc], []))');
    assert.equal(error.stage, 'limit');
  });
  it('catastrophic regexps finish', () => {
    assert.equal(run('result matches "^(a+)+$"', 'a'.repeat(5000) + 'b'), false);
    assert.equal(run('result matches "^(a|a?)+$"', 'a'.repeat(5000) + 'b'), false);
    assert.equal(run('result matches "(.*a){20}"', 'a'.repeat(100)), true);
  });
  it('regexps over long inputs are charged against the step budget', () => {
    const error = failure('result matches "(x+x+)+y"', 'x'.repeat(100_000), { limits: { maxSteps: 10_000 } });
    assert.equal(error.detail, 'evaluation exceeded its budget of 10000 steps');
  });
  it('oversized regexps are rejected', () => {
    assert.equal(parseFailure(`"x" matches "${'a'.repeat(1001)}"`).detail,
      `error parsing regexp: pattern is longer than 1000 characters: \`${'a'.repeat(20)}…\``);
    assert.match(parseFailure('"x" matches "((a{1000}){1000})"').detail, /expression too large/);
  });
  it('an unknown value in a result cannot be called or evaluated', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'true', result: { f: Symbol('s') } }),
      { phase: 'Error', message: 'measurement result contains an unsupported value (a symbol)' });
  });
});

describe('deep values built at run time', () => {
  it('returning a deeply nested value fails cleanly', () => {
    const error = failure('reduce(1..5000, [#acc], [])');
    assert.equal(error.stage, 'limit');
    assert.equal(error.detail, 'value is nested too deeply to return');
  });
  it('comparing deeply nested values fails cleanly', () => {
    const error = failure('let a = reduce(1..5000, [#acc], []); a == a', null, { compat: { numericArrayEquality: true } });
    assert.equal(error.stage, 'limit');
    assert.equal(failure('let a = reduce(1..5000, [#acc], []); a == a').stage, 'limit');
  });
});
