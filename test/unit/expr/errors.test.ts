// Expressions → errors: lexical and syntax errors with line:column, type errors decided by the result's type
// (Error instead of a verdict, as in Argo), and runtime failures with expr's texts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failure, parseFailure, vector } from './helpers.ts';

describe('syntax errors name the line:column and what was expected', () => {
  const rows: readonly [source: string, message: string][] = [
    ['result[0] >= )', 'unexpected token ")" at 1:14, expected an operand'],
    ['result >= 0.95 &&', 'unexpected end of expression at 1:18, expected an operand'],
    ['(result > 1', 'unexpected end of expression at 1:12, expected ")"'],
    ['result[0', 'unexpected end of expression at 1:9, expected "]"'],
    ['[1, 2', 'unexpected end of expression at 1:6, expected "," or "]"'],
    ['{a: 1', 'unexpected end of expression at 1:6, expected "," or "}"'],
    ['{a 1}', 'unexpected token "1" at 1:4, expected ":"'],
    ['1 +* 2', 'unexpected token "*" at 1:4, expected an operand'],
    ['result === 1', 'unexpected token "=" at 1:10, expected an operand'],
    ['result = 1', 'unexpected token "=" at 1:8, expected an operator or end of expression'],
    ['result <> 1', 'unexpected token ">" at 1:9, expected an operand'],
    ['result > 1 AND result < 2', 'unexpected token "AND" at 1:12, expected an operator or end of expression'],
    ['result > 1;', 'unexpected token ";" at 1:11, expected end of expression (";" is only allowed in "let x = …; expr")'],
    ['result > 1 &', 'unexpected token "&" at 1:12, expected an operator or end of expression'],
    ['true ? 1', 'unexpected end of expression at 1:9, expected ":"'],
    ['result.', 'unexpected end of expression at 1:8, expected a name'],
    ['result.0', 'unexpected token "0" at 1:8, expected a name'],
    ['result?.[0]', 'unexpected token "[" at 1:9, expected a name ("?.[" is not supported; use "?.name")'],
    ['contains(result, "x")',
      'unexpected token "contains" at 1:1, expected an operand ("contains" is an operator: write "a contains b")'],
    ['result > {{args.threshold}}',
      'unexpected token "{" at 1:10, expected an operand ("{{…}}" placeholders must be substituted before the condition is parsed)'],
    ['result.x()', 'method calls are not supported at 1:8, expected a field name (call a builtin function instead, for example len(x))'],
    ['len(result,)', 'unexpected token ")" at 1:12, expected an operand'],
    ['all(result)', 'unexpected token ")" at 1:11, expected ","'],
    ['result | len', 'unexpected end of expression at 1:13, expected "(" (a pipe must call a function: x | len())'],
    ['let x = 1 x', 'unexpected token "x" at 1:11, expected ";"'],
    ['result > 1\n  && result <', 'unexpected end of expression at 2:14, expected an operand'],
    ['result\n\t> )', 'unexpected token ")" at 2:4, expected an operand'],
    ['"é" > )', 'unexpected token ")" at 1:7, expected an operand'],
    ['result.a ?? 0 > 1', 'Operator (>) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses. at 1:15'],
    ['a ?? b + 1', 'Operator (+) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses. at 1:8'],
    ['#', 'cannot use pointer accessor outside closure at 1:1'],
    ['.name == 1', 'cannot use pointer accessor outside closure at 1:1'],
  ];
  for (const [source, message] of rows) {
    it(source.replaceAll('\n', '⏎'), () => {
      const error = parseFailure(source);
      assert.equal(error.stage, 'syntax');
      assert.equal(error.message, message);
    });
  }

  it('carries line, column and the expected alternatives as fields', () => {
    const error = parseFailure('result[0] >= )');
    assert.deepEqual([error.line, error.column, error.expected, error.detail], [1, 14, 'an operand', 'unexpected token ")"']);
  });
});

