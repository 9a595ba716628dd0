import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { collectSamples } from '../../../controller/metrics/collect.ts';
import { ControllerMetrics } from '../../../controller/metrics/registry.ts';

const rollout = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubernetesObject =>
  ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { namespace: 'shop', name }, spec, status }) as KubernetesObject;

test('collect › rollout_info carries namespace, name, strategy, traffic router and phase', () => {
  const samples = collectSamples({
    rollouts: [
      rollout('web', { replicas: 3, strategy: { canary: { trafficRouting: { nginx: { stableIngress: 'web' } } } } }, { phase: 'Paused', replicas: 4, availableReplicas: 3, updatedReplicas: 1 }),
      rollout('api', { strategy: { blueGreen: { activeService: 'api' } } }, { phase: 'Healthy' }),
    ],
    analysisRuns: [],
    experiments: [],
  });
  const info = samples.filter((s) => s.name === 'rollout_info');
  assert.deepEqual(info, [
    { name: 'rollout_info', labels: { namespace: 'shop', name: 'web', strategy: 'canary', traffic_router: 'Nginx', phase: 'Paused' }, value: 1 },
    { name: 'rollout_info', labels: { namespace: 'shop', name: 'api', strategy: 'blueGreen', traffic_router: '', phase: 'Healthy' }, value: 1 },
  ]);
  const web = (name: string) => samples.find((s) => s.name === name && s.labels['name'] === 'web')?.value;
  assert.equal(web('rollout_info_replicas_desired'), 3);
  assert.equal(web('rollout_info_replicas_available'), 3);
  assert.equal(web('rollout_info_replicas_unavailable'), 1);
  assert.equal(web('rollout_info_replicas_updated'), 1);
  assert.equal(samples.find((s) => s.name === 'rollout_info_replicas_desired' && s.labels['name'] === 'api')?.value, 1, 'spec.replicas defaults to 1');
  const phases = samples.filter((s) => s.name === 'rollout_phase' && s.labels['name'] === 'web');
  assert.deepEqual(
    phases.map((s) => `${s.labels['phase']}=${s.value}`),
    ['Healthy=0', 'Progressing=0', 'Paused=1', 'Degraded=0'],
  );
  assert.equal(phases[0]!.labels['strategy'], 'canary');
});

test('collect › labels stay bounded: an unknown phase or strategy is not copied into a label', () => {
  const samples = collectSamples({ rollouts: [rollout('odd', {}, { phase: 'anything <user text>' })], analysisRuns: [], experiments: [] });
  const info = samples.find((s) => s.name === 'rollout_info')!;
  assert.deepEqual(info.labels, { namespace: 'shop', name: 'odd', strategy: 'none', traffic_router: '', phase: '' });
  for (const s of samples) for (const key of Object.keys(s.labels)) assert.ok(['namespace', 'name', 'phase', 'strategy', 'traffic_router'].includes(key), key);
});

test('collect › analysis_run_info and experiment_info by phase (Pending before the first status)', () => {
  const run = { kind: 'AnalysisRun', metadata: { namespace: 'shop', name: 'web-1' }, status: { phase: 'Successful' } } as KubernetesObject;
  const exp = { kind: 'Experiment', metadata: { namespace: 'shop', name: 'web-exp' } } as KubernetesObject;
  const samples = collectSamples({ rollouts: [], analysisRuns: [run], experiments: [exp] });
  assert.deepEqual(samples.find((s) => s.name === 'analysis_run_info'), { name: 'analysis_run_info', labels: { namespace: 'shop', name: 'web-1', phase: 'Successful' }, value: 1 });
  assert.deepEqual(samples.find((s) => s.name === 'experiment_info'), { name: 'experiment_info', labels: { namespace: 'shop', name: 'web-exp', phase: 'Pending' }, value: 1 });
  assert.equal(samples.filter((s) => s.name === 'analysis_run_phase' && s.value === 1).length, 1);
});

test('registry › exposition: snapshot gauges, reconcile histogram and errors, API requests, leader', async () => {
  const metrics = new ControllerMetrics();
  metrics.setSnapshotSource(() => ({ rollouts: [rollout('web', { strategy: { canary: {} } }, { phase: 'Healthy' })], analysisRuns: [], experiments: [] }));
  metrics.rolloutProcessed({ key: 'shop/web', durationMs: 120 });
  metrics.rolloutProcessed({ key: 'shop/web', durationMs: 5, error: new Error('boom') });
  metrics.requestObserved({ method: 'patch', url: 'https://127.0.0.1/x', status: 200, attempt: 1, durationMs: 3, throttledMs: 0 });
  metrics.requestObserved({ method: 'GET', url: 'https://127.0.0.1/x', status: undefined, attempt: 1, durationMs: 3, throttledMs: 0 });
  metrics.setLeader(true);
  const text = await metrics.text();
  assert.match(text, /^rollout_info\{namespace="shop",name="web",strategy="canary",traffic_router="",phase="Healthy"\} 1$/m);
  assert.match(text, /^rollout_phase\{namespace="shop",name="web",strategy="canary",phase="Healthy"\} 1$/m);
  assert.match(text, /^rollout_reconcile_bucket\{le="0.15",namespace="shop",name="web"\} 2$/m);
  assert.match(text, /^rollout_reconcile_count\{namespace="shop",name="web"\} 2$/m);
  assert.match(text, /^rollout_reconcile_error\{namespace="shop",name="web"\} 1$/m);
  assert.match(text, /^controller_clientset_k8s_request_total\{verb="PATCH",status="200"\} 1$/m);
  assert.match(text, /^controller_clientset_k8s_request_total\{verb="GET",status="error"\} 1$/m);
  assert.match(text, /^leader 1$/m);
  assert.doesNotMatch(text, /process_cpu/, 'no default metrics from the global registry');

  metrics.setSnapshotSource(undefined);
  metrics.setLeader(false);
  const after = await metrics.text();
  assert.doesNotMatch(after, /^rollout_info\{/m, 'a follower reports no rollouts');
  assert.match(after, /^leader 0$/m);
});
