import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisTemplate, ClusterAnalysisTemplate, Metric, Rollout } from '../../../functions/api/index.ts';
import { checkExperimentReferences, checkRolloutReferences, type ReferencedObjects, type ServiceView } from '../../../functions/validate/index.ts';
import { aClusterAnalysisTemplate, anAnalysisTemplate, anExperiment, aRollout, aWebMetric } from '../../fixtures/index.ts';

const service = (selector: Record<string, string> = { app: 'demo' }, annotations?: Record<string, string>): ServiceView => ({
  ...(annotations === undefined ? {} : { metadata: { annotations } }),
  spec: { selector },
});
const blueGreen = aRollout().withBlueGreen('demo-active', { previewService: 'demo-preview' }).build();
const bothServices = { 'demo-active': service(), 'demo-preview': service() };

describe('checkRolloutReferences › Services', () => {
  it('reports nothing when every Service exists and selects the pods', () => {
    assert.deepEqual(checkRolloutReferences(blueGreen, { services: bothServices }), []);
  });

  it('a missing Service is a warning with its field path', () => {
    assert.deepEqual(checkRolloutReferences(blueGreen, { services: { 'demo-active': service() } }), [
      'spec.strategy.blueGreen.previewService: Service "demo-preview" not found in namespace "default"; the Rollout waits until it exists',
    ]);
  });

  it('accepts a Map as well as a record', () => {
    assert.deepEqual(checkRolloutReferences(blueGreen, { services: new Map(Object.entries(bothServices)) }), []);
  });

  it('skips the Service checks when no Services are given', () => {
    assert.deepEqual(checkRolloutReferences(blueGreen, {}), []);
  });

  it('a Service selecting labels the pods lack', () => {
    const warnings = checkRolloutReferences(blueGreen, {
      services: { ...bothServices, 'demo-active': service({ app: 'demo', tier: 'web', 'rollouts-pod-template-hash': 'abc' }) },
    });
    assert.deepEqual(warnings, [
      'spec.strategy.blueGreen.activeService: Service "demo-active" selects tier=web, but spec.template.metadata.labels has no such label; the Service would never reach the Rollout\'s pods',
    ]);
  });

  it('a Service selecting a different value', () => {
    const warnings = checkRolloutReferences(blueGreen, { services: { ...bothServices, 'demo-preview': service({ app: 'web' }) } });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^spec\.strategy\.blueGreen\.previewService: .*selects app=web, but .* has app=demo/);
  });

  it('a Service managed by another Rollout', () => {
    const warnings = checkRolloutReferences(blueGreen, {
      services: { ...bothServices, 'demo-active': service({ app: 'demo' }, { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'other' }) },
    });
    assert.deepEqual(warnings, [
      'spec.strategy.blueGreen.activeService: Service "demo-active" is managed by another Rollout, "other" (annotation argo-rollouts.argoproj.io/managed-by-rollouts); two Rollouts would fight over its selector',
    ]);
  });

  it('a Service managed by this Rollout is fine', () => {
    const mine = service({ app: 'demo' }, { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'demo' });
    assert.deepEqual(checkRolloutReferences(blueGreen, { services: { ...bothServices, 'demo-active': mine } }), []);
  });

  it('a Service other Rollouts use', () => {
    const warnings = checkRolloutReferences(blueGreen, { rolloutsUsingService: { 'demo-active': ['demo', 'web', 'api'] } });
    assert.deepEqual(warnings, [
      'spec.strategy.blueGreen.activeService: Service "demo-active" is also used by Rollouts "web", "api"; each Rollout needs its own Services',
    ]);
  });

  it('canary, ping-pong and root Services are checked too; root Services need not select the pods', () => {
    const rollout = aRollout()
      .withCanary({
        steps: [{ setWeight: 10 }],
        pingPong: { pingService: 'ping', pongService: 'pong' },
        trafficRouting: { alb: { ingress: 'demo', servicePort: 80, rootService: 'root' } },
      })
      .build();
    const warnings = checkRolloutReferences(rollout, { services: { ping: service(), root: service({ app: 'everything' }) } });
    assert.deepEqual(warnings, [
      'spec.strategy.canary.pingPong.pongService: Service "pong" not found in namespace "default"; the Rollout waits until it exists',
    ]);
  });

  it('with a workloadRef the pod labels are unknown, so selectors are not compared', () => {
    const rollout = aRollout().withBlueGreen('demo-active').withSpec({ workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } }).build();
    delete (rollout.spec as { template?: unknown }).template;
    assert.deepEqual(checkRolloutReferences(rollout, { services: { 'demo-active': service({ app: 'elsewhere' }) } }), []);
  });
});

