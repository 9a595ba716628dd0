// Measurement phase from successCondition / failureCondition (reference §7.3 and §7.5).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measurementPhase, type MeasurementPhase } from '../../../functions/expr/index.ts';
import { vector } from './helpers.ts';

describe('phase table', () => {
  const T = 'result == 1';
  const F = 'result == 2';
  const rows: readonly [success: string | undefined, failure: string | undefined, phase: MeasurementPhase][] = [
    [undefined, undefined, 'Successful'],
    ['', '', 'Successful'],
    [T, undefined, 'Successful'],
    [F, undefined, 'Failed'],
    [undefined, T, 'Failed'],
    [undefined, F, 'Successful'],
    ['', T, 'Failed'],
    [T, F, 'Successful'],
    [T, T, 'Failed'],
    [F, T, 'Failed'],
    [F, F, 'Inconclusive'],
  ];
  for (const [successCondition, failureCondition, phase] of rows) {
    it(`success ${JSON.stringify(successCondition ?? null)}, failure ${JSON.stringify(failureCondition ?? null)} → ${phase}`, () => {
      assert.deepEqual(measurementPhase({ successCondition, failureCondition, result: 1 }), { phase });
    });
  }
});

describe('errors', () => {
  it('an error in the success condition is Error and the failure condition is not evaluated', () => {
    assert.deepEqual(
      measurementPhase({ successCondition: 'result[0] >= 0.95', failureCondition: 'true', result: vector() }),
      { phase: 'Error', message: 'reflect: slice index out of range' });
  });
  it('an error in the failure condition is Error even when success is true', () => {
    assert.deepEqual(
      measurementPhase({ successCondition: 'true', failureCondition: 'result.x > 1', result: 3 }),
      { phase: 'Error', message: 'type float64[string] is undefined' });
  });
  it('a condition that does not yield a bool is an Error with Argo\'s wording', () => {
    const rows: readonly [condition: string, result: unknown, message: string][] = [
      ['result', 0.5, 'expected bool, but got float64'],
      ['result', null, 'expected bool, but got <nil>'],
      ['result.status', { status: 'ok' }, 'expected bool, but got string'],
      ['len(result)', vector(1), 'expected bool, but got int'],
      ['result', [true], 'expected bool, but got []interface {}'],
      ['result', { a: true }, 'expected bool, but got map[string]interface {}'],
      ['true && result.x', { x: 1 }, 'expected bool, but got float64'],
    ];
    for (const [successCondition, result, message] of rows) {
      assert.deepEqual(measurementPhase({ successCondition, result }), { phase: 'Error', message }, successCondition);
    }
  });
  it('a type error decided by the result is Error, while the same condition can succeed for another result', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'isNil(result) || result > 1', result: null }),
      { phase: 'Error', message: 'invalid operation: > (mismatched types <nil> and int)' });
    assert.deepEqual(measurementPhase({ successCondition: 'isNil(result) || result > 1', result: 2 }),
      { phase: 'Successful' });
  });
  it('the classic mistake: a scalar comparison on a Prometheus vector is an Error, not Failed', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'result >= 0.95', result: vector(0.5) }),
      { phase: 'Error', message: 'invalid operation: >= (mismatched types []float64 and float64)' });
  });
  it('a syntax error keeps its position', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'result >= )', result: 1 }),
      { phase: 'Error', message: 'unexpected token ")" at 1:11, expected an operand' });
  });
  it('Argo v1.10 wording wraps the message and names the condition', () => {
    assert.deepEqual(
      measurementPhase({ successCondition: 'result.x > 1', result: 3, messageStyle: 'argo-v1.10' }),
      { phase: 'Error', message: 'could not evaluate successCondition "result.x > 1": type float64[string] is undefined' });
    assert.deepEqual(
      measurementPhase({ failureCondition: 'result[0] > 1', result: vector(), messageStyle: 'argo-v1.10' }),
      {
        phase: 'Error',
        message: 'could not evaluate failureCondition "result[0] > 1": metric result is nil or empty: no data returned from the metric provider',
      });
  });
});

describe('arguments and results per provider', () => {
  it('substitutes {{args.name}} before parsing', () => {
    assert.deepEqual(measurementPhase({
      successCondition: 'result[0] * 100 > {{args.threshold}}', result: vector(0.97), args: { threshold: '95' },
    }), { phase: 'Successful' });
    assert.deepEqual(measurementPhase({
      successCondition: 'result == "{{ args.expected }}"', result: 'ok', args: { expected: 'ok' },
    }), { phase: 'Successful' });
  });
  it('a placeholder without a value is an Error', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'result > {{args.missing}}', result: 1, args: {} }),
      { phase: 'Error', message: 'failed to resolve {{args.missing}}: no argument named "missing"' });
  });
  it('Datadog with no data (nil) and default()', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'default(result, 0) < 0.05', result: null }), { phase: 'Successful' });
    assert.deepEqual(measurementPhase({ successCondition: 'default(result, 0) < 0.05', result: 0.2 }), { phase: 'Failed' });
  });
  it('web JSON: numbers are float64 below the top level', () => {
    assert.deepEqual(measurementPhase({
      successCondition: 'result.ok == true && result.rate >= 0.99', failureCondition: 'result.errors > 10',
      result: { ok: true, rate: 0.995, errors: 0 },
    }), { phase: 'Successful' });
  });
  it('NaN from Prometheus compares false; isNaN handles it', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'result[0] >= 0.95', result: vector(NaN) }), { phase: 'Failed' });
    assert.deepEqual(measurementPhase({
      successCondition: 'isNaN(result[0]) || result[0] >= 0.95', result: vector(NaN),
    }), { phase: 'Successful' });
  });
  it('an unsupported result value is an Error, not a crash', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'true', result: () => 1 }),
      { phase: 'Error', message: 'measurement result contains an unsupported value (a function)' });
  });
});

describe('limits as measurement errors', () => {
  it('a memory budget overrun is an Error with expr\'s text', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'len(1..10000000) > 0', result: 1 }),
      { phase: 'Error', message: 'memory budget exceeded' });
  });
  it('a step budget overrun is an Error naming the budget', () => {
    assert.deepEqual(measurementPhase({ successCondition: 'all(1..500, # > 0)', result: 1, limits: { maxSteps: 100 } }),
      { phase: 'Error', message: 'evaluation exceeded its budget of 100 steps' });
  });
});
