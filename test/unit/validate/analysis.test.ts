import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Metric } from '../../../functions/api/index.ts';
import { validateAnalysisRun, validateAnalysisTemplate, validateClusterAnalysisTemplate } from '../../../functions/validate/index.ts';
import { aClusterAnalysisTemplate, anAnalysisRun, anAnalysisTemplate, aWebMetric } from '../../fixtures/index.ts';
import { messages, type RuleCase, ruleTable } from './rule-table.ts';

const urlMetric = (url: string): Metric => ({ ...aWebMetric(), provider: { web: { url } } });
const tpl = () => anAnalysisTemplate();

const templateCases: RuleCase[] = [
  {
    rule: 'argument names are unique',
    reject: tpl().withArgs({ name: 'host' }, { name: 'host', value: 'x' }).build(),
    accept: tpl().withArgs({ name: 'host' }, { name: 'port', value: '80' }).build(),
    path: 'spec.args[1].name',
    type: 'Duplicate',
    words: ['"host"'],
  },
  {
    rule: 'arguments are named',
    reject: tpl().withArgs({ name: '' }).build(),
    accept: tpl().withArgs({ name: 'host' }).build(),
    path: 'spec.args[0].name',
    type: 'Required',
    words: ['{{args.NAME}}'],
  },
  {
    rule: 'an argument sets value or valueFrom, not both',
    reject: tpl().withArgs({ name: 'token', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }).build(),
    accept: tpl().withArgs({ name: 'token', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }).build(),
    path: 'spec.args[0].valueFrom',
    type: 'Forbidden',
    words: ['either value or valueFrom'],
  },
  {
    rule: 'valueFrom names exactly one source',
    reject: tpl().withArgs({ name: 'token', valueFrom: {} }).build(),
    accept: tpl().withArgs({ name: 'token', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }).build(),
    path: 'spec.args[0].valueFrom',
    type: 'Invalid',
    words: ['exactly one of secretKeyRef or fieldRef', 'found none'],
  },
  {
    rule: 'secretKeyRef names the secret and key',
    reject: tpl().withArgs({ name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: '' } } }).build(),
    accept: tpl().withArgs({ name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }).build(),
    path: 'spec.args[0].valueFrom.secretKeyRef.key',
    type: 'Required',
    words: ['Secret key'],
  },
  {
    rule: 'placeholders refer to declared arguments',
    reject: tpl().withMetrics(urlMetric('http://{{args.host}}/health')).build(),
    accept: tpl().withMetrics(urlMetric('http://{{ args.host }}/health')).withArgs({ name: 'host' }).build(),
    path: 'spec.metrics[0].provider.web.url',
    type: 'Invalid',
    words: ['argument "host"', 'spec.args declares none'],
  },
  {
    rule: 'placeholders are {{args.NAME}} only',
    reject: tpl().withMetrics(urlMetric('http://{{host}}/health')).build(),
    accept: tpl().withMetrics(urlMetric('http://localhost/health')).build(),
    path: 'spec.metrics[0].provider.web.url',
    type: 'Invalid',
    words: ['unknown placeholder {{host}}'],
  },
  {
    rule: 'with included templates, arguments may come from them',
    reject: tpl().withMetrics(urlMetric('http://{{host}}/x')).withSpec({ templates: [{ templateName: 'base' }] }).build(),
    accept: tpl().withMetrics(urlMetric('http://{{args.host}}/x')).withSpec({ templates: [{ templateName: 'base' }] }).build(),
    path: 'spec.metrics[0].provider.web.url',
    type: 'Invalid',
    words: ['unknown placeholder'],
  },
  {
    rule: 'dryRun matches a metric',
    reject: tpl().withSpec({ dryRun: [{ metricName: 'latency' }] }).build(),
    accept: tpl().withSpec({ dryRun: [{ metricName: 'success' }] }).build(),
    path: 'spec.dryRun[0].metricName',
    type: 'Invalid',
    words: ['matches no metric name', '"success-rate"'],
  },
  {
    rule: 'dryRun is a valid Go regular expression',
    reject: tpl().withSpec({ dryRun: [{ metricName: '(?=x)' }] }).build(),
    accept: tpl().withSpec({ dryRun: [{ metricName: '(?i)SUCCESS' }] }).build(),
    path: 'spec.dryRun[0].metricName',
    type: 'Invalid',
    words: ['error parsing regexp'],
  },
  {
    rule: 'dryRun names a pattern',
    reject: tpl().withSpec({ dryRun: [{ metricName: '' }] }).build(),
    accept: tpl().withSpec({ dryRun: [{ metricName: '.*' }] }).build(),
    path: 'spec.dryRun[0].metricName',
    type: 'Required',
    words: ['regular expression'],
  },
  {
    rule: 'measurementRetention matches a metric',
    reject: tpl().withSpec({ measurementRetention: [{ metricName: '^rate$', limit: 20 }] }).build(),
    accept: tpl().withSpec({ measurementRetention: [{ metricName: '^success-rate$', limit: 20 }] }).build(),
    path: 'spec.measurementRetention[0].metricName',
    type: 'Invalid',
    words: ['matches no metric name'],
  },
  {
    rule: 'with included templates, dryRun may match their metrics',
    reject: tpl().withSpec({ templates: [{ templateName: 'base' }], dryRun: [{ metricName: '*' }] }).build(),
    accept: tpl().withSpec({ templates: [{ templateName: 'base' }], dryRun: [{ metricName: 'latency' }] }).build(),
    path: 'spec.dryRun[0].metricName',
    type: 'Invalid',
    words: ['error parsing regexp'],
  },
  {
    rule: 'included templates are named',
    reject: tpl().withSpec({ templates: [{ clusterScope: true }] }).build(),
    accept: tpl().withSpec({ templates: [{ templateName: 'base', clusterScope: true }] }).build(),
    path: 'spec.templates[0].templateName',
    type: 'Required',
    words: ['to include'],
  },
  {
    rule: 'included templates are not repeated',
    reject: tpl().withSpec({ templates: [{ templateName: 'base' }, { templateName: 'base' }] }).build(),
    accept: tpl().withSpec({ templates: [{ templateName: 'base' }, { templateName: 'extra' }] }).build(),
    path: 'spec.templates[1].templateName',
    type: 'Duplicate',
    words: ['already included at spec.templates[0]'],
  },
  {
    rule: 'a template does not include itself',
    reject: tpl().named('rate').withSpec({ templates: [{ templateName: 'rate' }] }).build(),
    accept: tpl().named('rate').withSpec({ templates: [{ templateName: 'rate', clusterScope: true }] }).build(),
    path: 'spec.templates[0].templateName',
    type: 'Invalid',
    words: ['cannot include itself'],
  },
];

