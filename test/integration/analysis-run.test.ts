// AnalysisRuns measured by Ramp's analysis controller against the real local control plane, a
// real Prometheus (Debian's package, started on 127.0.0.1, scraping an exporter this test serves
// on 127.0.0.1 every second), a web endpoint on 127.0.0.1, and Jobs whose pods KWOK completes.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it, type TestContext } from 'node:test';
import { createAnalysisController } from '../../controller/analysis/controller.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { podOutcomeAnnotation, podOutcomes } from '../../controller/localcluster/stages.ts';
import type { AnalysisRun, Metric } from '../../functions/api/index.ts';
import { freePort, startExporter, startPrometheus, type Exporter, type RunningPrometheus } from '../prometheus/prometheus.ts';
import { clients, kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor } from './helpers/wait-for.ts';

const AR = { group: 'argoproj.io', version: 'v1alpha1', plural: 'analysisruns' } as const;

before(async () => {
  await installCrds();
});

/** A namespace with its own analysis controller watching only it. */
async function setUp(t: TestContext): Promise<string> {
  const namespace = await withNamespace(t);
  const controller = createAnalysisController({ client: new KubeClient({ kubeConfig: kubeConfig() }), namespace, workers: 4 });
  await controller.start();
  t.after(() => controller.stop());
  return namespace;
}

async function createRun(namespace: string, name: string, metrics: Metric[], spec: Partial<AnalysisRun['spec']> = {}): Promise<void> {
  await clients().custom.createNamespacedCustomObject({
    ...AR,
    namespace,
    body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: { name }, spec: { metrics, ...spec } },
  });
}

async function getRun(namespace: string, name: string): Promise<AnalysisRun> {
  return (await clients().custom.getNamespacedCustomObject({ ...AR, namespace, name })) as AnalysisRun;
}

/** What `kubectl argo rollouts terminate analysisrun` does. */
async function terminate(namespace: string, name: string): Promise<void> {
  await clients().custom.patchNamespacedCustomObject({ ...AR, namespace, name, body: [{ op: 'add', path: '/spec/terminate', value: true }] });
}

async function waitForPhase(namespace: string, name: string, phases: string[], timeoutMs = 90_000): Promise<AnalysisRun> {
  return waitFor(async () => {
    const run = await getRun(namespace, name);
    return phases.includes(run.status?.phase ?? '') ? run : undefined;
  }, { what: `AnalysisRun ${namespace}/${name} to reach ${phases.join(' or ')}`, timeoutMs, intervalMs: 500 });
}

describe('analysis › prometheus', () => {
  let exporter: Exporter;
  let prometheus: RunningPrometheus;

  before(async () => {
    exporter = await startExporter();
    exporter.set('ramp_test_success_rate', 0.99);
    exporter.set('ramp_test_error_rate', 0.2);
    prometheus = await startPrometheus([`127.0.0.1:${exporter.port}`]);
    await prometheus.waitForSeries('ramp_test_error_rate');
  });

  after(async () => {
    await prometheus?.stop();
    await exporter?.close();
  });

  const promMetric = (name: string, condition: string, extra: Partial<Metric> = {}): Metric => ({
    name,
    successCondition: condition,
    provider: { prometheus: { address: prometheus.url, query: '{{args.series}}' } },
    ...extra,
  });

  it('succeeds when the exporter value satisfies successCondition', async (t) => {
    const ns = await setUp(t);
    await createRun(ns, 'success-rate', [promMetric('success-rate', 'result[0] >= 0.95', { count: 2, interval: '1s' })], {
      args: [{ name: 'series', value: 'ramp_test_success_rate' }],
    });
    const run = await waitForPhase(ns, 'success-rate', ['Successful', 'Failed', 'Error', 'Inconclusive']);
    assert.equal(run.status?.phase, 'Successful');
    const result = run.status?.metricResults?.[0];
    assert.equal(result?.phase, 'Successful');
    assert.equal(result?.count, 2);
    assert.equal(result?.successful, 2);
    assert.deepEqual(result?.measurements?.map((m) => m.value), ['[0.99]', '[0.99]']);
    assert.deepEqual(result?.metadata, { ResolvedPrometheusQuery: 'ramp_test_success_rate' });
    assert.ok(run.status?.startedAt && run.status.completedAt);
  });

  it('fails when it does not', async (t) => {
    const ns = await setUp(t);
    await createRun(ns, 'error-rate', [promMetric('error-rate', 'result[0] < 0.05')], { args: [{ name: 'series', value: 'ramp_test_error_rate' }] });
    const run = await waitForPhase(ns, 'error-rate', ['Successful', 'Failed', 'Error', 'Inconclusive']);
    assert.equal(run.status?.phase, 'Failed');
    assert.equal(run.status?.message, 'Metric "error-rate" assessed Failed due to failed (1) > failureLimit (0)');
    assert.equal(run.status?.metricResults?.[0]?.measurements?.[0]?.value, '[0.2]');
    assert.deepEqual(run.status?.runSummary, { count: 1, failed: 1 });
  });
});