describe('checkRolloutReferences › Ingresses', () => {
  const nginxRollout = (stable = 'demo-stable') =>
    aRollout().withCanary({ canaryService: 'demo-canary', stableService: stable, steps: [{ setWeight: 10 }], trafficRouting: { nginx: { stableIngresses: ['a', 'b'] } } }).build();
  const ingressTo = (name: string) => ({ spec: { rules: [{ http: { paths: [{ backend: { service: { name } } }] } }] } });

  it('reports a missing Ingress and one without a rule to the stable Service', () => {
    assert.deepEqual(checkRolloutReferences(nginxRollout(), { ingresses: { a: ingressTo('other') } }), [
      'spec.strategy.canary.trafficRouting.nginx.stableIngresses[0]: Ingress "a" has no rule sending traffic to Service "demo-stable" (stableService); point one of its backends at it',
      'spec.strategy.canary.trafficRouting.nginx.stableIngresses[1]: Ingress "b" not found in namespace "default"; the Rollout waits until it exists',
    ]);
  });

  it('accepts Ingresses routing to the stable Service, v1beta1 serviceName included', () => {
    assert.deepEqual(
      checkRolloutReferences(nginxRollout(), { ingresses: { a: ingressTo('demo-stable'), b: { spec: { backend: { serviceName: 'demo-stable' } } } } }),
      [],
    );
  });

  it('alb Ingresses must route to the root Service when there is one', () => {
    const rollout = aRollout()
      .withCanary({ canaryService: 'c', stableService: 's', steps: [{ setWeight: 10 }], trafficRouting: { alb: { ingress: 'a', servicePort: 80, rootService: 'root' } } })
      .build();
    assert.deepEqual(checkRolloutReferences(rollout, { ingresses: { a: ingressTo('root') } }), []);
    assert.deepEqual(checkRolloutReferences(rollout, { ingresses: { a: ingressTo('s') } }), [
      'spec.strategy.canary.trafficRouting.alb.ingress: Ingress "a" has no rule sending traffic to Service "root" (trafficRouting.alb.rootService); point one of its backends at it',
    ]);
  });
});

