import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  hasScaleDownDeadline,
  PREFIXED_SCALE_DOWN_DEADLINE_ANNOTATION,
  readScaleDownDeadline,
  SCALE_DOWN_DEADLINE_ANNOTATION,
  SCALE_DOWN_DEADLINE_KEYS,
  scaleDownDeadlineRemainingMs,
  scaleDownDeadlineValue,
} from '../../../functions/rollout/scale-down-deadline.ts';

describe('scale-down deadline › keys', () => {
  it('writes the bare key Argo’s controller uses', () => {
    assert.equal(SCALE_DOWN_DEADLINE_ANNOTATION, 'scale-down-deadline');
  });

  it('also reads the key Argo’s FAQ documents, after the bare one', () => {
    assert.equal(PREFIXED_SCALE_DOWN_DEADLINE_ANNOTATION, 'argo-rollouts.argoproj.io/scale-down-deadline');
    assert.deepEqual(SCALE_DOWN_DEADLINE_KEYS, ['scale-down-deadline', 'argo-rollouts.argoproj.io/scale-down-deadline']);
  });
});

describe('scale-down deadline › value as Argo writes it (RFC3339, UTC, whole seconds)', () => {
  const cases: Array<[now: string, delay: number, value: string]> = [
    ['2026-01-01T00:00:00.000Z', 30, '2026-01-01T00:00:30Z'],
    ['2026-01-01T00:00:00.999Z', 30, '2026-01-01T00:00:30Z'], // the fraction is dropped, not rounded
    ['2026-01-01T00:00:00.000Z', 0, '2026-01-01T00:00:00Z'],
    ['2026-12-31T23:59:45.500Z', 30, '2027-01-01T00:00:15Z'],
    ['2026-06-01T12:00:00+02:00', 5, '2026-06-01T10:00:05Z'], // always written in UTC
  ];
  for (const [now, delay, value] of cases) {
    it(`now ${now} + ${delay}s → ${value}`, () => assert.equal(scaleDownDeadlineValue(new Date(now), delay), value));
  }

  it('a negative or fractional delay is a programming error', () => {
    assert.throws(() => scaleDownDeadlineValue(new Date(0), -1), RangeError);
    assert.throws(() => scaleDownDeadlineValue(new Date(0), 1.5), RangeError);
  });

  it('an invalid Date is a programming error', () => {
    assert.throws(() => scaleDownDeadlineValue(new Date(Number.NaN), 30), RangeError);
  });

  it('what is written reads back', () => {
    const now = new Date('2026-03-04T05:06:07.890Z');
    const read = readScaleDownDeadline({ [SCALE_DOWN_DEADLINE_ANNOTATION]: scaleDownDeadlineValue(now, 30) });
    assert.equal(read?.toISOString(), '2026-03-04T05:06:37.000Z');
  });
});

