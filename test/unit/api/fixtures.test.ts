// The fixture builders must produce objects the API accepts, whatever options a test picks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ArgoKind, formatFieldError, validateShape } from '../../../functions/api/index.ts';
import {
  aClusterAnalysisTemplate,
  aJobMetric,
  anAnalysisRun,
  anAnalysisTemplate,
  anExperiment,
  aPrometheusMetric,
  aRollout,
  aWebMetric,
  blueGreenPausedStatus,
  canaryAbortedStatus,
  canaryPausedStatus,
  failedAnalysisRunStatus,
  invalidSpecStatus,
} from '../../fixtures/index.ts';

function assertValid(kind: ArgoKind, object: unknown): void {
  assert.deepEqual(validateShape(kind, object).map(formatFieldError), []);
}

describe('fixture builders produce valid objects', () => {
  it('aRollout() with defaults', () => {
    const rollout = aRollout().build();
    assertValid('Rollout', rollout);
    assert.equal(rollout.metadata?.name, 'demo');
    assert.deepEqual(rollout.spec.selector?.matchLabels, rollout.spec.template?.metadata?.labels);
  });

  it('aRollout() canary with traffic routing, analysis and experiment steps', () => {
    const rollout = aRollout()
      .named('shop')
      .inNamespace('prod')
      .withLabels({ team: 'payments' })
      .withGeneration(4)
      .withReplicas(10)
      .withImage('registry.example/shop:2.0')
      .withCanarySteps(
        [
          { setWeight: 10 },
          { setCanaryScale: { replicas: 2 } },
          { setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'true' } }] } },
          { analysis: { templates: [{ templateName: 'success-rate' }], args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }] } },
          {
            experiment: {
              duration: '5m',
              templates: [{ name: 'canary', specRef: 'canary', weight: 5 }],
              analyses: [{ name: 'a', templateName: 'success-rate', requiredForCompletion: true }],
            },
          },
          { pause: { duration: '1h' } },
        ],
        {
          canaryService: 'shop-canary',
          stableService: 'shop-stable',
          trafficRouting: { istio: { virtualService: { name: 'shop', routes: ['primary'] } }, managedRoutes: [{ name: 'beta' }] },
          analysis: { templates: [{ templateName: 'error-rate', clusterScope: true }], startingStep: 1 },
        },
      )
      .withSpec({ progressDeadlineSeconds: 300, progressDeadlineAbort: true })
      .build();
    assertValid('Rollout', rollout);
    assert.equal(rollout.metadata?.namespace, 'prod');
    assert.equal(rollout.spec.template?.spec?.containers[0]?.image, 'registry.example/shop:2.0');
  });

  it('aRollout() blue-green without replicas', () => {
    const rollout = aRollout()
      .withReplicas(undefined)
      .withBlueGreen('demo-active', { previewService: 'demo-preview', autoPromotionEnabled: false, prePromotionAnalysis: { templates: [{ templateName: 't' }] } })
      .build();
    assertValid('Rollout', rollout);
    assert.equal(rollout.spec.replicas, undefined);
    assert.equal(rollout.spec.strategy?.canary, undefined);
  });

  it('aRollout() with the status snapshots Argo writes', () => {
    for (const status of [canaryPausedStatus(), canaryAbortedStatus(), blueGreenPausedStatus(), invalidSpecStatus()]) {
      assertValid('Rollout', aRollout().withStatus(status).build());
    }
  });

  it('builders do not share state between builds', () => {
    const builder = aRollout();
    const first = builder.build();
    first.spec.strategy!.canary!.steps!.push({ setWeight: 99 });
    assert.equal(builder.build().spec.strategy?.canary?.steps?.length, 2);
  });

  it('anAnalysisTemplate() and aClusterAnalysisTemplate() with every provider helper', () => {
    const metrics = [aWebMetric(), aPrometheusMetric(), aJobMetric()];
    assertValid('AnalysisTemplate', anAnalysisTemplate().build());
    assertValid(
      'AnalysisTemplate',
      anAnalysisTemplate().named('all').inNamespace('ns').withMetrics(...metrics).withArgs({ name: 'count', value: '3' }).build(),
    );
    const cluster = aClusterAnalysisTemplate().named('global').withMetrics(...metrics).build();
    assertValid('ClusterAnalysisTemplate', cluster);
    assert.equal(cluster.metadata?.namespace, undefined);
  });

  it('anAnalysisRun() with and without status', () => {
    assertValid('AnalysisRun', anAnalysisRun().build());
    assertValid(
      'AnalysisRun',
      anAnalysisRun().withLabels({ 'rollout-type': 'Step' }).withSpec({ terminate: true }).withStatus(failedAnalysisRunStatus()).build(),
    );
  });

  it('anExperiment() with several templates and an analysis', () => {
    assertValid('Experiment', anExperiment().build());
    const experiment = anExperiment()
      .named('ab')
      .withTemplate('baseline', 'registry.example/demo:1.0')
      .withTemplate('candidate', 'registry.example/demo:2.0', 2)
      .withAnalysis('compare', 'success-rate', { requiredForCompletion: true })
      .withDuration(undefined)
      .build();
    assertValid('Experiment', experiment);
    assert.deepEqual(experiment.spec.templates.map((t) => t.name), ['baseline', 'candidate']);
    assert.equal(experiment.spec.duration, undefined);
  });
});
