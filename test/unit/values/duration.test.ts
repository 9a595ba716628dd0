import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Duration } from '../../../functions/values/duration.ts';
import { ValueParseError } from '../../../functions/values/value-parse-error.ts';

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

describe('pause duration › accepted forms', () => {
  const cases: Array<[input: number | string, seconds: number, canonical: string]> = [
    [30, 30, '30s'],
    [0, 0, '0s'],
    ['30', 30, '30s'],
    ['+30', 30, '30s'],
    ['-0', 0, '0s'],
    ['0', 0, '0s'],
    ['007', 7, '7s'],
    ['30s', 30, '30s'],
    ['1m30s', 90, '1m30s'],
    ['1h', 3600, '1h0m0s'],
    ['1.5h', 5400, '1h30m0s'],
    ['2h45m', 9900, '2h45m0s'],
    ['1500ms', 1, '1s'], // fractions of a second are dropped, as Argo's int32(d.Seconds()) does
    ['1.9s', 1, '1s'],
    ['500ms', 0, '0s'],
    ['999999us', 0, '0s'],
    [2147483647, 2147483647, '596523h14m7s'],
    ['2147483647', 2147483647, '596523h14m7s'],
  ];
  for (const [input, seconds, canonical] of cases) {
    it(`${show(input)} is ${seconds}s`, () => {
      const d = Duration.parse(input);
      assert.equal(d.toSeconds(), seconds);
      assert.equal(d.toMilliseconds(), seconds * 1000);
      assert.equal(d.toString(), canonical);
      assert.equal(d.source, input);
      assert.equal(d.toJSON(), input);
    });
  }
});