describe('lexical errors', () => {
  const rows: readonly [source: string, message: string][] = [
    ['result == `x`', "unrecognized character: U+0060 '`' at 1:11"],
    ['result == "abc', 'literal not terminated at 1:11'],
    ['"line\nbreak"', 'literal not terminated at 1:1'],
    ['"\\q"', 'invalid char escape at 1:2'],
    ["\"it\\'s\"", 'invalid char escape at 1:4'],
    ['"\\8"', 'invalid char escape at 1:2'],
    ['"\\uD800"', 'invalid char escape: escape sequence is invalid Unicode code point at 1:2'],
    ['1a', 'bad number syntax: "1a" at 1:1'],
    ['1e', 'bad number syntax: "1e" at 1:1'],
    ['0b101', 'invalid integer literal: "0b101" (only decimal and 0x… hexadecimal integers are supported) at 1:1'],
    ['0X1F', 'invalid integer literal: "0X1F" (only decimal and 0x… hexadecimal integers are supported) at 1:1'],
    ['9223372036854775808', 'invalid integer literal: "9223372036854775808" is out of range for a 64-bit integer at 1:1'],
    ['1e400', 'invalid float literal: "1e400" is out of range at 1:1'],
    ['/* never closed', 'unclosed comment at 1:1'],
    ['result @ 1', "unrecognized character: U+0040 '@' at 1:8"],
  ];
  for (const [source, message] of rows) {
    it(source.replaceAll('\n', '⏎'), () => {
      const error = parseFailure(source);
      assert.equal(error.stage, 'syntax');
      assert.equal(error.message, message);
    });
  }
});

