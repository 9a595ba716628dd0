// now(), duration(), date() and Prometheus rangeQuery start/end (reference §7.4).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateTime } from '../../../functions/expr/index.ts';
import { failure, run } from './helpers.ts';

const NOW = new Date('2024-05-01T12:00:00.000Z');

describe('durations (Go time.ParseDuration)', () => {
  const rows: readonly [text: string, printed: string][] = [
    ['300ms', '300ms'],
    ['1.5h', '1h30m0s'],
    ['2h45m', '2h45m0s'],
    ['-1m30s', '-1m30s'],
    ['+5s', '5s'],
    ['1us', '1µs'],
    ['1µs', '1µs'],
    ['1ns', '1ns'],
    ['0', '0s'],
    ['.5s', '500ms'],
    ['1.000000001s', '1.000000001s'],
  ];
  for (const [text, printed] of rows) {
    it(`${text} → ${printed}`, () => {
      assert.equal(run(`string(duration("${text}"))`), printed);
    });
  }
  const errors: readonly [text: string, detail: string][] = [
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['1', 'time: missing unit in duration "1"'],
    ['', 'time: invalid duration ""'],
    ['h', 'time: invalid duration "h"'],
    ['9999999999h', 'time: invalid duration "9999999999h"'],
  ];
  for (const [text, detail] of errors) {
    it(`${JSON.stringify(text)} fails`, () => {
      assert.equal(failure(`duration("${text}")`).detail, detail);
    });
  }
  it('durations add, subtract and compare', () => {
    assert.equal(run('duration("1h") + duration("30m") == duration("90m")'), true);
    assert.equal(run('duration("1h") > duration("59m")'), true);
    assert.equal(run('string(duration("1h") - duration("90m"))'), '-30m0s');
  });
});

describe('dates (Go layouts)', () => {
  const rows: readonly [source: string, iso: string][] = [
    ['date("2024-01-02")', '2024-01-02T00:00:00.000Z'],
    ['date("2024-01-02 03:04:05")', '2024-01-02T03:04:05.000Z'],
    ['date("2024-01-02T03:04:05Z")', '2024-01-02T03:04:05.000Z'],
    ['date("2024-01-02T03:04:05.250+02:00")', '2024-01-02T01:04:05.250Z'],
    ['date("02 Jan 24 15:04 UTC")', '2024-01-02T15:04:00.000Z'],
    ['date("Tue, 02 Jan 2024 15:04:05 GMT")', '2024-01-02T15:04:05.000Z'],
    ['date("Tuesday, 02-Jan-24 15:04:05 UTC")', '2024-01-02T15:04:05.000Z'],
    ['date("2024/03/04", "2006/01/02")', '2024-03-04T00:00:00.000Z'],
    ['date("March 4, 2024 3:05PM", "January 2, 2006 3:04PM")', '2024-03-04T15:05:00.000Z'],
    ['date("04-Mar-2024 12:00:00.5 -0700", "02-Jan-2006 15:04:05.999 -0700")', '2024-03-04T19:00:00.500Z'],
    ['date("2024-07-01 12:00", "2006-01-02 15:04", "Europe/Berlin")', '2024-07-01T10:00:00.000Z'],
    ['date("2024-01-01 12:00", "2006-01-02 15:04", "Europe/Berlin")', '2024-01-01T11:00:00.000Z'],
  ];
  for (const [source, iso] of rows) {
    it(source, () => {
      assert.equal((run(source) as Date).toISOString(), iso);
    });
  }
  it('times compare, subtract to durations and move by durations', () => {
    assert.equal(run('date("2024-01-02") > date("2024-01-01")'), true);
    assert.equal(run('string(date("2024-01-02") - date("2024-01-01"))'), '24h0m0s');
    assert.equal((run('date("2024-01-01") + duration("36h")') as Date).toISOString(), '2024-01-02T12:00:00.000Z');
    assert.equal(run('date("2024-01-01") == date("2024-01-01T00:00:00Z")'), true);
  });
  it('now() is the time the caller gives, never the clock', () => {
    assert.equal((run('now()', null, { now: NOW }) as Date).toISOString(), NOW.toISOString());
    assert.equal(run('now() - duration("1h") < now()', null, { now: NOW }), true);
  });
  const errors: readonly [source: string, detail: string][] = [
    ['date("2024-02-30")', 'cannot parse "2024-02-30" as a date (tried the layouts 2006-01-02, 15:04:05, 2006-01-02 15:04:05, 2006-01-02T15:04:05Z07:00, 02 Jan 06 15:04 MST, Monday, 02-Jan-06 15:04:05 MST, Mon, 02 Jan 2006 15:04:05 MST)'],
    ['date("2024-02-30", "2006-01-02")', 'parsing time "2024-02-30": day out of range'],
    ['date("x", "2006-01-02")', 'parsing time "x" as "2006-01-02": cannot parse "x" as "2006"'],
    ['date("2024-01-01 extra", "2006-01-02")', 'parsing time "2024-01-01 extra" as "2006-01-02": extra text: " extra"'],
    ['date("2024-13-01", "2006-01-02")', 'parsing time "2024-13-01": month out of range'],
    ['date("2024-01-01", "2006-01-02", "Mars/Olympus")', 'unknown time zone Mars/Olympus'],
  ];
  for (const [source, detail] of errors) {
    it(`${source} fails`, () => {
      assert.equal(failure(source).detail, detail);
    });
  }
});

describe('rangeQuery start/end (evaluateTime)', () => {
  it('now() minus a lookback argument', () => {
    const outcome = evaluateTime({ expression: 'now() - duration("{{args.lookback}}")', now: NOW, args: { lookback: '10m' } });
    assert.ok(outcome.ok);
    assert.equal(outcome.time.toISOString(), '2024-05-01T11:50:00.000Z');
    assert.equal(outcome.unixNanos, BigInt(NOW.getTime() - 600_000) * 1_000_000n);
  });
  it('now() itself', () => {
    const outcome = evaluateTime({ expression: 'now()', now: NOW });
    assert.ok(outcome.ok);
    assert.equal(outcome.time.getTime(), NOW.getTime());
  });
  it('a value that is not a time is an error', () => {
    const outcome = evaluateTime({ expression: 'duration("1h")', now: NOW });
    assert.ok(!outcome.ok);
    assert.equal(outcome.message, 'expected time.Time, but got time.Duration');
  });
  it('result and the condition helpers do not exist there', () => {
    const withResult = evaluateTime({ expression: 'now() - duration(string(result) + "m")', now: NOW });
    assert.ok(!withResult.ok);
    assert.equal(withResult.message, 'unknown name result');
    const withHelper = evaluateTime({ expression: 'now() - duration(string(asInt("1")) + "m")', now: NOW });
    assert.ok(!withHelper.ok);
    assert.equal(withHelper.message, 'unknown name asInt');
  });
  it('isNaN and isInf do', () => {
    const outcome = evaluateTime({ expression: 'isNaN(1.0) ? now() : now() - duration("1h")', now: NOW });
    assert.ok(outcome.ok);
    assert.equal(outcome.time.toISOString(), '2024-05-01T11:00:00.000Z');
  });
  it('a bad duration is reported with Go\'s text', () => {
    const outcome = evaluateTime({ expression: 'now() - duration("1d")', now: NOW });
    assert.ok(!outcome.ok);
    assert.equal(outcome.message, 'time: unknown unit "d" in duration "1d"');
  });
});
