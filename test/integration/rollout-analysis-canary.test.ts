// Canary Rollouts with analysis, end to end on the local control plane: the controller runs
// in-process (Rollout, AnalysisRun and Experiment controllers, scoped to the test's namespace),
// creates the AnalysisRuns the steps and the background analysis ask for, and the AnalysisRun
// controller measures them — with Jobs whose pods KWOK completes or fails, and with a real
// Prometheus scraping an exporter this test controls, both on 127.0.0.1.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startController, type RunningController } from '../../controller/app/start.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { podOutcomeAnnotation, podOutcomes } from '../../controller/localcluster/stages.ts';
import { AnalysisTemplates } from '../../controller/experiments/resources.ts';
import { AnalysisRuns, Experiments, ReplicaSets, Rollouts } from '../../controller/rollouts/resources.ts';
import type { ReplicaSetObject } from '../../controller/rollouts/snapshot.ts';
import { promote } from '../../functions/cli/index.ts';
import type { AnalysisRun, CanaryStep, Metric, Rollout, RolloutAnalysisBackground } from '../../functions/api/index.ts';
import { aRollout } from '../fixtures/rollout.ts';
import { startExporter, startPrometheus, type Exporter, type RunningPrometheus } from '../prometheus/prometheus.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';
import { testControllerLogger as testLogger } from './helpers/controller-logger.ts';

const client = new KubeClient({ kubeConfig: kubeConfig() });

interface List<T> {
  items: T[];
}

async function setUp(t: TestContext): Promise<string> {
  await installCrds();
  const ns = await withNamespace(t);
  const running: RunningController = startController({ client, namespace: ns, resync: '*/2 * * * * *', drainTimeoutMs: 5_000, logger: testLogger(ns) });
  t.after(() => running.stop());
  return ns;
}

const getRollout = (ns: string) => client.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, ns, 'web') });
const runs = async (ns: string) => (await client.request<List<AnalysisRun>>({ method: 'GET', path: resourcePath(AnalysisRuns, ns) })).items;
const replicaSets = async (ns: string) => (await client.request<List<ReplicaSetObject>>({ method: 'GET', path: resourcePath(ReplicaSets, ns) })).items;

/** spec.replicas per image, ReplicaSets at 0 left out. */
async function podsByImage(ns: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const rs of await replicaSets(ns)) {
    const replicas = rs.spec?.replicas ?? 0;
    if (replicas === 0) continue;
    const image = rs.spec?.template?.spec?.containers[0]?.image ?? '?';
    out[image] = (out[image] ?? 0) + replicas;
  }
  return out;
}

async function createTemplate(ns: string, name: string, metrics: Metric[]): Promise<void> {
  await client.request({
    method: 'POST',
    path: resourcePath(AnalysisTemplates, ns),
    body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name }, spec: { metrics } },
  });
}

function jobMetric(name: string, outcome?: string): Metric {
  return {
    name,
    provider: {
      job: {
        spec: {
          backoffLimit: 0,
          template: {
            ...(outcome ? { metadata: { annotations: { [podOutcomeAnnotation]: outcome } } } : {}),
            spec: { restartPolicy: 'Never', containers: [{ name: 'check', image: 'registry.example/smoke:1' }] },
          },
        },
      },
    },
  };
}

async function createRollout(ns: string, steps: CanaryStep[], analysis?: RolloutAnalysisBackground): Promise<void> {
  const rollout = aRollout()
    .named('web')
    .inNamespace(ns)
    .withReplicas(2)
    .withImage('registry.example/web:1')
    .withCanarySteps(steps, analysis ? { analysis } : {})
    .build();
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  await waitForRollout(ns, 'revision 1 to become Healthy', (r) => r.status?.phase === 'Healthy' || `phase ${r.status?.phase} ${r.status?.message ?? ''}`);
}

async function setImage(ns: string, image: string): Promise<void> {
  await client.request({
    method: 'PATCH',
    path: resourcePath(Rollouts, ns, 'web'),
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }],
  });
}

