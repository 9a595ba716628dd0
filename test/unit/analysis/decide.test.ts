import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideAnalysisRun, recordMeasurement } from '../../../functions/analysis/index.ts';
import type { Metric } from '../../../functions/api/index.ts';
import { T0, metric, resultOf, runOf, simulate, type Outcome } from './simulate.ts';

interface Case {
  name: string;
  metric: Partial<Metric>;
  outcomes: Outcome[];
  phase: string;
  /** measurements taken */
  taken: number;
  message?: string;
}

// Every limit, alone and combined, as reference §11.4 step 4 defines the metric phase.
const CASES: Case[] = [
  { name: 'no interval, no count: one measurement', metric: {}, outcomes: ['S'], phase: 'Successful', taken: 1 },
  { name: 'one failure > failureLimit 0', metric: {}, outcomes: ['F'], phase: 'Failed', taken: 1, message: 'Metric "m" assessed Failed due to failed (1) > failureLimit (0)' },
  { name: 'count 3, failureLimit 1: one failure tolerated', metric: { count: 3, interval: '1s', failureLimit: 1 }, outcomes: ['F', 'S', 'S'], phase: 'Successful', taken: 3 },
  { name: 'count 3, failureLimit 1: second failure fails at once', metric: { count: 3, interval: '1s', failureLimit: 1 }, outcomes: ['F', 'F', 'S'], phase: 'Failed', taken: 2, message: 'Metric "m" assessed Failed due to failed (2) > failureLimit (1)' },
  { name: 'failureLimit as a string', metric: { count: 3, interval: '1s', failureLimit: '2' }, outcomes: ['F', 'F', 'S'], phase: 'Successful', taken: 3 },
  { name: 'one inconclusive > inconclusiveLimit 0', metric: {}, outcomes: ['I'], phase: 'Inconclusive', taken: 1, message: 'Metric "m" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)' },
  { name: 'inconclusiveLimit 1 tolerates one', metric: { count: 2, interval: '1s', inconclusiveLimit: 1 }, outcomes: ['I', 'S'], phase: 'Successful', taken: 2 },
  { name: 'five consecutive errors > default consecutiveErrorLimit 4', metric: {}, outcomes: ['E'], phase: 'Error', taken: 5, message: 'Metric "m" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: connection refused"' },
  { name: 'four errors then a success: errors do not count toward count', metric: {}, outcomes: ['E', 'E', 'E', 'E', 'S'], phase: 'Successful', taken: 5 },
  { name: 'consecutiveErrorLimit 0: the first error ends it', metric: { consecutiveErrorLimit: 0 }, outcomes: ['E'], phase: 'Error', taken: 1 },
  { name: 'consecutiveErrorLimit 2: a success resets the streak', metric: { count: 3, interval: '1s', consecutiveErrorLimit: 2 }, outcomes: ['E', 'E', 'S', 'E', 'E', 'S', 'S'], phase: 'Successful', taken: 7 },
  { name: 'error then failure: Failed (failure is a verdict)', metric: {}, outcomes: ['E', 'F'], phase: 'Failed', taken: 2 },
  { name: 'consecutiveSuccessLimit 2 reached before count', metric: { count: 5, interval: '1s', consecutiveSuccessLimit: 2, failureLimit: 3 }, outcomes: ['F', 'S', 'S'], phase: 'Successful', taken: 3 },
  { name: 'both limits, neither reached within count: Inconclusive', metric: { count: 3, interval: '1s', consecutiveSuccessLimit: 2, failureLimit: 1 }, outcomes: ['S', 'F', 'S'], phase: 'Inconclusive', taken: 3 },
  { name: 'failureLimit -1, consecutiveSuccessLimit not reached within count: Failed', metric: { count: 4, interval: '1s', consecutiveSuccessLimit: 2, failureLimit: -1 }, outcomes: ['S', 'F', 'S', 'F'], phase: 'Failed', taken: 4 },
  { name: 'failureLimit -1: failures never fail, successes decide', metric: { count: 6, interval: '1s', consecutiveSuccessLimit: 2, failureLimit: -1 }, outcomes: ['F', 'F', 'F', 'S', 'S'], phase: 'Successful', taken: 5 },
  { name: 'failed beats inconclusive when both are over (last rule wins order)', metric: { count: 2, interval: '1s', failureLimit: 0, inconclusiveLimit: 0 }, outcomes: ['F'], phase: 'Failed', taken: 1 },
  { name: 'count from an argument', metric: { count: '{{args.n}}', interval: '1s' }, outcomes: ['S'], phase: 'Successful', taken: 2 },
];

