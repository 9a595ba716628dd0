import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  mergeArgs,
  newAnalysisRun,
  readFieldPath,
  resolveArgValues,
  resolveRolloutArgs,
  resolveTemplateRefs,
  rolloutAnalysisRunAnnotations,
  rolloutAnalysisRunLabels,
  rolloutAnalysisRunName,
  substituteMetricArgs,
  type TemplateLike,
} from '../../../functions/analysis/index.ts';
import { metric } from './simulate.ts';

const tpl = (name: string, spec: TemplateLike['spec']): TemplateLike => ({ metadata: { name }, spec });

describe('analysis templates › merged into one run', () => {
  const lookup = {
    template: (n: string) => ({
      'success-rate': tpl('success-rate', { metrics: [metric('success-rate')], args: [{ name: 'service' }] }),
      latency: tpl('latency', { metrics: [metric('latency')], args: [{ name: 'service' }, { name: 'quantile', value: '0.99' }], templates: [{ templateName: 'shared', clusterScope: true }] }),
      dup: tpl('dup', { metrics: [metric('success-rate')] }),
    })[n],
    clusterTemplate: (n: string) => (n === 'shared' ? tpl('shared', { metrics: [metric('errors')], dryRun: [{ metricName: 'errors' }] }) : undefined),
  };

  it('flattens nested and cluster templates, merges args and keeps dry-run rules', () => {
    const templates = resolveTemplateRefs([{ templateName: 'success-rate' }, { templateName: 'latency' }], lookup);
    const run = newAnalysisRun({ templates, args: [{ name: 'service', value: 'web' }, { name: 'unused', value: 'x' }], name: 'r', namespace: 'ns' });
    assert.deepEqual(run.spec.metrics.map((m) => m.name), ['success-rate', 'latency', 'errors']);
    assert.deepEqual(run.spec.args, [{ name: 'service', value: 'web' }, { name: 'quantile', value: '0.99' }]);
    assert.deepEqual(run.spec.dryRun, [{ metricName: 'errors' }]);
    assert.equal(run.metadata?.name, 'r');
  });

  it('two metrics with one name are refused', () => {
    const templates = resolveTemplateRefs([{ templateName: 'success-rate' }, { templateName: 'dup' }], lookup);
    assert.throws(() => newAnalysisRun({ templates, args: [{ name: 'service', value: 'x' }], namespace: 'ns' }), /two metrics have the same name 'success-rate'/);
  });

  it('a template arg nobody supplies is refused', () => {
    const templates = resolveTemplateRefs([{ templateName: 'success-rate' }], lookup);
    assert.throws(() => newAnalysisRun({ templates, namespace: 'ns' }), /^Error: args\.service was not resolved$/);
  });

  it('the same arg with two different values is refused', () => {
    const a = tpl('a', { metrics: [metric('a')], args: [{ name: 'x', value: '1' }] });
    const b = tpl('b', { metrics: [metric('b')], args: [{ name: 'x', value: '2' }] });
    assert.throws(() => newAnalysisRun({ templates: [a, b], namespace: 'ns' }), /Argument `x` specified multiple times with different values: '1', '2'/);
  });

  it('a missing template is named', () => {
    assert.throws(() => resolveTemplateRefs([{ templateName: 'nope', clusterScope: true }], lookup), /ClusterAnalysisTemplate 'nope' not found/);
  });
});

describe('analysis args', () => {
  it('incoming values override template values; a valueFrom replaces a value', () => {
    const merged = mergeArgs([{ name: 'a', value: 'new' }, { name: 'b', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }], [{ name: 'a', value: 'old' }, { name: 'b', value: 'old' }]);
    assert.deepEqual(merged, [{ name: 'a', value: 'new' }, { name: 'b', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]);
  });

  it('secrets come from the lookup and are listed for redaction; without one they are masked', () => {
    const args = [{ name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'plain', value: 'v' }];
    assert.deepEqual(resolveArgValues(args, (n, k) => (n === 's' && k === 'k' ? 'hunter2' : undefined)), { values: Object.assign(Object.create(null), { token: 'hunter2', plain: 'v' }), secrets: ['hunter2'] });
    assert.equal(resolveArgValues(args).values['token'], '*****');
    assert.throws(() => resolveArgValues(args, () => undefined), /secret "s" has no key "k"/);
  });

  it('substitution escapes values for JSON and fills limits, urls and headers', () => {
    const m = substituteMetricArgs(
      metric('m', { count: '{{ args.n }}', successCondition: 'result == "{{args.q}}"', provider: { web: { url: 'http://h/{{args.path}}', headers: [{ key: 'X', value: '{{args.q}}' }] } } }),
      { n: '3', q: 'a"b', path: 'p' },
    );
    assert.equal(m.count, '3');
    assert.equal(m.successCondition, 'result == "a"b"');
    assert.equal(m.provider.web?.url, 'http://h/p');
    assert.equal(m.provider.web?.headers?.[0]?.value, 'a"b');
    assert.throws(() => substituteMetricArgs(metric('m', { successCondition: '{{workflow.x}}' }), {}), /failed to resolve \{\{workflow\.x\}\}/);
  });
});

describe('analysis runs created by Rollouts', () => {
  const id = { rolloutName: 'web', podTemplateHash: '6b8f7c9d5', revision: '3' };
  it('names: step, background, pre, post, and the retry suffix', () => {
    assert.equal(rolloutAnalysisRunName({ ...id, analysis: { kind: 'step', stepIndex: 2 } }), 'web-6b8f7c9d5-3-2');
    assert.equal(rolloutAnalysisRunName({ ...id, analysis: { kind: 'background' } }), 'web-6b8f7c9d5-3');
    assert.equal(rolloutAnalysisRunName({ ...id, analysis: { kind: 'prePromotion' } }), 'web-6b8f7c9d5-3-pre');
    assert.equal(rolloutAnalysisRunName({ ...id, analysis: { kind: 'postPromotion' } }, 2), 'web-6b8f7c9d5-3-post.2');
  });

  it('labels and annotations', () => {
    assert.deepEqual(rolloutAnalysisRunLabels({ ...id, analysis: { kind: 'step', stepIndex: 1 } }, { selectorLabels: { app: 'web' } }), {
      'rollouts-pod-template-hash': '6b8f7c9d5',
      'rollout-type': 'Step',
      'step-index': '1',
      app: 'web',
    });
    assert.deepEqual(rolloutAnalysisRunAnnotations('3', { team: 'a' }), { 'rollout.argoproj.io/revision': '3', team: 'a' });
  });

  it('args from the pod template hash and from fields of the Rollout', () => {
    const rollout = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { template: { spec: { containers: [{ image: 'web:2' }] } } } };
    const args = resolveRolloutArgs(
      [
        { name: 'stable', valueFrom: { podTemplateHashValue: 'Stable' } },
        { name: 'latest', valueFrom: { podTemplateHashValue: 'Latest' } },
        { name: 'app', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'image', valueFrom: { fieldRef: { fieldPath: 'spec.template.spec.containers[0].image' } } },
        { name: 'lit', value: 'x' },
      ],
      { rollout, stablePodTemplateHash: 'aaa', latestPodTemplateHash: 'bbb' },
    );
    assert.deepEqual(args.map((a) => a.value), ['aaa', 'bbb', 'web', 'web:2', 'x']);
    assert.equal(readFieldPath(rollout, 'spec.nothing'), undefined);
    assert.throws(() => resolveRolloutArgs([{ name: 'x', valueFrom: { fieldRef: { fieldPath: 'spec.nope' } } }], { rollout }), /field spec\.nope not found/);
  });
});