async function waitForRollout(ns: string, what: string, check: (r: Rollout) => true | string, timeoutMs = 90_000): Promise<Rollout> {
  let last: Rollout | undefined;
  await waitUntil(
    async () => {
      last = await getRollout(ns);
      const verdict = check(last);
      if (verdict === true) return true;
      const list = await runs(ns);
      return `${verdict}; runs: ${list.map((r) => `${r.metadata?.name}=${r.status?.phase ?? 'new'}${r.spec.terminate ? '(terminated)' : ''}`).join(', ') || 'none'}`;
    },
    { what, timeoutMs, intervalMs: 300 },
  );
  return last!;
}

const healthyAt = (image: string) => (r: Rollout): true | string => {
  const s = r.status;
  const current = r.spec.template?.spec?.containers[0]?.image;
  if (current !== image) return `image ${current}`;
  if (s?.phase !== 'Healthy' || s.stableRS !== s.currentPodHash || s.observedGeneration !== String(r.metadata?.generation)) {
    return `phase ${s?.phase} (${s?.message ?? ''}), stable ${s?.stableRS}, current ${s?.currentPodHash}`;
  }
  return true;
};

describe('rollout analysis › canary with Job metrics', () => {
  it('a canary whose step analysis succeeds is promoted; the run is named, labelled and owned as Argo does', async (t) => {
    const ns = await setUp(t);
    await createTemplate(ns, 'smoke', [jobMetric('smoke')]);
    await createRollout(ns, [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'smoke' }] } }]);
    await setImage(ns, 'registry.example/web:2');

    const done = await waitForRollout(ns, 'the step analysis to pass and revision 2 to be promoted', healthyAt('registry.example/web:2'));
    const hash = done.status!.currentPodHash!;
    assert.deepEqual(await podsByImage(ns), { 'registry.example/web:2': 2 });
    const list = await runs(ns);
    assert.equal(list.length, 1, 'one AnalysisRun');
    const run = list[0]!;
    assert.equal(run.metadata?.name, `web-${hash}-2-1`);
    assert.equal(run.status?.phase, 'Successful');
    assert.equal(run.metadata?.labels?.['rollout-type'], 'Step');
    assert.equal(run.metadata?.labels?.['step-index'], '1');
    assert.equal(run.metadata?.labels?.['rollouts-pod-template-hash'], hash);
    assert.equal(run.metadata?.annotations?.['rollout.argoproj.io/revision'], '2');
    const owner = run.metadata?.ownerReferences?.find((r) => r.controller);
    assert.equal(owner?.kind, 'Rollout');
    assert.equal(owner?.uid, done.metadata?.uid);
    assert.equal(done.status?.canary?.currentStepAnalysisRunStatus, undefined, 'cleared once the step completed');
    assert.equal(done.status?.currentStepIndex, 2);
  });

  it('a canary whose step analysis fails is aborted to Degraded and scaled back to stable; retry runs a new analysis', async (t) => {
    const ns = await setUp(t);
    await createTemplate(ns, 'smoke', [jobMetric('smoke', podOutcomes.failure)]);
    await createRollout(ns, [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'smoke' }] } }]);
    await setImage(ns, 'registry.example/web:2');

    const aborted = await waitForRollout(ns, 'the failed analysis to abort the rollout', (r) =>
      (r.status?.phase === 'Degraded' && r.status.abort === true) || `phase ${r.status?.phase} (${r.status?.message ?? ''})`,
    );
    assert.match(
      aborted.status?.message ?? '',
      /^RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase failed: Metric "smoke" assessed Failed due to failed \(1\) > failureLimit \(0\)/,
    );
    assert.equal(aborted.status?.canary?.currentStepAnalysisRunStatus?.status, 'Failed');
    await waitUntil(async () => {
      const pods = await podsByImage(ns);
      return JSON.stringify(pods) === JSON.stringify({ 'registry.example/web:1': 2 }) || JSON.stringify(pods);
    }, { what: 'the canary to be scaled to 0 and stable back to 2', timeoutMs: 60_000 });
    const [failed] = await runs(ns);
    assert.equal(failed?.status?.phase, 'Failed');

    // Retry: the update starts again and a new run (<name>.1) is created; it fails the same way.
    await client.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web', 'status'), patchType: 'merge', body: { status: { abort: false } } });
    await waitUntil(async () => {
      const names = (await runs(ns)).map((r) => r.metadata?.name).sort();
      return names.includes(`${failed?.metadata?.name}.1`) || names.join(', ');
    }, { what: 'a second AnalysisRun after retry', timeoutMs: 60_000 });
  });
});