describe('analysis phase derivation › one metric', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const run = runOf([metric('m', c.metric)], { args: [{ name: 'n', value: '2' }] });
      const sim = simulate(run, { m: c.outcomes });
      assert.equal(sim.run.status?.phase, c.phase);
      assert.equal(sim.takenAt['m']?.length ?? 0, c.taken);
      if (c.message !== undefined) assert.equal(sim.run.status?.message, c.message);
      assert.ok(sim.run.status?.completedAt, 'completedAt is set');
    });
  }
});

describe('analysis scheduling', () => {
  it('takes measurements one interval apart', () => {
    const sim = simulate(runOf([metric('m', { count: 3, interval: '30s' })]), { m: ['S'] });
    assert.deepEqual(sim.takenAt['m'], [0, 30_000, 60_000]);
  });

  it('retries 10 s after an error, whatever the interval', () => {
    const sim = simulate(runOf([metric('m', { count: 2, interval: '5m' })]), { m: ['E', 'S', 'S'] });
    assert.deepEqual(sim.takenAt['m'], [0, 10_000, 310_000]);
  });

  it('waits for initialDelay after startedAt, and asks to be woken then', () => {
    const run = runOf([metric('m', { initialDelay: '1m' })]);
    const first = decideAnalysisRun({ run, now: new Date(T0) });
    assert.deepEqual(first.measurementsToTake, []);
    assert.equal(first.requeueAfterMs, 60_000);
    assert.equal(first.status.phase, 'Running');
    const sim = simulate(run, { m: ['S'] });
    assert.deepEqual(sim.takenAt['m'], [60_000]);
    assert.equal(sim.run.status?.phase, 'Successful');
  });

  it('an interval without count runs until terminated', () => {
    const sim = simulate(runOf([metric('m', { interval: '10s' })]), { m: ['S'] }, { until: (s) => (s.takenAt['m']?.length ?? 0) >= 5 });
    assert.equal(sim.run.status?.phase, 'Running');
    const terminated = simulate({ ...sim.run, spec: { ...sim.run.spec, terminate: true } }, {}, { start: sim.now });
    assert.equal(terminated.run.status?.phase, 'Successful');
    assert.equal(terminated.run.status?.message, 'Run Terminated');
    assert.equal(resultOf(terminated, 'm')?.phase, 'Successful');
  });

  it('resumes an in-flight measurement at resumeAt, not before', () => {
    const run = runOf([metric('m')]);
    const d1 = decideAnalysisRun({ run, now: new Date(T0) });
    const status = recordMeasurement(d1.status, { name: 'm' }, { phase: 'Running', resumeAt: new Date(T0 + 5000).toISOString() }, { now: new Date(T0) });
    const d2 = decideAnalysisRun({ run: { ...run, status }, now: new Date(T0 + 1000) });
    assert.deepEqual(d2.measurementsToTake, []);
    assert.equal(d2.requeueAfterMs, 4000);
    assert.equal(d2.status.phase, 'Running');
    assert.equal(d2.status.metricResults?.[0]?.phase, 'Running');
    const d3 = decideAnalysisRun({ run: { ...run, status }, now: new Date(T0 + 5000) });
    assert.deepEqual(d3.measurementsToTake, ['m']);
  });
});