describe('pause duration › refused forms', () => {
  const cases: Array<[input: unknown, reason: RegExp]> = [
    [-1, /must not be negative/],
    ['-5', /must not be negative/],
    ['-1m', /must not be negative/],
    ['-500ms', /must not be negative/],
    [1.5, /whole number of seconds/],
    [Number.NaN, /not a finite number/],
    [Number.POSITIVE_INFINITY, /not a finite number/],
    [2147483648, /more than 2147483647 seconds/],
    ['2147483648', /more than 2147483647 seconds/],
    ['1000000h', /more than 2147483647 seconds/],
    ['', /empty string/],
    ['abc', /expected a number at "abc"/],
    ['1d', /unknown unit "d" \(days are not supported/],
    ['30 s', /unknown unit " s"/],
    [' 30', /expected a number/],
    ['1.5', /missing unit/],
    ['s', /expected a number at "s"/],
    ['.s', /needs digits/],
    ['-', /sign without a number/],
    [true, /must be an integer or a string/],
    [null, /must be an integer or a string/],
  ];
  for (const [input, reason] of cases) {
    it(`${show(input)} throws ValueParseError`, () => {
      assert.throws(
        () => Duration.parse(input as number | string),
        (e: unknown) => e instanceof ValueParseError && reason.test(e.reason) && Object.is(e.input, input),
      );
    });
  }

  it('the message names the value, the reason and what would be accepted', () => {
    try {
      Duration.parse('1d');
      assert.fail('expected a throw');
    } catch (e) {
      assert.ok(e instanceof ValueParseError);
      assert.equal(
        e.message,
        'invalid pause duration "1d": unknown unit "d" (days are not supported, use h); units are ns, us (or µs), ms, s, m, h; ' +
          'expected a non-negative whole number of seconds (30), a numeric string ("30") or a Go duration string ' +
          '("30s", "1m30s", "1h", "500ms", "1.5h"); fractions of a second are dropped',
      );
      assert.equal(e.detail, `${e.reason}; expected ${e.expected}`);
    }
  });
});

describe('duration string (interval, initialDelay) › Go time.ParseDuration syntax', () => {
  const cases: Array<[input: string, nanoseconds: bigint, canonical: string]> = [
    ['0', 0n, '0s'],
    ['+0', 0n, '0s'],
    ['0s', 0n, '0s'],
    ['5s', 5_000_000_000n, '5s'],
    ['30s', 30_000_000_000n, '30s'],
    ['5m', 300_000_000_000n, '5m0s'],
    ['1h30m', 5_400_000_000_000n, '1h30m0s'],
    ['1h2m3s4ms5us6ns', 3_723_004_005_006n, '1h2m3.004005006s'],
    ['500ms', 500_000_000n, '500ms'],
    ['1.5s', 1_500_000_000n, '1.5s'],
    ['.5s', 500_000_000n, '500ms'],
    ['1.s', 1_000_000_000n, '1s'],
    ['1500us', 1_500_000n, '1.5ms'],
    ['1500µs', 1_500_000n, '1.5ms'],
    ['1500μs', 1_500_000n, '1.5ms'],
    ['250ns', 250n, '250ns'],
    ['1000ns', 1_000n, '1µs'],
    ['90s', 90_000_000_000n, '1m30s'],
    ['-1m', -60_000_000_000n, '-1m0s'],
    ['3m3m', 360_000_000_000n, '6m0s'],
    ['0.000000001s', 1n, '1ns'],
    ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n, '2562047h47m16.854775807s'],
    ['-2562047h47m16.854775808s', -9_223_372_036_854_775_808n, '-2562047h47m16.854775808s'],
  ];
  for (const [input, nanoseconds, canonical] of cases) {
    it(`${JSON.stringify(input)} is ${canonical}`, () => {
      const d = Duration.parseDurationString(input);
      assert.equal(d.toNanoseconds(), nanoseconds);
      assert.equal(d.toString(), canonical);
      assert.equal(d.toJSON(), input);
    });
  }

  it('keeps sub-second precision in milliseconds and seconds', () => {
    assert.equal(Duration.parseDurationString('1500us').toMilliseconds(), 1.5);
    assert.equal(Duration.parseDurationString('250ms').toSeconds(), 0.25);
    assert.equal(Duration.parseDurationString('1m30s').toMilliseconds(), 90_000);
  });

  it('reports negative values so a validator can refuse them', () => {
    assert.equal(Duration.parseDurationString('-1s').isNegative(), true);
    assert.equal(Duration.parseDurationString('1s').isNegative(), false);
  });

  const refused: Array<[input: string, reason: RegExp]> = [
    ['', /empty string/],
    ['30', /missing unit/],
    ['00', /missing unit/],
    ['1d', /unknown unit "d"/],
    ['1S', /unknown unit "S"/],
    ['1h 30m', /unknown unit "h "/],
    ['h', /expected a number/],
    ['1.2.3s', /missing unit/],
    ['2562047h47m16.854775808s', /out of range/],
    ['9223372036854775808ns', /out of range/],
    ['99999999999999999999h', /out of range/],
  ];
  for (const [input, reason] of refused) {
    it(`${JSON.stringify(input)} throws ValueParseError`, () => {
      assert.throws(
        () => Duration.parseDurationString(input),
        (e: unknown) => e instanceof ValueParseError && reason.test(e.reason) && /expected a Go duration string/.test(e.message),
      );
    });
  }

  it('a non-string throws ValueParseError', () => {
    assert.throws(() => Duration.parseDurationString(30 as unknown as string), ValueParseError);
  });
});

describe('duration › construction and comparison', () => {
  it('ofSeconds and ofMilliseconds build durations without a wire source', () => {
    const d = Duration.ofSeconds(90);
    assert.equal(d.source, undefined);
    assert.equal(d.toJSON(), '1m30s');
    assert.equal(Duration.ofMilliseconds(1500).toString(), '1.5s');
  });

  it('equal lengths compare equal whatever their wire form', () => {
    assert.ok(Duration.parse(60).equals(Duration.parse('1m')));
    assert.equal(Duration.parse('1m').compareTo(Duration.parseDurationString('61s')), -1);
    assert.equal(Duration.parse(61).compareTo(Duration.parseDurationString('1m')), 1);
    assert.equal(Duration.parse(0).compareTo(Duration.parseDurationString('0')), 0);
    assert.equal(Duration.parse(0).isZero(), true);
  });

  it('after(from) adds the duration to a point in time', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    assert.equal(Duration.parse('1m30s').after(from).toISOString(), '2026-01-01T00:01:30.000Z');
  });

  it('ofSeconds refuses a non-finite value', () => {
    assert.throws(() => Duration.ofSeconds(Number.NaN), RangeError);
  });
});