describe('rollout analysis › canary experiment step', () => {
  it('an experiment step runs an Experiment of the stable and canary pod templates with a Job analysis; the rollout goes on when it succeeds', async (t) => {
    const ns = await setUp(t);
    await createTemplate(ns, 'smoke', [jobMetric('smoke')]);
    await createRollout(ns, [
      { setWeight: 50 },
      {
        experiment: {
          duration: '3s',
          scaleDownDelaySeconds: 0,
          templates: [
            { name: 'baseline', specRef: 'stable' },
            { name: 'candidate', specRef: 'canary' },
          ],
          // Required, so the Experiment waits for the Job's verdict: without it a slow Job can
          // outlive the 3s duration and be terminated (Inconclusive), which is not what this tests.
          analyses: [{ name: 'smoke', templateName: 'smoke', requiredForCompletion: true }],
        },
      },
    ]);
    await setImage(ns, 'registry.example/web:2');

    const running = await waitForRollout(ns, 'the experiment step to start its Experiment', (r) => !!r.status?.canary?.currentExperiment || `phase ${r.status?.phase}, step ${r.status?.currentStepIndex}`);
    const hash = running.status!.currentPodHash!;
    const name = running.status!.canary!.currentExperiment!;
    assert.equal(name, `web-${hash}-2-1`);
    const experiment = await client.request<{ metadata?: Rollout['metadata']; spec: { templates: Array<{ name: string; template: { spec?: { containers: Array<{ image?: string }> } } }> } }>({
      method: 'GET',
      path: resourcePath(Experiments, ns, name),
    });
    assert.equal(experiment.metadata?.ownerReferences?.find((r) => r.controller)?.uid, running.metadata?.uid);
    assert.deepEqual(
      experiment.spec.templates.map((tpl) => [tpl.name, tpl.template.spec?.containers[0]?.image]),
      [['baseline', 'registry.example/web:1'], ['candidate', 'registry.example/web:2']],
    );

    const done = await waitForRollout(ns, 'the Experiment to succeed and the rollout to complete', healthyAt('registry.example/web:2'));
    assert.equal(done.status?.canary?.currentExperiment, undefined);
    const finished = await client.request<{ status?: { phase?: string; analysisRuns?: Array<{ phase?: string }> } }>({ method: 'GET', path: resourcePath(Experiments, ns, name) });
    assert.equal(finished.status?.phase, 'Successful');
    assert.deepEqual(finished.status?.analysisRuns?.map((a) => a.phase), ['Successful']);
  });
});