describe('analysis termination', () => {
  it('terminate with nothing measured: Successful, "Run Terminated"', () => {
    const d = decideAnalysisRun({ run: runOf([metric('m', { initialDelay: '1h' })], { terminate: true }), now: new Date(T0) });
    assert.equal(d.status.phase, 'Successful');
    assert.equal(d.status.message, 'Run Terminated');
    assert.deepEqual(d.measurementsToTake, []);
  });

  it('a terminated in-flight Job measurement counts as Inconclusive, so the run is Inconclusive', () => {
    const run = runOf([metric('job', { provider: { job: { spec: { template: { spec: { containers: [] } } } } } })]);
    const d1 = decideAnalysisRun({ run, now: new Date(T0) });
    const status = recordMeasurement(d1.status, { name: 'job' }, { phase: 'Running', metadata: { 'job-name': 'x' } }, { now: new Date(T0) });
    const terminated = { ...run, spec: { ...run.spec, terminate: true }, status };
    const d2 = decideAnalysisRun({ run: terminated, now: new Date(T0 + 1000) });
    assert.deepEqual(d2.terminateMetrics, ['job']);
    assert.equal(d2.status.phase, 'Running', 'no verdict before the measurement is terminated');
    const sim = simulate(terminated, {}, { start: T0 + 1000 });
    assert.equal(sim.run.status?.phase, 'Inconclusive');
    assert.equal(sim.run.status?.message, 'Metric "job" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0): "Error Message: Metric Terminated"');
  });

  it('one failing metric stops the others; the run reports the worst', () => {
    const run = runOf([metric('a', { interval: '10s' }), metric('b', { count: 3, interval: '10s', failureLimit: 0 })]);
    const sim = simulate(run, { a: ['S'], b: ['S', 'F'] });
    assert.equal(sim.run.status?.phase, 'Failed');
    assert.equal(resultOf(sim, 'a')?.phase, 'Successful');
    assert.equal(resultOf(sim, 'b')?.phase, 'Failed');
    assert.equal(sim.takenAt['a']?.length, 2, 'a stops measuring once b failed');
    assert.deepEqual(sim.run.status?.runSummary, { count: 2, successful: 1, failed: 1 });
  });

  it('Failed is worse than Error', () => {
    const run = runOf([metric('a', { consecutiveErrorLimit: 0 }), metric('b')]);
    const sim = simulate(run, { a: ['E'], b: ['F'] });
    assert.equal(sim.run.status?.phase, 'Failed');
    assert.match(sim.run.status?.message ?? '', /^Metric "b" assessed Failed/);
  });
});

describe('analysis dry-run', () => {
  it('a failing dry-run metric does not affect the run, and its result says why it would have', () => {
    const run = runOf([metric('real'), metric('dry')], { dryRun: [{ metricName: 'dr.' }] });
    const sim = simulate(run, { real: ['S'], dry: ['F'] });
    assert.equal(sim.run.status?.phase, 'Successful');
    const dry = resultOf(sim, 'dry');
    assert.equal(dry?.phase, 'Failed');
    assert.equal(dry?.dryRun, true);
    assert.equal(dry?.message, 'Metric assessed Failed due to failed (1) > failureLimit (0)');
    assert.deepEqual(sim.run.status?.runSummary, { count: 1, successful: 1 });
    assert.deepEqual(sim.run.status?.dryRunSummary, { count: 1, failed: 1 });
  });

  it('a dry-run rule that matches nothing makes the run Error', () => {
    const d = decideAnalysisRun({ run: runOf([metric('a')], { dryRun: [{ metricName: 'zzz' }] }), now: new Date(T0) });
    assert.equal(d.status.phase, 'Error');
    assert.equal(d.status.message, "Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)");
  });
});

describe('analysis measurement retention', () => {
  it('keeps the newest 10 measurements by default and asks the provider to collect the rest', () => {
    const sim = simulate(runOf([metric('m', { count: 12, interval: '1s' })]), { m: ['S'] });
    assert.equal(sim.run.status?.phase, 'Successful');
    assert.equal(resultOf(sim, 'm')?.measurements?.length, 10);
    assert.equal(resultOf(sim, 'm')?.count, 12);
    assert.ok(sim.decisions.some((d) => d.garbageCollect.some((g) => g.metric === 'm' && g.keep === 10)));
  });

  it('measurementRetention.limit overrides it for matching metrics', () => {
    const sim = simulate(runOf([metric('m', { count: 5, interval: '1s' })], { measurementRetention: [{ metricName: '.*', limit: 2 }] }), { m: ['S'] });
    assert.equal(resultOf(sim, 'm')?.measurements?.length, 2);
  });
});