ruleTable('AnalysisTemplate', 'AnalysisTemplate rules', templateCases);

ruleTable('ClusterAnalysisTemplate', 'ClusterAnalysisTemplate rules', [
  {
    rule: 'a cluster template does not include itself',
    reject: aClusterAnalysisTemplate().named('rate').withSpec({ templates: [{ templateName: 'rate', clusterScope: true }] }).build(),
    accept: aClusterAnalysisTemplate().named('rate').withSpec({ templates: [{ templateName: 'base', clusterScope: true }] }).build(),
    path: 'spec.templates[0].templateName',
    type: 'Invalid',
    words: ['cannot include itself'],
  },
  {
    rule: 'cluster templates follow the metric rules',
    reject: aClusterAnalysisTemplate().withMetrics({ ...aWebMetric(), successCondition: 'result ==' }).build(),
    accept: aClusterAnalysisTemplate().build(),
    path: 'spec.metrics[0].successCondition',
    type: 'Invalid',
    words: ['column'],
  },
]);

const run = () => anAnalysisRun();
ruleTable('AnalysisRun', 'AnalysisRun rules', [
  {
    rule: 'a run has metrics',
    reject: run().withMetrics().build(),
    accept: run().build(),
    path: 'spec.metrics',
    type: 'Required',
    words: ['at least one metric'],
  },
  {
    rule: 'every run argument has a value',
    reject: run().withArgs({ name: 'host' }).build(),
    accept: run().withArgs({ name: 'host', value: 'demo' }).build(),
    path: 'spec.args[0].value',
    type: 'Required',
    words: ['value or valueFrom.secretKeyRef'],
  },
  {
    rule: 'a run resolves secretKeyRef only',
    reject: run().withArgs({ name: 'host', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }).build(),
    accept: run().withArgs({ name: 'host', valueFrom: { secretKeyRef: { name: 'creds', key: 'host' } } }).build(),
    path: 'spec.args[0].valueFrom.fieldRef',
    type: 'Forbidden',
    words: ['resolves only secretKeyRef'],
  },
  {
    rule: 'run placeholders refer to its arguments',
    reject: run().withMetrics(urlMetric('http://{{args.host}}/x')).withArgs({ name: 'port', value: '80' }).build(),
    accept: run().withMetrics(urlMetric('http://{{args.host}}/x')).withArgs({ name: 'host', value: 'demo' }).build(),
    path: 'spec.metrics[0].provider.web.url',
    type: 'Invalid',
    words: ['argument "host"', 'declared: "port"'],
  },
  {
    rule: 'run dryRun matches a metric',
    reject: run().withSpec({ dryRun: [{ metricName: 'latency' }] }).build(),
    accept: run().withSpec({ dryRun: [{ metricName: '.*' }] }).build(),
    path: 'spec.dryRun[0].metricName',
    type: 'Invalid',
    words: ['matches no metric name'],
  },
  {
    rule: 'run ttlStrategy is not negative',
    reject: run().withSpec({ ttlStrategy: { secondsAfterFailure: -1 } }).build(),
    accept: run().withSpec({ ttlStrategy: { secondsAfterFailure: 3600, secondsAfterSuccess: 0 } }).build(),
    path: 'spec.ttlStrategy.secondsAfterFailure',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
]);

describe('analysis validators › direct use', () => {
  it('accept the fixtures', () => {
    assert.deepEqual(validateAnalysisTemplate(tpl().build()), []);
    assert.deepEqual(validateClusterAnalysisTemplate(aClusterAnalysisTemplate().build()), []);
    assert.deepEqual(validateAnalysisRun(run().build()), []);
  });

  it('report a missing spec', () => {
    assert.deepEqual(messages(validateAnalysisRun({} as never)), ['spec: Required value: an AnalysisRun needs a spec with metrics']);
  });

  it('report every unresolved placeholder of a metric at its own path', () => {
    const metric: Metric = {
      ...aWebMetric(),
      provider: { web: { url: 'http://{{args.host}}/x', headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }] } },
    };
    assert.deepEqual(
      validateAnalysisTemplate(tpl().withMetrics(metric).withArgs({ name: 'host' }).build()).map((e) => e.path),
      ['spec.metrics[0].provider.web.headers[0].value'],
    );
  });
});