describe('scale-down deadline › reading', () => {
  const at = '2026-01-01T00:00:30Z';
  const cases: Array<[rule: string, annotations: Record<string, string> | undefined, iso: string | undefined]> = [
    ['the bare key', { 'scale-down-deadline': at }, '2026-01-01T00:00:30.000Z'],
    ['the prefixed key', { 'argo-rollouts.argoproj.io/scale-down-deadline': at }, '2026-01-01T00:00:30.000Z'],
    ['both keys: the bare key wins', { 'scale-down-deadline': at, 'argo-rollouts.argoproj.io/scale-down-deadline': '2030-01-01T00:00:00Z' }, '2026-01-01T00:00:30.000Z'],
    ['an empty bare key falls back to the prefixed key', { 'scale-down-deadline': '', 'argo-rollouts.argoproj.io/scale-down-deadline': at }, '2026-01-01T00:00:30.000Z'],
    ['no annotation', { other: at }, undefined],
    ['no annotations at all', undefined, undefined],
    ['an offset is honoured', { 'scale-down-deadline': '2026-01-01T02:00:30+02:00' }, '2026-01-01T00:00:30.000Z'],
    ['a negative offset is honoured', { 'scale-down-deadline': '2025-12-31T16:30:30-07:30' }, '2026-01-01T00:00:30.000Z'],
    ['fractional seconds are read to the millisecond', { 'scale-down-deadline': '2026-01-01T00:00:30.123456789Z' }, '2026-01-01T00:00:30.123Z'],
    ['a comma before the fraction is read as Go does', { 'scale-down-deadline': '2026-01-01T00:00:30,5Z' }, '2026-01-01T00:00:30.500Z'],
    ['a one-digit hour is read as Go does', { 'scale-down-deadline': '2026-01-01T9:00:00Z' }, '2026-01-01T09:00:00.000Z'],
    ['not RFC3339 (no zone)', { 'scale-down-deadline': '2026-01-01T00:00:30' }, undefined],
    ['not RFC3339 (lowercase z)', { 'scale-down-deadline': '2026-01-01T00:00:30z' }, undefined],
    ['not RFC3339 (space separator)', { 'scale-down-deadline': '2026-01-01 00:00:30Z' }, undefined],
    ['not a time at all', { 'scale-down-deadline': 'soon' }, undefined],
    ['second 60 is refused', { 'scale-down-deadline': '2026-01-01T00:00:60Z' }, undefined],
    ['hour 24 is refused', { 'scale-down-deadline': '2026-01-01T24:00:00Z' }, undefined],
    ['29 February of a common year is refused', { 'scale-down-deadline': '2026-02-29T00:00:00Z' }, undefined],
    ['29 February of a leap year is read', { 'scale-down-deadline': '2028-02-29T00:00:00Z' }, '2028-02-29T00:00:00.000Z'],
    ['an offset hour above 24 is refused', { 'scale-down-deadline': '2026-01-01T00:00:00+25:00' }, undefined],
  ];
  for (const [rule, annotations, iso] of cases) {
    it(`${rule} → ${iso ?? 'none'}`, () => assert.equal(readScaleDownDeadline(annotations)?.toISOString(), iso));
  }

  it('an unreadable deadline is still a deadline (Argo scales such an RS down)', () => {
    assert.equal(hasScaleDownDeadline({ 'scale-down-deadline': 'soon' }), true);
    assert.equal(readScaleDownDeadline({ 'scale-down-deadline': 'soon' }), undefined);
  });

  it('an empty value is no deadline', () => {
    assert.equal(hasScaleDownDeadline({ 'scale-down-deadline': '' }), false);
    assert.equal(hasScaleDownDeadline(undefined), false);
    assert.equal(hasScaleDownDeadline({ 'argo-rollouts.argoproj.io/scale-down-deadline': '2026-01-01T00:00:00Z' }), true);
  });
});

describe('scale-down deadline › time remaining', () => {
  const annotations = { 'scale-down-deadline': '2026-01-01T00:00:30Z' };
  const cases: Array<[now: string, remaining: number | undefined]> = [
    ['2026-01-01T00:00:00Z', 30_000],
    ['2026-01-01T00:00:29.500Z', 500],
    ['2026-01-01T00:00:30Z', undefined], // at the deadline there is nothing left to wait for
    ['2026-01-01T00:01:00Z', undefined],
  ];
  for (const [now, remaining] of cases) {
    it(`at ${now} → ${remaining ?? 'nothing to wait for'}`, () => {
      assert.equal(scaleDownDeadlineRemainingMs(annotations, new Date(now)), remaining);
    });
  }

  it('no or unreadable deadline → nothing to wait for', () => {
    assert.equal(scaleDownDeadlineRemainingMs(undefined, new Date(0)), undefined);
    assert.equal(scaleDownDeadlineRemainingMs({ 'scale-down-deadline': 'soon' }, new Date(0)), undefined);
  });
});
