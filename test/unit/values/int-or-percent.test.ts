import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IntOrPercent, type Rounding } from '../../../functions/values/int-or-percent.ts';
import { ValueParseError } from '../../../functions/values/value-parse-error.ts';

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

describe('int-or-percent › Argo reading (every string is a percentage)', () => {
  const cases: Array<[input: number | string, kind: 'int' | 'percent', value: number, canonical: string]> = [
    [3, 'int', 3, '3'],
    [0, 'int', 0, '0'],
    ['3', 'percent', 3, '3%'],
    ['25', 'percent', 25, '25%'],
    ['25%', 'percent', 25, '25%'],
    ['0', 'percent', 0, '0%'],
    ['0%', 'percent', 0, '0%'],
    ['+5', 'percent', 5, '5%'],
    ['-0', 'percent', 0, '0%'],
    ['007%', 'percent', 7, '7%'],
    ['150%', 'percent', 150, '150%'],
    [2147483647, 'int', 2147483647, '2147483647'],
  ];
  for (const [input, kind, value, canonical] of cases) {
    it(`${show(input)} is ${kind === 'int' ? `${value} pods` : `${value} percent`}`, () => {
      const v = IntOrPercent.parse(input);
      assert.equal(v.kind, kind);
      assert.equal(v.value, value);
      assert.equal(v.toString(), canonical);
      assert.equal(v.toJSON(), input);
    });
  }
});

describe('int-or-percent › resolve against a total', () => {
  const cases: Array<[input: number | string, total: number, rounding: Rounding, pods: number]> = [
    [3, 10, 'up', 3],
    [3, 10, 'down', 3],
    [3, 1, 'down', 3], // an integer is not capped here; callers cap where Argo does
    ['25%', 10, 'up', 3],
    ['25%', 10, 'down', 2],
    ['25', 10, 'up', 3],
    ['25', 10, 'down', 2],
    ['3', 10, 'up', 1], // "3" is 3 %, not 3 pods
    ['3', 10, 'down', 0],
    ['20%', 10, 'up', 2],
    ['20%', 10, 'down', 2],
    ['33%', 3, 'up', 1],
    ['33%', 3, 'down', 0],
    ['100%', 7, 'down', 7],
    ['150%', 4, 'up', 6],
    ['25%', 0, 'up', 0],
    ['0%', 10, 'up', 0],
    ['1%', 1, 'up', 1],
    ['1%', 1, 'down', 0],
  ];
  for (const [input, total, rounding, pods] of cases) {
    it(`${show(input)} of ${total} rounded ${rounding} is ${pods}`, () => {
      assert.equal(IntOrPercent.parse(input).resolve(total, rounding), pods);
    });
  }

  it('a total that is not a non-negative integer is a programming error', () => {
    assert.throws(() => IntOrPercent.parse('25%').resolve(-1, 'up'), RangeError);
    assert.throws(() => IntOrPercent.parse('25%').resolve(2.5, 'up'), RangeError);
  });
});

describe('int-or-percent › Kubernetes reading (strings must end in %)', () => {
  it('"25%" and 3 parse as with the Argo reading', () => {
    assert.ok(IntOrPercent.parseStrict('25%').equals(IntOrPercent.parse('25%')));
    assert.ok(IntOrPercent.parseStrict(3).equals(IntOrPercent.parse(3)));
  });

  it('"25" is refused', () => {
    assert.throws(
      () => IntOrPercent.parseStrict('25'),
      (e: unknown) => e instanceof ValueParseError && /must end in "%"/.test(e.reason) && /ending in "%"/.test(e.expected),
    );
  });
});

describe('int-or-percent › refused values', () => {
  const cases: Array<[input: unknown, reason: RegExp]> = [
    [-1, /must not be negative/],
    ['-5', /must not be negative/],
    ['-5%', /must not be negative/],
    [1.5, /whole number of pods/],
    [Number.NaN, /not a finite number/],
    [2147483648, /more than 2147483647/],
    ['2147483648%', /more than 2147483647/],
    ['2%5', /only appear once, at the end/],
    ['25%%', /only appear once, at the end/],
    ['%25', /only appear once, at the end/],
    ['abc', /not an integer or a percentage/],
    ['1e3', /not an integer or a percentage/],
    ['2.5%', /before "%" is not an integer/],
    ['%', /before "%" is not an integer/],
    ['', /not an integer or a percentage/],
    [' 25%', /whitespace/],
    ['25 %', /before "%" is not an integer/],
    [true, /must be an integer or a string/],
    [undefined, /must be an integer or a string/],
  ];
  for (const [input, reason] of cases) {
    it(`${show(input)} throws ValueParseError`, () => {
      assert.throws(
        () => IntOrPercent.parse(input as number | string),
        (e: unknown) => e instanceof ValueParseError && reason.test(e.reason) && Object.is(e.input, input),
      );
    });
  }

  it('the message names the value, the reason and what would be accepted', () => {
    assert.throws(() => IntOrPercent.parse('2%5'), {
      message:
        'invalid int-or-percent "2%5": "%" may only appear once, at the end; expected a non-negative integer number of pods (3) ' +
        'or a percentage string ("25%"; Argo also reads a string without "%", such as "25", as a percentage)',
    });
  });
});

describe('int-or-percent › construction and comparison', () => {
  it('ofInt and ofPercent build values without a wire source', () => {
    assert.equal(IntOrPercent.ofInt(3).toJSON(), 3);
    assert.equal(IntOrPercent.ofPercent(25).toJSON(), '25%');
    assert.equal(IntOrPercent.ofPercent(25).source, undefined);
  });

  it('ofInt and ofPercent refuse negative or fractional values', () => {
    assert.throws(() => IntOrPercent.ofInt(-1), RangeError);
    assert.throws(() => IntOrPercent.ofPercent(2.5), RangeError);
  });

  it('"25" and "25%" are the same value; 25 pods is not', () => {
    assert.ok(IntOrPercent.parse('25').equals(IntOrPercent.parse('25%')));
    assert.ok(!IntOrPercent.parse(25).equals(IntOrPercent.parse('25%')));
  });

  it('from() passes a parsed value through and parses a raw one the Argo way', () => {
    const parsed = IntOrPercent.ofInt(2);
    assert.equal(IntOrPercent.from(parsed), parsed);
    assert.equal(IntOrPercent.from('5').kind, 'percent');
  });

  it('zero is zero whether pods or percent', () => {
    assert.equal(IntOrPercent.parse(0).isZero(), true);
    assert.equal(IntOrPercent.parse('0').isZero(), true);
    assert.equal(IntOrPercent.parse('0%').isZero(), true);
    assert.equal(IntOrPercent.parse('1%').isZero(), false);
  });
});
