// Blue-green Rollouts with pre- and post-promotion analysis, end to end on the local control
// plane: the controller runs in-process (scoped to the test's namespace), creates the `-pre` and
// `-post` AnalysisRuns, and measures them against a real Prometheus on 127.0.0.1 scraping an
// exporter this test controls (pre-promotion) and with a Job KWOK completes (post-promotion).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startController } from '../../controller/app/start.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { AnalysisTemplates } from '../../controller/experiments/resources.ts';
import { AnalysisRuns, Rollouts, Services } from '../../controller/rollouts/resources.ts';
import type { ServiceObject } from '../../controller/rollouts/snapshot.ts';
import { POD_TEMPLATE_HASH_LABEL, type AnalysisRun, type Metric, type Rollout } from '../../functions/api/index.ts';
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

const getRollout = (ns: string) => client.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, ns, 'web') });
const runs = async (ns: string) => (await client.request<List<AnalysisRun>>({ method: 'GET', path: resourcePath(AnalysisRuns, ns) })).items;
const selectorOf = async (ns: string, service: string) =>
  (await client.request<ServiceObject>({ method: 'GET', path: resourcePath(Services, ns, service) })).spec?.selector?.[POD_TEMPLATE_HASH_LABEL];

async function waitForRollout(ns: string, what: string, check: (r: Rollout) => true | string, timeoutMs = 90_000): Promise<Rollout> {
  let last: Rollout | undefined;
  await waitUntil(
    async () => {
      last = await getRollout(ns);
      const verdict = check(last);
      if (verdict === true) return true;
      const list = await runs(ns);
      return `${verdict}; runs: ${list.map((r) => `${r.metadata?.name}=${r.status?.phase ?? 'new'}`).join(', ') || 'none'}`;
    },
    { what, timeoutMs, intervalMs: 300 },
  );
  return last!;
}

describe('rollout analysis › blue-green', () => {
  let exporter: Exporter;
  let prometheus: RunningPrometheus;

  before(async () => {
    await installCrds();
    exporter = await startExporter();
    exporter.set('ramp_it_preview_ready', 0);
    prometheus = await startPrometheus([`127.0.0.1:${exporter.port}`]);
    await prometheus.waitForSeries('ramp_it_preview_ready');
  });

  after(async () => {
    await prometheus?.stop();
    await exporter?.close();
  });

  it('pre-promotion analysis blocks promotion until it succeeds; post-promotion analysis gates the stable switch', async (t) => {
    const ns = await withNamespace(t);
    const running = startController({ client, namespace: ns, resync: '*/2 * * * * *', drainTimeoutMs: 5_000, logger: testLogger(ns) });
    t.after(() => running.stop());
    for (const name of ['web-active', 'web-preview']) {
      await client.request({ method: 'POST', path: resourcePath(Services, ns), body: { metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } });
    }
    // Pre-promotion: measured every second until the preview reports ready (failures do not count).
    const ready: Metric = {
      name: 'preview-ready',
      interval: '1s',
      count: 600,
      failureLimit: -1,
      consecutiveSuccessLimit: 1,
      successCondition: 'result[0] >= 1',
      provider: { prometheus: { address: prometheus.url, query: 'ramp_it_preview_ready' } },
    };
    const smoke: Metric = {
      name: 'smoke',
      provider: { job: { spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'smoke', image: 'registry.example/smoke:1' }] } } } } },
    };
    for (const [name, metric] of [['preview-ready', ready], ['smoke', smoke]] as const) {
      await client.request({
        method: 'POST',
        path: resourcePath(AnalysisTemplates, ns),
        body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name }, spec: { metrics: [metric] } },
      });
    }
    const rollout = aRollout()
      .named('web')
      .inNamespace(ns)
      .withReplicas(2)
      .withImage('registry.example/web:1')
      .withBlueGreen('web-active', {
        previewService: 'web-preview',
        prePromotionAnalysis: { templates: [{ templateName: 'preview-ready' }] },
        postPromotionAnalysis: { templates: [{ templateName: 'smoke' }] },
        scaleDownDelaySeconds: 0,
      })
      .build();
    await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
    const v1 = await waitForRollout(ns, 'revision 1 to become Healthy', (r) => r.status?.phase === 'Healthy' || `phase ${r.status?.phase} (${r.status?.message ?? ''})`);
    const stable = v1.status!.stableRS!;
    assert.deepEqual(await runs(ns), [], 'no analysis on the initial deploy');

    await client.request({
      method: 'PATCH',
      path: resourcePath(Rollouts, ns, 'web'),
      patchType: 'json',
      body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example/web:2' }],
    });

    // The preview is up and the pre-promotion run measures, again and again: the switch waits.
    const measuring = await waitForRollout(ns, 'the pre-promotion run to have measured a few times', (r) => {
      const pre = r.status?.blueGreen?.prePromotionAnalysisRunStatus;
      return pre?.status === 'Running' || `pre-promotion ${JSON.stringify(pre)}`;
    });
    const hash = measuring.status!.currentPodHash!;
    const preName = `web-${hash}-2-pre`;
    assert.equal(measuring.status?.blueGreen?.prePromotionAnalysisRunStatus?.name, preName);
    await waitUntil(
      async () => {
        const pre = (await runs(ns)).find((r) => r.metadata?.name === preName);
        return (pre?.status?.metricResults?.[0]?.failed ?? 0) >= 3 || `failed measurements: ${pre?.status?.metricResults?.[0]?.failed ?? 0}`;
      },
      { what: 'three not-ready measurements', timeoutMs: 30_000 },
    );
    const blocked = await getRollout(ns);
    assert.equal(await selectorOf(ns, 'web-active'), stable, 'the active Service still selects revision 1');
    assert.equal(await selectorOf(ns, 'web-preview'), hash, 'the preview Service selects revision 2');
    assert.equal(blocked.status?.stableRS, stable);
    assert.equal(blocked.status?.phase, 'Progressing');
    assert.equal(blocked.status?.message, 'active service cutover pending');
    const pre = (await runs(ns)).find((r) => r.metadata?.name === preName)!;
    assert.equal(pre.metadata?.labels?.['rollout-type'], 'PrePromotion');
    assert.equal(pre.status?.phase, 'Running');

    // The preview reports ready: the run succeeds, the active Service switches, post-promotion runs, then stable moves.
    exporter.set('ramp_it_preview_ready', 1);
    const done = await waitForRollout(ns, 'promotion after the pre- and post-promotion runs succeed', (r) => {
      const s = r.status;
      return (s?.phase === 'Healthy' && s.stableRS === hash) || `phase ${s?.phase} (${s?.message ?? ''}), stable ${s?.stableRS}`;
    });
    assert.equal(await selectorOf(ns, 'web-active'), hash);
    assert.deepEqual(done.status?.blueGreen?.prePromotionAnalysisRunStatus?.status, 'Successful');
    assert.deepEqual(done.status?.blueGreen?.postPromotionAnalysisRunStatus, { name: `web-${hash}-2-post`, status: 'Successful' });
    const byName = Object.fromEntries((await runs(ns)).map((r) => [r.metadata?.name, r.status?.phase]));
    assert.deepEqual(byName, { [preName]: 'Successful', [`web-${hash}-2-post`]: 'Successful' });
  });
});