describe('analysis › web', () => {
  it('a closed 127.0.0.1 port errors after consecutiveErrorLimit: the run is Error, not Failed', async (t) => {
    const ns = await setUp(t);
    const port = await freePort();
    await createRun(ns, 'unreachable', [
      { name: 'health', consecutiveErrorLimit: 1, successCondition: 'result == true', provider: { web: { url: `http://127.0.0.1:${port}/health`, timeoutSeconds: 2 } } },
    ]);
    const run = await waitForPhase(ns, 'unreachable', ['Successful', 'Failed', 'Error', 'Inconclusive']);
    assert.equal(run.status?.phase, 'Error');
    assert.match(run.status?.message ?? '', /^Metric "health" assessed Error due to consecutiveErrors \(2\) > consecutiveErrorLimit \(1\): "Error Message: GET http:\/\/127\.0\.0\.1:\d+\/health: .*ECONNREFUSED/);
    const result = run.status?.metricResults?.[0];
    assert.equal(result?.error, 2);
    assert.equal(result?.failed, undefined);
    assert.equal(result?.measurements?.length, 2);
  });

  it('a JSON answer is judged at jsonPath; terminate ends an unbounded run', async (t) => {
    const ns = await setUp(t);
    const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: { ok: true, latency: 12 } })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as { port: number };
    await createRun(ns, 'web', [
      { name: 'health', interval: '1s', successCondition: 'result.ok && result.latency < 100', provider: { web: { url: `http://127.0.0.1:${port}/status`, jsonPath: '{$.status}' } } },
    ]);
    await waitFor(async () => ((await getRun(ns, 'web')).status?.metricResults?.[0]?.successful ?? 0) >= 2, { what: 'two successful measurements', timeoutMs: 30_000 });
    const running = await getRun(ns, 'web');
    assert.equal(running.status?.phase, 'Running');
    assert.equal(running.status?.metricResults?.[0]?.measurements?.[0]?.value, '{"latency":12,"ok":true}');
    await terminate(ns, 'web');
    const run = await waitForPhase(ns, 'web', ['Successful', 'Failed', 'Error', 'Inconclusive'], 30_000);
    assert.equal(run.status?.phase, 'Successful');
    assert.equal(run.status?.message, 'Run Terminated');
  });
});

describe('analysis › job', () => {
  const jobMetric = (name: string, outcome?: string): Metric => ({
    name,
    provider: {
      job: {
        spec: {
          backoffLimit: 0,
          template: {
            ...(outcome ? { metadata: { annotations: { [podOutcomeAnnotation]: outcome } } } : {}),
            spec: { restartPolicy: 'Never', containers: [{ name: 'check', image: 'registry.example/check:1' }] },
          },
        },
      },
    },
  });

  it('a Job whose pod succeeds passes the run; the Job carries Argo labels and is owned by the run', async (t) => {
    const ns = await setUp(t);
    await createRun(ns, 'smoke', [jobMetric('smoke')]);
    const run = await waitForPhase(ns, 'smoke', ['Successful', 'Failed', 'Error', 'Inconclusive']);
    assert.equal(run.status?.phase, 'Successful');
    const measurement = run.status?.metricResults?.[0]?.measurements?.[0];
    assert.equal(measurement?.phase, 'Successful');
    const jobName = measurement?.metadata?.['job-name'];
    assert.equal(jobName, `${run.metadata?.uid}.smoke.1`);
    const job = await clients().batch.readNamespacedJob({ namespace: ns, name: jobName! });
    assert.equal(job.metadata?.labels?.['analysisrun.argoproj.io/uid'], run.metadata?.uid);
    assert.equal(job.metadata?.annotations?.['analysisrun.argoproj.io/name'], 'smoke');
    assert.equal(job.metadata?.annotations?.['analysisrun.argoproj.io/metric-name'], 'smoke');
    assert.equal(job.metadata?.ownerReferences?.[0]?.uid, run.metadata?.uid);
    assert.equal(job.spec?.template.metadata?.labels?.['analysisrun.argoproj.io/uid'], run.metadata?.uid);
  });

  it('a Job whose pod fails fails the run', async (t) => {
    const ns = await setUp(t);
    await createRun(ns, 'smoke', [jobMetric('smoke', podOutcomes.failure)]);
    const run = await waitForPhase(ns, 'smoke', ['Successful', 'Failed', 'Error', 'Inconclusive']);
    assert.equal(run.status?.phase, 'Failed');
    assert.match(run.status?.message ?? '', /^Metric "smoke" assessed Failed due to failed \(1\) > failureLimit \(0\)/);
  });

  it('terminate deletes a running Job and ends the run Inconclusive', async (t) => {
    const ns = await setUp(t);
    await createRun(ns, 'long', [jobMetric('long', podOutcomes.neverReady)]);
    const running = await waitFor(async () => {
      const r = await getRun(ns, 'long');
      return r.status?.metricResults?.[0]?.measurements?.[0]?.phase === 'Running' ? r : undefined;
    }, { what: 'the Job measurement to be running', timeoutMs: 30_000 });
    const jobName = running.status!.metricResults![0]!.measurements![0]!.metadata!['job-name']!;
    await terminate(ns, 'long');
    const run = await waitForPhase(ns, 'long', ['Successful', 'Failed', 'Error', 'Inconclusive'], 30_000);
    assert.equal(run.status?.phase, 'Inconclusive');
    assert.equal(run.status?.metricResults?.[0]?.measurements?.[0]?.message, 'Metric Terminated');
    await waitFor(async () => {
      try {
        const job = await clients().batch.readNamespacedJob({ namespace: ns, name: jobName });
        return job.metadata?.deletionTimestamp !== undefined;
      } catch {
        return true;
      }
    }, { what: `job ${jobName} to be deleted`, timeoutMs: 30_000 });
  });
});