describe('checkRolloutReferences › analysis templates', () => {
  const stepAnalysis = (analysis: Record<string, unknown>): Rollout =>
    aRollout().withCanarySteps([{ setWeight: 10 }, { analysis: analysis as never }]).build();
  const templates = (...list: AnalysisTemplate[]) => ({ analysisTemplates: Object.fromEntries(list.map((t) => [t.metadata!.name!, t])) });
  const counted = (name: string, extra: Partial<Metric> = {}): Metric => ({ ...aWebMetric(name), ...extra });
  const at = (name: string, ...metrics: Metric[]) => anAnalysisTemplate().named(name).withMetrics(...metrics);

  it('reports nothing for a resolvable analysis', () => {
    assert.deepEqual(checkRolloutReferences(stepAnalysis({ templates: [{ templateName: 'rate' }] }), templates(at('rate', counted('rate')).build())), []);
  });

  it('a missing AnalysisTemplate or ClusterAnalysisTemplate', () => {
    const rollout = stepAnalysis({ templates: [{ templateName: 'rate' }, { templateName: 'latency', clusterScope: true }] });
    const refs: ReferencedObjects = { analysisTemplates: {}, clusterAnalysisTemplates: new Map<string, ClusterAnalysisTemplate>() };
    assert.deepEqual(checkRolloutReferences(rollout, refs), [
      'spec.strategy.canary.steps[1].analysis.templates[0].templateName: AnalysisTemplate "rate" not found in namespace "default"; the analysis cannot start until it exists',
      'spec.strategy.canary.steps[1].analysis.templates[1].templateName: ClusterAnalysisTemplate "latency" not found; the analysis cannot start until it exists',
    ]);
  });

  it('follows included templates and reports a missing one', () => {
    const outer = at('outer', counted('a')).withSpec({ templates: [{ templateName: 'inner' }] }).build();
    assert.deepEqual(checkRolloutReferences(stepAnalysis({ templates: [{ templateName: 'outer' }] }), templates(outer)), [
      'spec.strategy.canary.steps[1].analysis.templates[0].templateName: AnalysisTemplate "inner" (included by AnalysisTemplate "outer") not found in namespace "default"; the analysis cannot start until it exists',
    ]);
  });

  it('tolerates templates that include each other', () => {
    const a = at('a', counted('m1')).withSpec({ templates: [{ templateName: 'b' }] }).build();
    const b = at('b', counted('m2')).withSpec({ templates: [{ templateName: 'a' }] }).build();
    assert.deepEqual(checkRolloutReferences(stepAnalysis({ templates: [{ templateName: 'a' }] }), templates(a, b)), []);
  });

  it('the same metric name in two templates', () => {
    const rollout = stepAnalysis({ templates: [{ templateName: 'a' }, { templateName: 'b' }] });
    assert.deepEqual(checkRolloutReferences(rollout, templates(at('a', counted('rate')).build(), at('b', counted('rate')).build())), [
      'spec.strategy.canary.steps[1].analysis: metric "rate" is defined by both AnalysisTemplate "a" and AnalysisTemplate "b"; metric names must be unique within a run',
    ]);
  });

  it('an argument with different values in two templates, unless the Rollout passes it', () => {
    const a = at('a', counted('m1')).withArgs({ name: 'env', value: 'prod' }).build();
    const b = at('b', counted('m2')).withArgs({ name: 'env', value: 'staging' }).build();
    const refs = templates(a, b);
    assert.deepEqual(checkRolloutReferences(stepAnalysis({ templates: [{ templateName: 'a' }, { templateName: 'b' }] }), refs), [
      'spec.strategy.canary.steps[1].analysis: argument "env" has different values in AnalysisTemplate "a" ("prod") and AnalysisTemplate "b" ("staging"); pass it in args to decide',
    ]);
    const decided = stepAnalysis({ templates: [{ templateName: 'a' }, { templateName: 'b' }], args: [{ name: 'env', value: 'prod' }] });
    assert.deepEqual(checkRolloutReferences(decided, refs), []);
  });

  it('a template argument without a value must be passed', () => {
    const t = at('rate', counted('rate')).withArgs({ name: 'service' }, { name: 'port', value: '80' }).build();
    assert.deepEqual(checkRolloutReferences(stepAnalysis({ templates: [{ templateName: 'rate' }] }), templates(t)), [
      'spec.strategy.canary.steps[1].analysis.args: AnalysisTemplate "rate" needs argument "service", which is not given here',
    ]);
    const passed = stepAnalysis({ templates: [{ templateName: 'rate' }], args: [{ name: 'service', valueFrom: { podTemplateHashValue: 'Latest' } }] });
    assert.deepEqual(checkRolloutReferences(passed, templates(t)), []);
  });

  it('dryRun and measurementRetention patterns must match a template metric', () => {
    const rollout = stepAnalysis({ templates: [{ templateName: 'rate' }], dryRun: [{ metricName: 'latency' }], measurementRetention: [{ metricName: 'ra', limit: 5 }] });
    assert.deepEqual(checkRolloutReferences(rollout, templates(at('rate', counted('rate')).build())), [
      'spec.strategy.canary.steps[1].analysis.dryRun[0].metricName: "latency" matches none of the templates\' metrics ("rate")',
    ]);
  });

  it('a step, pre- or post-promotion analysis must end: interval without count runs forever', () => {
    const endless = at('rate', counted('rate', { count: undefined })).build();
    assert.deepEqual(checkRolloutReferences(stepAnalysis({ templates: [{ templateName: 'rate' }] }), templates(endless)), [
      'spec.strategy.canary.steps[1].analysis: AnalysisTemplate "rate" has metric "rate" with an interval but no count, so it would run until terminated and this analysis would never finish; set count',
    ]);
    const bg = aRollout().withBlueGreen('a', { prePromotionAnalysis: { templates: [{ templateName: 'rate' }] } }).build();
    assert.equal(checkRolloutReferences(bg, templates(endless)).length, 1);
  });

  it('background analysis may run until the update ends', () => {
    const endless = at('rate', counted('rate', { count: 0 })).build();
    const rollout = aRollout().withCanary({ steps: [{ setWeight: 10 }], analysis: { templates: [{ templateName: 'rate' }] } }).build();
    assert.deepEqual(checkRolloutReferences(rollout, templates(endless)), []);
  });

  it('experiment-step analyses are resolved too', () => {
    const rollout = aRollout()
      .withCanarySteps([{ experiment: { templates: [{ name: 'c', specRef: 'canary' }], analyses: [{ name: 'a', templateName: 'cluster-rate', clusterScope: true }] } }])
      .build();
    assert.deepEqual(checkRolloutReferences(rollout, { clusterAnalysisTemplates: { 'cluster-rate': aClusterAnalysisTemplate().withArgs({ name: 'host' }).build() } }), [
      'spec.strategy.canary.steps[0].experiment.analyses[0].args: ClusterAnalysisTemplate "cluster-rate" needs argument "host", which is not given here',
    ]);
  });

  it('every warning starts with a plain field path', () => {
    const outer = at('outer', counted('a')).withSpec({ templates: [{ templateName: 'inner' }] }).build();
    const warnings = checkRolloutReferences(stepAnalysis({ templates: [{ templateName: 'outer' }, { templateName: 'x' }] }), templates(outer));
    assert.equal(warnings.length, 2);
    for (const warning of warnings) assert.match(warning, /^spec(\.[A-Za-z]+|\[\d+\])+: /);
  });
});

describe('checkExperimentReferences', () => {
  it('a missing template and a missing argument are warnings at the analysis', () => {
    const experiment = anExperiment().withAnalysis('rate', 'success-rate').withAnalysis('smoke', 'smoke', { clusterScope: true }).build();
    const refs = {
      analysisTemplates: { 'success-rate': anAnalysisTemplate().withArgs({ name: 'service' }).build() },
      clusterAnalysisTemplates: {},
    };
    assert.deepEqual(checkExperimentReferences(experiment, refs), [
      'spec.analyses[0].args: AnalysisTemplate "success-rate" needs argument "service", which is not given here',
      'spec.analyses[1].templateName: ClusterAnalysisTemplate "smoke" not found; the analysis cannot start until it exists',
    ]);
  });

  it('reports nothing when the templates exist and get their arguments', () => {
    const experiment = anExperiment().withAnalysis('rate', 'success-rate', { args: [{ name: 'service', value: 'demo' }] }).build();
    const refs = { analysisTemplates: { 'success-rate': anAnalysisTemplate().withArgs({ name: 'service' }).build() } };
    assert.deepEqual(checkExperimentReferences(experiment, refs), []);
  });
});
