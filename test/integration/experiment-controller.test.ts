// Experiments run by Ramp's experiment controller (in-process, scoped to the test's namespace)
// against the real local control plane: ReplicaSets get Ready pods through KWOK, Jobs of a job
// metric run to completion, the garbage collector follows ownerReferences.
import assert from 'node:assert/strict';
import { before, describe, it, type TestContext } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { createAnalysisController } from '../../controller/analysis/controller.ts';
import { createExperimentController } from '../../controller/experiments/controller.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { isNotFound } from '../../controller/kube/errors.ts';
import { ObjectCache } from '../../controller/kube/cache.ts';
import { EventRecorder } from '../../controller/kube/events.ts';
import { instanceIdSelector } from '../../controller/kube/instance-id.ts';
import { resourcePath, type ResourceRef } from '../../controller/kube/resource.ts';
import { podOutcomeAnnotation, podOutcomes } from '../../controller/localcluster/stages.ts';
import { AnalysisRuns, AnalysisTemplates, Experiments, ReplicaSets, Services } from '../../controller/experiments/resources.ts';
import type { ReplicaSetObject } from '../../controller/rollouts/snapshot.ts';
import type { AnalysisRun, Experiment, ExperimentSpec } from '../../functions/api/index.ts';
import { anExperiment } from '../fixtures/index.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor, waitUntil } from './helpers/wait-for.ts';
import { testControllerLogger as testLogger } from './helpers/controller-logger.ts';

const client = new KubeClient({ kubeConfig: kubeConfig() });
const Jobs: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true };
const CoreEvents: ResourceRef = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };

interface List<T> {
  items: T[];
}

before(async () => {
  await installCrds();
});

/** A namespace with an experiment controller (and, when asked, an analysis controller) watching only it. */
async function setUp(t: TestContext, opts: { analysis?: boolean; sharedCaches?: boolean } = {}): Promise<string> {
  const namespace = await withNamespace(t);
  const logger = testLogger(namespace);
  const events = new EventRecorder({ client, logger });
  let shared: Parameters<typeof createExperimentController>[0]['shared'];
  if (opts.sharedCaches) {
    // Caches another part of the process owns (as controller/app's would be), same selectors.
    const own = <T extends KubernetesObject>(resource: ResourceRef, labelSelector?: string) =>
      new ObjectCache<T>({ client, resource, namespace, ...(labelSelector ? { labelSelector } : {}) }).start();
    shared = {
      experiments: own(Experiments, instanceIdSelector(undefined)),
      replicaSets: own<ReplicaSetObject>(ReplicaSets, 'rollouts-pod-template-hash'),
      services: own(Services),
      analysisRuns: own(AnalysisRuns, instanceIdSelector(undefined)),
    };
    const caches = Object.values(shared);
    t.after(() => Promise.all(caches.map((c) => c.stop())));
  }
  const experiments = createExperimentController({ client, namespace, events, logger, resyncSchedule: '*/2 * * * * *', drainTimeoutMs: 5_000, ...(shared ? { shared } : {}) });
  await experiments.start();
  t.after(async () => {
    await experiments.stop();
    await events.flush();
  });
  if (opts.analysis) {
    const analysis = createAnalysisController({ client, namespace, logger, workers: 4 });
    await analysis.start();
    t.after(() => analysis.stop());
  }
  return namespace;
}

async function createExperiment(ns: string, experiment: Experiment): Promise<void> {
  await client.request({ method: 'POST', path: resourcePath(Experiments, ns), body: { ...experiment, metadata: { ...experiment.metadata, namespace: ns } } });
}

const getExperiment = (ns: string, name: string) => client.request<Experiment & KubernetesObject>({ method: 'GET', path: resourcePath(Experiments, ns, name) });
const getReplicaSet = (ns: string, name: string) => client.request<ReplicaSetObject>({ method: 'GET', path: resourcePath(ReplicaSets, ns, name) });

