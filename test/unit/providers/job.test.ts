import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisRun, Metric } from '../../../functions/api/index.ts';
import { jobName, jobOutcome, newMetricJob, resumeDelayMs } from '../../../controller/providers/job.ts';
import { createProviderRegistry } from '../../../controller/providers/registry.ts';

const uid = '0f3c8a52-7a4e-4a8e-9a55-2c1f5e8d9b10';
const run: AnalysisRun = { metadata: { name: 'web-abc-1', namespace: 'prod', uid }, spec: { metrics: [] } };
const metric: Metric = {
  name: 'smoke',
  provider: { job: { metadata: { labels: { team: 'a' } }, spec: { backoffLimit: 0, template: { metadata: { labels: { app: 'smoke' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } } } } },
};

describe('job provider', () => {
  it('names: <uid>.<metric>.<n>, the metric shortened to fit 63 characters', () => {
    assert.equal(jobName(uid, 'smoke', 1), `${uid}.smoke.1`);
    const long = jobName(uid, 'a-very-long-metric-name-that-does-not-fit', 12);
    assert.equal(long.length, 63);
    assert.ok(long.endsWith('.12'));
  });

  it('the Job carries the run uid label (also on its pods), annotations and an owner reference', () => {
    const job = newMetricJob(run, metric, 1);
    assert.deepEqual(job.metadata?.labels, { team: 'a', 'analysisrun.argoproj.io/uid': uid });
    assert.deepEqual(job.metadata?.annotations, {
      'analysisrun.argoproj.io/name': 'web-abc-1',
      'analysisrun.argoproj.io/namespace': 'prod',
      'analysisrun.argoproj.io/metric-name': 'smoke',
    });
    assert.deepEqual((job.spec as { template: { metadata: { labels: object } } }).template.metadata.labels, { app: 'smoke', 'analysisrun.argoproj.io/uid': uid });
    assert.equal((job.metadata as { ownerReferences?: Array<{ uid: string; controller: boolean }> }).ownerReferences?.[0]?.uid, uid);
    const elsewhere = newMetricJob(run, metric, 1, 'jobs');
    assert.equal(elsewhere.metadata?.namespace, 'jobs');
    assert.equal((elsewhere.metadata as { ownerReferences?: unknown }).ownerReferences, undefined, 'no cross-namespace owner');
  });

  it('outcome from the Job conditions', () => {
    assert.deepEqual(jobOutcome({ status: { conditions: [{ type: 'Complete', status: 'True' }] } }), { phase: 'Successful' });
    assert.deepEqual(jobOutcome({ status: { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } }), {
      phase: 'Failed',
      message: 'Job has reached the specified backoff limit',
    });
    assert.equal(jobOutcome({ status: { conditions: [{ type: 'Suspended', status: 'True' }] } }), undefined);
  });

  it('looks again after √(2·elapsed) seconds, between 1 s and 60 s', () => {
    const now = new Date('2026-01-01T00:01:40Z');
    assert.equal(resumeDelayMs('2026-01-01T00:00:00Z', now), Math.sqrt(200) * 1000);
    assert.equal(resumeDelayMs('2026-01-01T00:01:40Z', now), 1000);
    assert.equal(resumeDelayMs('2025-01-01T00:00:00Z', now), 60_000);
  });
});

describe('provider registry', () => {
  const registry = createProviderRegistry({ job: { client: { request: async () => ({}) as never } } });
  it('one provider per metric type, registered in one place', () => {
    assert.deepEqual(registry.types(), ['job', 'prometheus', 'web']);
    const found = registry.providerFor(metric);
    assert.ok(found.ok && found.provider.type === 'job');
  });
  it('unsupported and ambiguous providers are named', () => {
    const dd = registry.providerFor({ name: 'x', provider: { datadog: { query: 'q' } } });
    assert.deepEqual(dd, { ok: false, message: 'metric provider datadog is not supported by Ramp (supported: job, prometheus, web)' });
    const two = registry.providerFor({ name: 'x', provider: { web: { url: 'u' }, prometheus: {} } });
    assert.deepEqual(two, { ok: false, message: 'multiple providers specified' });
  });
});