describe('errors found at admission time, for every result (checked with an unknown result type)', () => {
  const rows: readonly [source: string, detail: string][] = [
    ['results > 1', 'unknown name results'],
    ['null == result', 'unknown name null'],
    ['Result > 1', 'unknown name Result'],
    ['avg(result)', 'unknown name avg'],
    ['length(result) > 0', 'unknown name length'],
    ['result.my-metric > 1', 'unknown name metric'],
    ['asInt()', 'not enough arguments to call asInt'],
    ['asInt(1, 2)', 'too many arguments to call asInt'],
    ['default(result)', 'not enough arguments to call default'],
    ['isNaN("x")', 'cannot use string as argument (type float64) to call isNaN '],
    ['"a" + 1', 'invalid operation: + (mismatched types string and int)'],
    ['true == 1', 'invalid operation: == (mismatched types bool and int)'],
    ['1 < 2 < 3', 'invalid operation: < (mismatched types bool and int)'],
    ['5 % 0', 'integer divide by zero'],
    ['1.5 % 2', 'invalid operation: % (mismatched types float64 and int)'],
    ['not 1', 'invalid operation: not (mismatched type int)'],
    ['-"a"', 'invalid operation: - (mismatched type string)'],
    ['"a" in "abc"', 'invalid operation: in (mismatched types string and string)'],
    ['42 in ["a"]', 'invalid operation: in (mismatched types int and []interface {})'],
    ['1 in {a: 1}', 'invalid operation: in (mismatched types int and map[string]interface {})'],
    ['["ok"] contains "ok"', 'invalid operation: contains (mismatched types []interface {} and string)'],
    ['1.5..3', 'invalid operation: .. (mismatched types float64 and int)'],
    ['"x" matches "["', 'error parsing regexp: missing closing ]: `[`'],
    ['"x" matches "(?=y)"', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['"x" matches "(a)\\\\1"', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['1 ? 2 : 3', 'non-bool expression (type int) used as condition'],
    ['filter([1], #index > 0)', 'unknown pointer #index'],
    ['map([1], #acc)', 'unknown pointer #acc'],
    ['all(1..3, #)', 'predicate should return boolean (got int)'],
    ['all("abc", true)', 'builtin all takes only array (got string)'],
    ['let result = 1; result', 'cannot redeclare result'],
    ['let len = 1; len', 'cannot redeclare len'],
    ['[1][1.5]', 'array elements can only be selected using an integer (got float64)'],
    ['[1]["a"]', 'array elements can only be selected using an integer (got string)'],
    ['{a: 1}[0]', 'cannot use int to get an element from map[string]interface {}'],
    ['"abc"[0]', 'type string[int] is undefined'],
    ['len(1)', 'invalid argument for len (type int)'],
    ['max("a", 1)', 'invalid argument for max (type string)'],
    ['max([1, 2])', 'invalid argument for max (type []interface {})'],
    ['upper(1)', 'cannot use int as argument (type string) to call upper '],
    ['$env.result', '$env is not supported; use the variable directly (result)'],
    ['result(1)', 'result is not a function'],
    ['let f = 1; f(2)', 'f is not a function'],
  ];
  for (const [source, detail] of rows) {
    it(source, () => {
      const error = parseFailure(source);
      assert.equal(error.stage, 'type');
      assert.equal(error.detail, detail);
    });
  }

  it('reports the position of the offending operator', () => {
    const error = parseFailure('result > 1 && "a" + 1 > 0');
    assert.deepEqual([error.line, error.column], [1, 19]);
  });
});

describe('type errors that depend on the result (Error, not Failed)', () => {
  const rows: readonly [source: string, result: unknown, detail: string][] = [
    ['result >= 0.95', vector(0.99), 'invalid operation: >= (mismatched types []float64 and float64)'],
    ['result >= 0', [1], 'invalid operation: >= (mismatched types []interface {} and int)'],
    ['result[0] < 10', 5, 'type float64[int] is undefined'],
    ['result > 0.5', '0.7', 'invalid operation: > (mismatched types string and float64)'],
    ['result == "200"', 200, 'invalid operation: == (mismatched types float64 and string)'],
    ['result % 2 == 0', 4, 'invalid operation: % (mismatched types float64 and int)'],
    ['result > 1', null, 'invalid operation: > (mismatched types <nil> and int)'],
    ['isNil(result) || result > 1', null, 'invalid operation: > (mismatched types <nil> and int)'],
    ['result.status == "ok"', null, 'type <nil> has no field status'],
    ['result?.status == "ok"', null, 'type <nil> has no field status'],
    ['result[0] > 1', null, 'type <nil>[int] is undefined'],
    ['len(result) > 0', null, 'invalid argument for len (type <nil>)'],
    ['all(result, # > 1)', null, 'builtin all takes only array (got <nil>)'],
    ['all(result, # > 1)', { a: 1 }, 'builtin all takes only array (got map[string]interface {})'],
    ['result.x > 1', 3, 'type float64[string] is undefined'],
    ['isNaN(result)', vector(1), 'cannot use []float64 as argument (type float64) to call isNaN '],
    ['isNaN(result)', [1], 'cannot use []interface {} as argument (type float64) to call isNaN '],
    ['result[0] == "x"', vector(1), 'invalid operation: == (mismatched types float64 and string)'],
    ['max(result) > 1', vector(1), 'invalid argument for max (type []float64)'],
    ['result in [200, 201]', 'ok', 'invalid operation: in (mismatched types string and []interface {})'],
    ['result[0] > 1 ? true : result.x', vector(2), 'array elements can only be selected using an integer (got string)'],
  ];
  for (const [source, result, detail] of rows) {
    it(`${source}  ‹${JSON.stringify(result instanceof Float64Array ? [...result] : result)}›`, () => {
      const error = failure(source, result);
      assert.equal(error.stage, 'type');
      assert.equal(error.detail, detail);
    });
  }

  it('the same condition type-checks for one result and not for the next', () => {
    assert.equal(failure('result > 1', null).stage, 'type');
    assert.doesNotThrow(() => failure('result > "x"', 2));
  });
});

describe('runtime errors', () => {
  const rows: readonly [source: string, result: unknown, detail: string][] = [
    ['result[0] >= 0.95', vector(), 'reflect: slice index out of range'],
    ['result[5]', [1, 2], 'reflect: slice index out of range'],
    ['result[-3]', [1, 2], 'reflect: slice index out of range'],
    ['result.a.b', { a: null }, 'cannot fetch b from <nil>'],
    ['result.a > 1', { a: null }, 'invalid operation: <nil> > int'],
    ['result.a + 1', { a: 'x' }, 'invalid operation: string + int'],
    ['result.a % 2', { a: 3 }, 'invalid operation: float64 % int'],
    ['result.a % result.b', { a: 3, b: 0 }, 'invalid operation: float64 % float64'],
    ['int(result.a) % int(result.b)', { a: 3, b: 0 }, 'runtime error: integer divide by zero'],
    ['!result.a', { a: null }, 'interface conversion: interface {} is nil, not bool'],
    ['result.a && result.b', { a: 1, b: true }, 'interface conversion: interface {} is float64, not bool'],
    ['result.a ? 1 : 2', { a: 'yes' }, 'interface conversion: interface {} is string, not bool'],
    ['all(result, #)', [true, 1], 'interface conversion: interface {} is float64, not bool'],
    ['result.a contains "x"', { a: null }, 'interface conversion: interface {} is nil, not string'],
    ['result.a matches "x"', { a: 1 }, 'interface conversion: interface {} is float64, not string'],
    ['"x" matches result.p', { p: '(' }, 'error parsing regexp: missing closing ): `(`'],
    ['result.a in result.b', { a: 1, b: 'abc' }, 'operator "in" not defined on string'],
    ['result.code in ["ok"]', { code: 200 }, 'reflect.Value.MapIndex: value of type float64 is not assignable to type string'],
    ['findIndex(result, # > 5) == -1', [1, 2], 'interface conversion: interface {} is nil, not int'],
    ['asInt(result)', '4.2', 'strconv.ParseInt: parsing "4.2": invalid syntax'],
    ['asInt(result)', ' 4', 'strconv.ParseInt: parsing " 4": invalid syntax'],
    ['asInt(result)', '99999999999999999999', 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
    ['asInt(result)', true, 'asInt() not supported on bool true'],
    ['asFloat(result)', 'n/a', 'strconv.ParseFloat: parsing "n/a": invalid syntax'],
    ['asFloat(result)', null, 'asFloat() not supported on <nil> <nil>'],
    ['isNaN(result.x)', { x: 'NaN' }, 'interface conversion: interface {} is string, not float64'],
    ['default(result, 0) < 0.05', vector(0.01), 'invalid operation: []float64 < float64'],
    ['default(result[0], 0) > 1', vector(), 'reflect: slice index out of range'],
    ['int("4.2")', null, 'invalid operation: int(4.2)'],
    ['duration("1d")', null, 'time: unknown unit "d" in duration "1d"'],
    ['reduce([], #acc)', null, 'reduce of empty array with no initial value'],
    ['now()', null, 'now() is not available: no evaluation time was given'],
    ['{(result.k): 1}', { k: 1 }, 'map key must be a string (got float64)'],
    ['result.a..3', { a: 'x' }, 'invalid operation: string..int'],
  ];
  for (const [source, result, detail] of rows) {
    it(`${source}  ‹${JSON.stringify(result instanceof Float64Array ? [...result] : result)}›`, () => {
      const error = failure(source, result);
      assert.equal(error.stage, 'runtime');
      assert.equal(error.detail, detail);
    });
  }

  it('points at the node that failed', () => {
    const error = failure('result.ok && result.a.b', { ok: true, a: null });
    assert.deepEqual([error.line, error.column], [1, 22]);
    assert.equal(error.message, 'cannot fetch b from <nil> at 1:22');
  });
});