describe('analysis spec problems make the run Error', () => {
  const cases: Array<[string, Metric[], object, string]> = [
    ['duplicate metric names', [metric('a'), metric('a')], {}, "Analysis spec invalid: metrics[1]: duplicate name 'a'"],
    ['no metrics', [], {}, 'Analysis spec invalid: no metrics specified'],
    ['an argument without a value', [metric('a', { successCondition: 'result == {{args.x}}' })], { args: [{ name: 'x' }] }, 'Unable to resolve metric arguments: argument "x" was not supplied'],
    ['an unknown placeholder', [metric('a', { successCondition: 'result == {{args.y}}' })], {}, 'Unable to resolve metric arguments: argument "y" was not supplied'],
    ['count > 1 without interval', [metric('a', { count: 2 })], {}, 'Analysis spec invalid: metrics[0]: interval must be specified when count > 1'],
    ['both limits disabled', [metric('a', { failureLimit: -1 })], {}, 'Analysis spec invalid: metrics[0]: failureLimit and consecutiveSuccessLimit cannot both be disabled'],
    ['two providers', [metric('a', { provider: { web: { url: 'x' }, prometheus: { query: 'up' } } })], {}, 'Analysis spec invalid: metrics[0]: multiple providers specified'],
    ['no provider', [metric('a', { provider: {} })], {}, 'Analysis spec invalid: metrics[0]: no provider specified'],
    ['count below failureLimit + consecutiveSuccessLimit', [metric('a', { count: 2, interval: '1s', failureLimit: 2, consecutiveSuccessLimit: 1 })], {}, 'Analysis spec invalid: metrics[0]: count (2) must be >= failureLimit + consecutiveSuccessLimit (2 + 1) if both >= 0'],
  ];
  for (const [name, metrics, spec, message] of cases) {
    it(name, () => {
      const d = decideAnalysisRun({ run: runOf(metrics, spec), now: new Date(T0) });
      assert.equal(d.status.phase, 'Error');
      assert.equal(d.status.message, message);
      assert.deepEqual(d.measurementsToTake, []);
    });
  }
});

describe('analysis completed runs', () => {
  it('a completed run is left alone', () => {
    const sim = simulate(runOf([metric('m')]), { m: ['S'] });
    const again = decideAnalysisRun({ run: sim.run, now: new Date(sim.now + 3_600_000) });
    assert.deepEqual(again.status, sim.run.status);
    assert.deepEqual(again.measurementsToTake, []);
    assert.equal(again.requeueAfterMs, undefined);
    assert.equal(again.deleteRun, false);
  });

  it('ttlStrategy deletes it once its time has come', () => {
    const sim = simulate(runOf([metric('m')], { ttlStrategy: { secondsAfterSuccess: 60, secondsAfterCompletion: 600 } }), { m: ['S'] });
    const soon = decideAnalysisRun({ run: sim.run, now: new Date(T0 + 30_000) });
    assert.equal(soon.deleteRun, false);
    assert.equal(soon.requeueAfterMs, 30_000);
    assert.equal(decideAnalysisRun({ run: sim.run, now: new Date(T0 + 60_000) }).deleteRun, true);
  });
});

describe('recordMeasurement', () => {
  const cases: Array<[string, string, Record<string, number>]> = [
    ['Successful', 'Successful', { successful: 1, count: 1, consecutiveError: 0, consecutiveSuccess: 1 }],
    ['Failed', 'Failed', { failed: 1, count: 1, consecutiveError: 0, consecutiveSuccess: 0 }],
    ['Inconclusive', 'Inconclusive', { inconclusive: 1, count: 1, consecutiveError: 0, consecutiveSuccess: 0 }],
    ['Error does not count', 'Error', { error: 1, consecutiveError: 1, consecutiveSuccess: 0 }],
  ];
  for (const [name, phase, counters] of cases) {
    it(name, () => {
      const status = recordMeasurement(undefined, { name: 'm' }, { phase: phase as 'Successful' }, { now: new Date(T0) });
      const r = status.metricResults![0]!;
      for (const [field, value] of Object.entries(counters)) assert.equal((r as Record<string, unknown>)[field], value, field);
      assert.equal(r.measurements?.[0]?.finishedAt, '2026-01-01T00:00:00Z');
    });
  }

  it('a finished measurement replaces the in-flight one it finishes', () => {
    let status = recordMeasurement(undefined, { name: 'm' }, { phase: 'Running', metadata: { 'job-name': 'j' } }, { now: new Date(T0) });
    assert.equal(status.metricResults![0]!.count, undefined);
    status = recordMeasurement(status, { name: 'm' }, { phase: 'Successful', metadata: { 'job-name': 'j' } }, { now: new Date(T0 + 5000) });
    assert.equal(status.metricResults![0]!.measurements!.length, 1);
    assert.equal(status.metricResults![0]!.count, 1);
  });

  it('secret values never reach the message', () => {
    const status = recordMeasurement(undefined, { name: 'm' }, { phase: 'Error', message: 'GET http://x?token=hunter2: refused' }, { now: new Date(T0), secrets: ['hunter2'] });
    assert.equal(status.metricResults![0]!.measurements![0]!.message, 'GET http://x?token=*****: refused');
  });
});
