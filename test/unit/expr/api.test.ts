// The public API: parseCondition for admission-time validation, evaluate / evaluateCondition per measurement,
// argument substitution and the compatibility switches.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  evaluate, evaluateCondition, ExprError, ExprRuntimeError, parseCondition, referencedArgs, substituteArgs,
} from '../../../functions/expr/index.ts';
import { compileOk, failure, normalize, vector } from './helpers.ts';

describe('parseCondition', () => {
  it('returns a program that can be evaluated against many results', () => {
    const program = compileOk('len(result) > 0 && result[0] >= 0.95');
    assert.equal(evaluate(program, { result: vector(0.99) }), true);
    assert.equal(evaluate(program, { result: vector(0.5) }), false);
    assert.equal(evaluate(program, { result: vector() }), false);
    assert.throws(() => evaluate(program, { result: null }),
      (e: unknown) => e instanceof ExprRuntimeError && e.stage === 'type' &&
        e.detail === 'invalid argument for len (type <nil>)');
  });
  it('reports errors as values, with line and column', () => {
    const parsed = parseCondition('result >\n  )');
    assert.equal(parsed.ok, false);
    if (!parsed.ok) {
      assert.ok(parsed.error instanceof ExprError);
      assert.deepEqual([parsed.error.stage, parsed.error.line, parsed.error.column], ['syntax', 2, 3]);
    }
  });
  it('an empty condition is a syntax error (callers treat an empty field as "not set")', () => {
    const parsed = parseCondition('');
    assert.ok(!parsed.ok && parsed.error.message === 'unexpected end of expression at 1:1, expected an operand');
  });
  it('check: false skips the type check (only syntax is verified)', () => {
    assert.equal(parseCondition('unknownName > 1', { check: false }).ok, true);
    assert.equal(parseCondition('unknownName > 1').ok, false);
  });
  it('substitutes arguments before parsing', () => {
    const program = compileOk('result > {{args.min}}', { args: { min: '0.5' } });
    assert.equal(program.source, 'result > 0.5');
    assert.equal(evaluate(program, { result: 0.7 }), true);
  });
  it('lints templates with unsubstituted placeholders', () => {
    assert.equal(parseCondition('result[0] * 100 > {{args.threshold}}', { placeholders: true }).ok, true);
    assert.equal(parseCondition('result == "{{args.expected}}"', { placeholders: true }).ok, true);
    const parsed = parseCondition('result >> {{args.threshold}}', { placeholders: true });
    assert.ok(!parsed.ok && parsed.error.message === 'unexpected token ">" at 1:9, expected an operand');
    const unknown = parseCondition('resul > {{ args.threshold }}', { placeholders: true });
    assert.ok(!unknown.ok && unknown.error.detail === 'unknown name resul');
  });
  it('a placeholder left in a program fails when evaluated', () => {
    const program = compileOk('result > {{args.threshold}}', { placeholders: true });
    assert.throws(() => evaluate(program, { result: 1 }),
      (e: unknown) => e instanceof ExprRuntimeError &&
        e.detail === 'unsubstituted placeholder {{args.threshold}}: substitute the arguments before evaluating');
  });
  it('programs are immutable', () => {
    const program = compileOk('true');
    assert.ok(Object.isFrozen(program));
  });
});

describe('evaluate', () => {
  it('returns plain data: ints as bigint, floats as number, maps as objects, times as Date', () => {
    assert.deepEqual(normalize(evaluate(compileOk('{i: 1, f: 1.5, s: "x", a: [nil, true]}'), { result: null })),
      { i: 1n, f: 1.5, s: 'x', a: [null, true] });
    assert.ok(evaluate(compileOk('date("2024-01-01")'), { result: null }) instanceof Date);
    assert.equal(evaluate(compileOk('duration("1s")'), { result: null }), 1_000_000_000n);
  });
  it('accepts bigint results as Go ints', () => {
    assert.equal(evaluate(compileOk('result % 2'), { result: 7n }), 1n);
  });
  it('refuses objects that are not JSON-like', () => {
    assert.throws(() => evaluate(compileOk('true'), { result: new Map([[1, 2]]) }), ExprRuntimeError);
    assert.throws(() => evaluate(compileOk('true'), { result: new (class Custom {})() }),
      (e: unknown) => e instanceof ExprRuntimeError && /an instance of Custom/.test(e.detail));
  });
  it('refuses programs it did not create', () => {
    assert.throws(() => evaluate({ source: 'true' } as never, { result: null }), TypeError);
  });
});

describe('evaluateCondition', () => {
  it('returns the boolean', () => {
    assert.equal(evaluateCondition(compileOk('result > 1'), { result: 2 }), true);
  });
  it('fails with Argo\'s wording when the value is not a bool', () => {
    assert.throws(() => evaluateCondition(compileOk('result'), { result: 2 }),
      (e: unknown) => e instanceof ExprRuntimeError && e.detail === 'expected bool, but got float64');
  });
});

describe('compatibility switches (expr 1.17 / Argo v1.10 behaviour)', () => {
  it('numericArrayEquality compares arrays element by element', () => {
    assert.equal(evaluate(compileOk('result == [1, 2]'), { result: [1, 2] }), false);
    assert.equal(evaluate(compileOk('result == [1, 2]'), { result: [1, 2] }, { compat: { numericArrayEquality: true } }), true);
  });
  it('detailedIndexErrors words index errors as expr 1.17 does', () => {
    assert.equal(failure('result[5]', [1, 2], { compat: { detailedIndexErrors: true } }).detail,
      'index out of range: 5 (array length is 2)');
  });
});

describe('arguments', () => {
  it('substituteArgs replaces args placeholders and leaves other tags', () => {
    assert.equal(substituteArgs('a {{args.x}} {{ args.y }} {{workflow.z}}', { x: '1', y: '2' }), 'a 1 2 {{workflow.z}}');
  });
  it('substituteArgs names a missing argument', () => {
    assert.throws(() => substituteArgs('{{args.x}}', {}), /failed to resolve \{\{args.x\}\}: no argument named "x"/);
  });
  it('substituteArgs does not read inherited properties', () => {
    assert.throws(() => substituteArgs('{{args.toString}}', {}), /no argument named "toString"/);
  });
  it('referencedArgs lists the arguments in order of first use', () => {
    assert.deepEqual(referencedArgs('{{args.b}} > {{ args.a }} && {{args.b}}'), ['b', 'a']);
  });
});