async function exists(path: string): Promise<boolean> {
  try {
    await client.request({ method: 'GET', path });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function describeExperiment(e: Experiment | undefined): string {
  const s = e?.status;
  if (!s) return 'no status';
  const templates = (s.templateStatuses ?? []).map((t) => `${t.name}=${t.status}(${t.availableReplicas}/${t.replicas})`).join(',');
  const runs = (s.analysisRuns ?? []).map((r) => `${r.name}=${r.phase}`).join(',');
  return `phase ${s.phase} "${s.message ?? ''}" templates [${templates}] analyses [${runs}] availableAt ${s.availableAt ?? '-'}`;
}

async function waitForExperiment(ns: string, name: string, what: string, done: (e: Experiment) => boolean, timeoutMs = 60_000): Promise<Experiment> {
  let last: Experiment | undefined;
  await waitUntil(
    async () => {
      last = await getExperiment(ns, name);
      return done(last) ? true : describeExperiment(last);
    },
    { what: `Experiment ${ns}/${name}: ${what}`, timeoutMs, intervalMs: 250 },
  );
  return last!;
}

async function waitForScaledDown(ns: string, rsName: string): Promise<ReplicaSetObject> {
  let last: ReplicaSetObject | undefined;
  await waitUntil(
    async () => {
      last = await getReplicaSet(ns, rsName);
      return last.spec?.replicas === 0 && (last.status?.replicas ?? 0) === 0 ? true : `spec ${last.spec?.replicas}, pods ${last.status?.replicas ?? 0}`;
    },
    { what: `ReplicaSet ${ns}/${rsName} to be scaled to zero`, timeoutMs: 60_000, intervalMs: 250 },
  );
  return last!;
}

function experiment(name: string, spec: Partial<ExperimentSpec>, build: (b: ReturnType<typeof anExperiment>) => void = () => {}): Experiment {
  const builder = anExperiment().named(name).withSpec(spec);
  build(builder);
  const built = builder.build();
  if (spec.duration === undefined) delete built.spec.duration;
  return built;
}

describe('experiments › controller', () => {
  it('an Experiment with a duration runs its templates, ends Successful, then scales its ReplicaSets down and removes its Service', async (t) => {
    const ns = await setUp(t);
    const exp = experiment('ab', { duration: '5s', scaleDownDelaySeconds: 1 }, (b) => b.withTemplate('baseline', 'registry.example/app:1', 2).withTemplate('canary', 'registry.example/app:2', 1));
    exp.spec.templates[1]!.service = {};
    await createExperiment(ns, exp);

    const running = await waitForExperiment(ns, 'ab', 'Running with availableAt', (e) => e.status?.phase === 'Running' && e.status.availableAt !== undefined);
    assert.deepEqual(running.status?.templateStatuses?.map((s) => [s.name, s.status, s.availableReplicas]), [['baseline', 'Running', 2], ['canary', 'Running', 1]]);
    const canaryRs = await getReplicaSet(ns, 'ab-canary');
    const hash = canaryRs.metadata?.labels?.['rollouts-pod-template-hash'];
    assert.ok(hash);
    assert.equal(canaryRs.metadata?.ownerReferences?.[0]?.kind, 'Experiment');
    assert.equal(canaryRs.metadata?.ownerReferences?.[0]?.uid, running.metadata?.uid);
    assert.equal(canaryRs.metadata?.annotations?.['experiment.argoproj.io/template-name'], 'canary');
    const service = await client.request<KubernetesObject & { spec?: { selector?: Record<string, string> } }>({ method: 'GET', path: resourcePath(Services, ns, 'ab-canary') });
    assert.equal(service.spec?.selector?.['rollouts-pod-template-hash'], hash);
    assert.equal(running.status?.templateStatuses?.[1]?.serviceName, 'ab-canary');

    const done = await waitForExperiment(ns, 'ab', 'Successful', (e) => e.status?.phase === 'Successful');
    assert.deepEqual(done.status?.templateStatuses?.map((s) => s.status), ['Successful', 'Successful']);
    assert.equal(done.status?.conditions?.find((c) => c.type === 'Progressing')?.reason, 'ExperimentCompleted');
    await waitForScaledDown(ns, 'ab-baseline');
    await waitForScaledDown(ns, 'ab-canary');
    await waitFor(async () => !(await exists(resourcePath(Services, ns, 'ab-canary'))), { what: 'the canary Service to be deleted', timeoutMs: 30_000 });

    const events = await waitFor(async () => {
      const list = await client.request<List<{ reason?: string; involvedObject?: { name?: string; kind?: string } }>>({
        method: 'GET',
        path: resourcePath(CoreEvents, ns),
        query: { fieldSelector: 'involvedObject.kind=Experiment,involvedObject.name=ab' },
      });
      const reasons = list.items.map((e) => e.reason ?? '');
      return reasons.includes('ExperimentSuccessful') ? reasons : undefined;
    }, { what: 'an ExperimentSuccessful event on the Experiment', timeoutMs: 30_000 });
    for (const reason of ['NewReplicaSetCreated', 'TemplateRunning', 'ExperimentRunning', 'ScalingReplicaSet']) assert.ok(events.includes(reason), `event ${reason} in ${events.join(', ')}`);
  });

  it('requiredForCompletion: a Job-metric analysis keeps the experiment Running past its duration until the analysis ends', async (t) => {
    const ns = await setUp(t, { analysis: true });
    // A plain object: the job spec carries `suspend`, which Ramp's partial JobSpec type does not declare.
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'smoke', namespace: ns },
      spec: {
        args: [{ name: 'rs' }],
        metrics: [
          {
            name: 'smoke',
            provider: {
              job: {
                metadata: { labels: { 'checks-rs': '{{args.rs}}' } },
                spec: {
                  // Suspended: the test lets it run once it has seen the experiment wait for it.
                  suspend: true,
                  backoffLimit: 0,
                  template: { spec: { restartPolicy: 'Never', containers: [{ name: 'check', image: 'registry.example/check:1' }] } },
                },
              },
            },
          },
        ],
      },
    };
    await client.request({ method: 'POST', path: resourcePath(AnalysisTemplates, ns), body: template });
    const exp = experiment('gated', { duration: '1s', scaleDownDelaySeconds: 0 }, (b) =>
      b.withAnalysis('smoke', 'smoke', { requiredForCompletion: true, args: [{ name: 'rs', value: '{{templates.baseline.replicaset.name}}' }] }),
    );
    await createExperiment(ns, exp);

    // The duration passes (the template is done) but the required analysis is still running.
    const waiting = await waitForExperiment(ns, 'gated', 'the template Successful while the analysis still runs', (e) =>
      e.status?.templateStatuses?.[0]?.status === 'Successful' && e.status.analysisRuns?.[0]?.analysisRun !== '',
    );
    assert.equal(waiting.status?.phase, 'Running');
    assert.equal((await getReplicaSet(ns, 'gated-baseline')).spec?.replicas, 1, 'its pods are kept for the analysis');
    const run = await client.request<AnalysisRun & KubernetesObject>({ method: 'GET', path: resourcePath(AnalysisRuns, ns, 'gated-smoke') });
    assert.equal(run.metadata?.ownerReferences?.[0]?.kind, 'Experiment');
    assert.deepEqual(run.spec.args, [{ name: 'rs', value: 'gated-baseline' }]);

    const job = await waitFor(async () => {
      const jobs = await client.request<List<KubernetesObject>>({ method: 'GET', path: resourcePath(Jobs, ns), query: { labelSelector: `analysisrun.argoproj.io/uid=${run.metadata?.uid}` } });
      return jobs.items[0];
    }, { what: 'the analysis Job', timeoutMs: 30_000 });
    assert.equal(job.metadata?.labels?.['checks-rs'], 'gated-baseline');
    assert.equal((await getExperiment(ns, 'gated')).status?.phase, 'Running', 'still waiting for the analysis');
    await client.request({ method: 'PATCH', path: resourcePath(Jobs, ns, job.metadata?.name), patchType: 'merge', body: { spec: { suspend: false } } });

    const done = await waitForExperiment(ns, 'gated', 'Successful', (e) => e.status?.phase === 'Successful', 90_000);
    assert.equal(done.status?.message, 'Required AnalysisRuns completed');
    assert.deepEqual(done.status?.analysisRuns, [{ name: 'smoke', analysisRun: 'gated-smoke', phase: 'Successful' }]);
    await waitForScaledDown(ns, 'gated-baseline');
  });

  it('terminate ends a running Experiment at once and scales it down (caches shared with the rest of the process)', async (t) => {
    const ns = await setUp(t, { sharedCaches: true });
    await createExperiment(ns, experiment('open-ended', { scaleDownDelaySeconds: 0 }));
    await waitForExperiment(ns, 'open-ended', 'Running', (e) => e.status?.phase === 'Running');
    await client.request({ method: 'PATCH', path: resourcePath(Experiments, ns, 'open-ended'), patchType: 'merge', body: { spec: { terminate: true } } });
    const done = await waitForExperiment(ns, 'open-ended', 'Successful after terminate', (e) => e.status?.phase === 'Successful');
    assert.equal(done.status?.templateStatuses?.[0]?.status, 'Successful');
    await waitForScaledDown(ns, 'open-ended-baseline');
  });

  it('a template whose pods never get ready fails the Experiment after progressDeadlineSeconds', async (t) => {
    const ns = await setUp(t);
    const exp = experiment('stuck', { duration: '1m', progressDeadlineSeconds: 3, scaleDownDelaySeconds: 0 });
    exp.spec.templates[0]!.template.metadata = { ...exp.spec.templates[0]!.template.metadata, annotations: { [podOutcomeAnnotation]: podOutcomes.neverReady } };
    await createExperiment(ns, exp);
    const failed = await waitForExperiment(ns, 'stuck', 'Failed', (e) => e.status?.phase === 'Failed');
    assert.equal(failed.status?.message, "Template 'baseline' exceeded its progressDeadlineSeconds (3)");
    assert.equal(failed.status?.templateStatuses?.[0]?.status, 'Failed');
    assert.equal(failed.status?.availableAt, undefined);
    await waitForScaledDown(ns, 'stuck-baseline');
    const events = await client.request<List<{ reason?: string; type?: string }>>({
      method: 'GET',
      path: resourcePath(CoreEvents, ns),
      query: { fieldSelector: 'involvedObject.kind=Experiment,involvedObject.name=stuck' },
    });
    assert.ok(events.items.some((e) => e.reason === 'TemplateProgressing'), 'the template was Progressing first');
  });

  it('a ReplicaSet name taken by a ReplicaSet the Experiment does not control (not even watched: no hash label) → template Error, nothing overwritten', async (t) => {
    const ns = await setUp(t);
    const foreignLabels = { app: 'someone-else' };
    await client.request({
      method: 'POST',
      path: resourcePath(ReplicaSets, ns),
      body: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'clash-baseline', namespace: ns, labels: foreignLabels },
        spec: { replicas: 0, selector: { matchLabels: foreignLabels }, template: { metadata: { labels: foreignLabels }, spec: { containers: [{ name: 'x', image: 'registry.example/x:1' }] } } },
      },
    });
    await createExperiment(ns, experiment('clash', { duration: '1m' }));
    const failed = await waitForExperiment(ns, 'clash', 'Error', (e) => e.status?.phase === 'Error');
    assert.equal(failed.status?.message, 'ReplicaSet "clash-baseline" already exists and is not controlled by Experiment "clash"');
    assert.equal(failed.status?.templateStatuses?.[0]?.status, 'Error');
    const rs = await getReplicaSet(ns, 'clash-baseline');
    assert.deepEqual(rs.metadata?.labels, foreignLabels, 'the other ReplicaSet is left as it was');
    assert.equal(rs.metadata?.ownerReferences, undefined);
  });
});