describe('rollout analysis › canary with a real Prometheus', () => {
  let exporter: Exporter;
  let prometheus: RunningPrometheus;

  before(async () => {
    exporter = await startExporter();
    exporter.set('ramp_it_background_success_rate', 0.99);
    exporter.set('ramp_it_step_success_rate', 0.7);
    prometheus = await startPrometheus([`127.0.0.1:${exporter.port}`]);
    await prometheus.waitForSeries('ramp_it_background_success_rate');
    await prometheus.waitForSeries('ramp_it_step_success_rate');
  });

  after(async () => {
    await prometheus?.stop();
    await exporter?.close();
  });

  async function setGauge(name: string, value: number): Promise<void> {
    exporter.set(name, value);
    await waitUntil(async () => (await prometheus.query(name)) === value || `prometheus has ${await prometheus.query(name)}`, {
      what: `Prometheus to scrape ${name} = ${value}`,
      timeoutMs: 30_000,
    });
  }

  it('background analysis failing mid-rollout aborts it', async (t) => {
    const ns = await setUp(t);
    await setGauge('ramp_it_background_success_rate', 0.99);
    await createTemplate(ns, 'success-rate', [
      {
        name: 'success-rate',
        interval: '1s',
        successCondition: 'result[0] >= 0.95',
        provider: { prometheus: { address: prometheus.url, query: 'ramp_it_background_success_rate' } },
      },
    ]);
    await createRollout(ns, [{ setWeight: 50 }, { pause: {} }], { templates: [{ templateName: 'success-rate' }] });
    await setImage(ns, 'registry.example/web:2');

    // Paused at the pause step, with the background run measuring good values.
    const paused = await waitForRollout(ns, 'the canary to pause with background analysis running', (r) => {
      const background = r.status?.canary?.currentBackgroundAnalysisRunStatus;
      return (r.status?.phase === 'Paused' && background?.status === 'Running') || `phase ${r.status?.phase}, background ${JSON.stringify(background)}`;
    });
    const hash = paused.status!.currentPodHash!;
    const runName = paused.status!.canary!.currentBackgroundAnalysisRunStatus!.name;
    assert.equal(runName, `web-${hash}-2`);
    const running = (await runs(ns)).find((r) => r.metadata?.name === runName)!;
    assert.equal(running.metadata?.labels?.['rollout-type'], 'Background');
    assert.ok((running.status?.metricResults?.[0]?.successful ?? 0) >= 1, 'good measurements taken');
    assert.deepEqual(await podsByImage(ns), { 'registry.example/web:1': 1, 'registry.example/web:2': 1 });

    // The metric goes bad: the run fails and the update is aborted.
    await setGauge('ramp_it_background_success_rate', 0.2);
    const aborted = await waitForRollout(ns, 'the background analysis to fail and abort the rollout', (r) =>
      (r.status?.phase === 'Degraded' && r.status.abort === true) || `phase ${r.status?.phase} (${r.status?.message ?? ''})`,
    );
    assert.match(aborted.status?.message ?? '', /^RolloutAborted: Rollout aborted update to revision 2: Background analysis phase failed: Metric "success-rate" assessed Failed due to failed \(1\) > failureLimit \(0\)/);
    assert.equal(aborted.status?.canary?.currentBackgroundAnalysisRunStatus?.status, 'Failed');
    await waitUntil(async () => {
      const pods = await podsByImage(ns);
      return JSON.stringify(pods) === JSON.stringify({ 'registry.example/web:1': 2 }) || JSON.stringify(pods);
    }, { what: 'stable back to 2 pods', timeoutMs: 60_000 });
  });

  it('an inconclusive measurement pauses the rollout (InconclusiveAnalysisRun); promote resumes it', async (t) => {
    const ns = await setUp(t);
    // 0.7 is neither a success (>= 0.95) nor a failure (< 0.5): Inconclusive.
    await setGauge('ramp_it_step_success_rate', 0.7);
    await createTemplate(ns, 'success-rate', [
      {
        name: 'success-rate',
        successCondition: 'result[0] >= 0.95',
        failureCondition: 'result[0] < 0.5',
        provider: { prometheus: { address: prometheus.url, query: 'ramp_it_step_success_rate' } },
      },
    ]);
    await createRollout(ns, [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }, { setWeight: 100 }]);
    await setImage(ns, 'registry.example/web:2');

    const paused = await waitForRollout(ns, 'the inconclusive analysis to pause the rollout', (r) =>
      (r.status?.phase === 'Paused' && r.status.message === 'InconclusiveAnalysisRun') || `phase ${r.status?.phase} (${r.status?.message ?? ''})`,
    );
    assert.deepEqual(paused.status?.pauseConditions?.map((c) => c.reason), ['InconclusiveAnalysisRun']);
    assert.equal(paused.status?.controllerPause, true);
    assert.equal(paused.status?.canary?.currentStepAnalysisRunStatus?.status, 'Inconclusive');
    assert.equal(paused.status?.currentStepIndex, 1);
    const [run] = await runs(ns);
    assert.equal(run?.status?.phase, 'Inconclusive');
    assert.match(run?.status?.message ?? '', /inconclusive \(1\) > inconclusiveLimit \(0\)/);
    assert.deepEqual(await podsByImage(ns), { 'registry.example/web:1': 1, 'registry.example/web:2': 1 }, 'nothing scales while paused');

    // `ramp promote` (the CLI's own patch): the inconclusive step is passed and the update goes on.
    const plan = promote(paused);
    for (const write of plan.writes) {
      assert.equal(write.type, 'merge');
      if (write.type !== 'merge') continue;
      await client.request({
        method: 'PATCH',
        path: resourcePath(Rollouts, ns, 'web', write.subresource),
        patchType: 'merge',
        body: write.body,
      });
    }
    await waitForRollout(ns, 'the promoted rollout to complete', healthyAt('registry.example/web:2'));
    assert.deepEqual(await podsByImage(ns), { 'registry.example/web:2': 2 });
    assert.equal((await runs(ns)).length, 1, 'promote skipped the step: no new run');
  });
});
