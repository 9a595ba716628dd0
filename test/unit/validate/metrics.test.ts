import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Metric } from '../../../functions/api/index.ts';
import { validateMetrics } from '../../../functions/validate/index.ts';
import { aJobMetric, anAnalysisTemplate, aPrometheusMetric, aWebMetric } from '../../fixtures/index.ts';
import { messages, type RuleCase, ruleTable } from './rule-table.ts';

/** A template with these metrics (and the `count` argument aPrometheusMetric uses). */
const template = (...metrics: unknown[]) =>
  anAnalysisTemplate().withMetrics(...(metrics as Metric[])).withArgs({ name: 'count', value: '5' }).build();
const web = (extra: Record<string, unknown>) => ({ ...aWebMetric(), ...extra });
const withWeb = (extra: Record<string, unknown>) => web({ provider: { web: { url: 'http://metrics.example/health', ...extra } } });
const withProvider = (provider: Record<string, unknown>) => web({ provider });

const cases: RuleCase[] = [
  {
    rule: 'at least one metric',
    reject: template(),
    accept: anAnalysisTemplate().withMetrics().withSpec({ templates: [{ templateName: 'base' }] }).build(),
    path: 'spec.metrics',
    type: 'Required',
    words: ['at least one metric'],
  },
  {
    rule: 'metric names are unique',
    reject: template(aWebMetric('rate'), aJobMetric('rate')),
    accept: template(aWebMetric('rate'), aJobMetric('smoke')),
    path: 'spec.metrics[1].name',
    type: 'Duplicate',
    words: ['"rate"', 'spec.metrics[0]'],
  },
  {
    rule: 'metrics are named',
    reject: template(web({ name: '' })),
    accept: template(web({ name: 'rate' })),
    path: 'spec.metrics[0].name',
    type: 'Required',
    words: ['needs a name'],
  },
  {
    rule: 'failureLimit is -1 or more',
    reject: template(web({ failureLimit: -2 })),
    accept: template(web({ failureLimit: -1, consecutiveSuccessLimit: 2 })),
    path: 'spec.metrics[0].failureLimit',
    type: 'Invalid',
    words: ['-1 to never fail'],
  },
  {
    rule: 'failureLimit and consecutiveSuccessLimit are not both off',
    reject: template(web({ failureLimit: -1 })),
    accept: template(web({ failureLimit: -1, consecutiveSuccessLimit: 1 })),
    path: 'spec.metrics[0].failureLimit',
    type: 'Invalid',
    words: ['never reach a verdict'],
  },
  ...(['consecutiveSuccessLimit', 'inconclusiveLimit', 'consecutiveErrorLimit', 'count'] as const).map((field) => ({
    rule: `${field} is not negative`,
    reject: template(web({ count: 3, failureLimit: 0, [field]: -1 })),
    accept: template(web({ count: 3, failureLimit: 0, [field]: 1 })),
    path: `spec.metrics[0].${field}`,
    type: 'Invalid' as const,
    words: ['greater than or equal to 0'],
  })),
  {
    rule: 'limits given as strings hold integers',
    reject: template(web({ failureLimit: 'one' })),
    accept: template(web({ failureLimit: '1' })),
    path: 'spec.metrics[0].failureLimit',
    type: 'Invalid',
    words: ['"one"', '{{args.NAME}}'],
  },
  {
    rule: 'count covers failureLimit + consecutiveSuccessLimit',
    reject: template(web({ count: 3, failureLimit: 2, consecutiveSuccessLimit: 2 })),
    accept: template(web({ count: 4, failureLimit: 2, consecutiveSuccessLimit: 2 })),
    path: 'spec.metrics[0].count',
    type: 'Invalid',
    words: ['failureLimit + consecutiveSuccessLimit (2 + 2 = 4)'],
  },
  {
    rule: 'with failureLimit -1, count covers consecutiveSuccessLimit',
    reject: template(web({ count: 2, failureLimit: -1, consecutiveSuccessLimit: 3 })),
    accept: template(web({ count: 3, failureLimit: -1, consecutiveSuccessLimit: 3 })),
    path: 'spec.metrics[0].count',
    type: 'Invalid',
    words: ['consecutiveSuccessLimit (3)'],
  },
  {
    rule: 'count covers inconclusiveLimit',
    reject: template(web({ count: 2, failureLimit: 0, inconclusiveLimit: 3 })),
    accept: template(web({ count: 3, failureLimit: 0, inconclusiveLimit: 3 })),
    path: 'spec.metrics[0].count',
    type: 'Invalid',
    words: ['inconclusiveLimit (3)'],
  },
  {
    rule: 'count > 1 needs an interval',
    reject: template(web({ interval: undefined, count: 3 })),
    accept: template(web({ interval: undefined, count: 1 })),
    path: 'spec.metrics[0].interval',
    type: 'Required',
    words: ['count is 3'],
  },
  {
    rule: 'interval is a Go duration',
    reject: template(web({ interval: '10 s' })),
    accept: template(web({ interval: '1m30s' })),
    path: 'spec.metrics[0].interval',
    type: 'Invalid',
    words: ['"10 s"', 'Go duration'],
  },
  {
    rule: 'initialDelay is not negative',
    reject: template(web({ initialDelay: '-5s' })),
    accept: template(web({ initialDelay: '5s' })),
    path: 'spec.metrics[0].initialDelay',
    type: 'Invalid',
    words: ['must not be negative'],
  },
  {
    rule: 'successCondition parses, with its position',
    reject: template(web({ successCondition: 'result.ok ==' })),
    accept: template(web({ successCondition: 'result.ok == true && len(result.items) > 0' })),
    path: 'spec.metrics[0].successCondition',
    type: 'Invalid',
    words: ['"result.ok =="', 'unexpected end of expression', 'line 1, column 13', 'expected an operand'],
  },
  {
    rule: 'failureCondition parses, on later lines too',
    reject: template(web({ failureCondition: 'result.errors > 5\n  || result.latency >> 200' })),
    accept: template(web({ failureCondition: 'result.errors > 5\n  || result.latency > 200' })),
    path: 'spec.metrics[0].failureCondition',
    type: 'Invalid',
    words: ['line 2, column 22'],
  },
  {
    rule: 'conditions may use argument placeholders',
    reject: template(web({ successCondition: 'result[0] < {{args.count}} +' })),
    accept: template(web({ successCondition: 'result[0] < {{args.count}}' })),
    path: 'spec.metrics[0].successCondition',
    type: 'Invalid',
    words: ['unexpected end of expression'],
  },
  {
    rule: 'conditions call known functions only',
    reject: template(web({ successCondition: 'asInteger(result) > 1' })),
    accept: template(web({ successCondition: 'asInt(result) > 1' })),
    path: 'spec.metrics[0].successCondition',
    type: 'Invalid',
    words: ['asInteger', 'column 1'],
  },
  {
    rule: 'a metric has a provider',
    reject: template(withProvider({})),
    accept: template(aWebMetric()),
    path: 'spec.metrics[0].provider',
    type: 'Required',
    words: ['exactly one provider', 'prometheus, kayenta, web'],
  },
  {
    rule: 'a metric has only one provider',
    reject: template(withProvider({ web: { url: 'http://a.example' }, job: aJobMetric().provider.job })),
    accept: template(withProvider({ job: aJobMetric().provider.job })),
    path: 'spec.metrics[0].provider',
    type: 'Invalid',
    words: ['found 2: web, job'],
  },
  {
    rule: 'each plugin counts as a provider',
    reject: template(withProvider({ plugin: { 'acme/a': {}, 'acme/b': {} } })),
    accept: template(withProvider({ plugin: { 'acme/a': { query: 'x' } } })),
    path: 'spec.metrics[0].provider',
    type: 'Invalid',
    words: ['found 2: plugin:acme/a, plugin:acme/b'],
  },
  {
    rule: 'web: a body needs POST or PUT',
    reject: template(withWeb({ body: '{"q": 1}' })),
    accept: template(withWeb({ method: 'POST', body: '{"q": 1}' })),
    path: 'spec.metrics[0].provider.web.body',
    type: 'Forbidden',
    words: ['POST or PUT', 'method is GET'],
  },
  {
    rule: 'web: body or jsonBody, not both',
    reject: template(withWeb({ method: 'PUT', body: 'x', jsonBody: { q: 1 } })),
    accept: template(withWeb({ method: 'PUT', jsonBody: { q: 1 } })),
    path: 'spec.metrics[0].provider.web.jsonBody',
    type: 'Forbidden',
    words: ['either body or jsonBody'],
  },
  {
    rule: 'web: url is required',
    reject: template(withWeb({ url: '' })),
    accept: template(withWeb({ url: 'https://metrics.example/q' })),
    path: 'spec.metrics[0].provider.web.url',
    type: 'Required',
    words: ['URL to call'],
  },
  {
    rule: 'web: url is an http(s) URL',
    reject: template(withWeb({ url: 'metrics.example/health' })),
    accept: template(withWeb({ url: 'http://{{args.count}}.example/health' })),
    path: 'spec.metrics[0].provider.web.url',
    type: 'Invalid',
    words: ['absolute http or https URL'],
  },
  {
    rule: 'web: timeoutSeconds is not negative',
    reject: template(withWeb({ timeoutSeconds: -1 })),
    accept: template(withWeb({ timeoutSeconds: 5 })),
    path: 'spec.metrics[0].provider.web.timeoutSeconds',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'prometheus: timeout is not negative',
    reject: template(withProvider({ prometheus: { query: 'up', timeout: -1 } })),
    accept: template(withProvider({ prometheus: { query: 'up', timeout: 0 } })),
    path: 'spec.metrics[0].provider.prometheus.timeout',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'prometheus: address is a URL',
    reject: template(withProvider({ prometheus: { query: 'up', address: 'prometheus:9090' } })),
    accept: template(aPrometheusMetric()),
    path: 'spec.metrics[0].provider.prometheus.address',
    type: 'Invalid',
    words: ['http://prometheus.monitoring:9090'],
  },
  {
    rule: 'prometheus: range query times are expressions',
    reject: template(withProvider({ prometheus: { query: 'up', rangeQuery: { start: 'now() - duration("1h"', end: 'now()', step: '1m' } } })),
    accept: template(withProvider({ prometheus: { query: 'up', rangeQuery: { start: 'now() - duration("1h")', end: 'now()', step: '1m' } } })),
    path: 'spec.metrics[0].provider.prometheus.rangeQuery.start',
    type: 'Invalid',
    words: ['column'],
  },
  {
    rule: 'prometheus: range query step is a Go duration',
    reject: template(withProvider({ prometheus: { query: 'up', rangeQuery: { start: 'now()', end: 'now()', step: '1 minute' } } })),
    accept: template(withProvider({ prometheus: { query: 'up', rangeQuery: { start: 'now()', end: 'now()', step: '60s' } } })),
    path: 'spec.metrics[0].provider.prometheus.rangeQuery.step',
    type: 'Invalid',
    words: ['Go duration'],
  },
  {
    rule: 'job: restartPolicy must be set (Jobs refuse Always)',
    reject: template(web({ provider: { job: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } } })),
    accept: template(aJobMetric()),
    path: 'spec.metrics[0].provider.job.spec.template.spec.restartPolicy',
    type: 'Required',
    words: ['"Never", "OnFailure"'],
  },
  {
    rule: 'job: restartPolicy is Never or OnFailure',
    reject: template(web({ provider: { job: { spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'busybox' }] } } } } } })),
    accept: template(web({ provider: { job: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } })),
    path: 'spec.metrics[0].provider.job.spec.template.spec.restartPolicy',
    type: 'NotSupported',
    words: ['"Always"'],
  },
  {
    rule: 'job: the pod has containers with images',
    reject: template(web({ provider: { job: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c' }] } } } } } })),
    accept: template(aJobMetric()),
    path: 'spec.metrics[0].provider.job.spec.template.spec.containers[0].image',
    type: 'Required',
    words: ['needs an image'],
  },
  {
    rule: 'job: pod template labels are checked, unless an argument fills them in',
    reject: template({ ...aJobMetric(), provider: { job: { ...aJobMetric().provider.job!, metadata: {}, spec: { ...aJobMetric().provider.job!.spec, template: { metadata: { labels: { rev: 'rev 1' } }, spec: aJobMetric().provider.job!.spec.template.spec! } } } } }),
    accept: template({ ...aJobMetric(), provider: { job: { ...aJobMetric().provider.job!, spec: { ...aJobMetric().provider.job!.spec, template: { metadata: { labels: { rev: '{{ args.count }}' } }, spec: aJobMetric().provider.job!.spec.template.spec! } } } } }),
    path: 'spec.metrics[0].provider.job.spec.template.metadata.labels[rev]',
    type: 'Invalid',
    words: ['invalid label value'],
  },
  {
    rule: 'datadog: query or queries, not both',
    reject: template(withProvider({ datadog: { query: 'avg:x', queries: { a: 'avg:x' }, formula: 'a' } })),
    accept: template(withProvider({ datadog: { apiVersion: 'v2', queries: { a: 'avg:x', b: 'avg:y' }, formula: 'a/b' } })),
    path: 'spec.metrics[0].provider.datadog.queries',
    type: 'Forbidden',
    words: ['either query or queries'],
  },
  {
    rule: 'datadog: a query is required',
    reject: template(withProvider({ datadog: {} })),
    accept: template(withProvider({ datadog: { query: 'avg:x', interval: '10m' } })),
    path: 'spec.metrics[0].provider.datadog.query',
    type: 'Required',
    words: ['queries with a formula'],
  },
  {
    rule: 'datadog: a formula needs queries',
    reject: template(withProvider({ datadog: { query: 'avg:x', formula: 'a' } })),
    accept: template(withProvider({ datadog: { query: 'avg:x' } })),
    path: 'spec.metrics[0].provider.datadog.formula',
    type: 'Forbidden',
    words: ['set queries'],
  },
  {
    rule: 'datadog: interval is a Go duration',
    reject: template(withProvider({ datadog: { query: 'avg:x', interval: '5 min' } })),
    accept: template(withProvider({ datadog: { query: 'avg:x', interval: '5m' } })),
    path: 'spec.metrics[0].provider.datadog.interval',
    type: 'Invalid',
    words: ['Go duration'],
  },
  {
    rule: 'newRelic: the query is required',
    reject: template(withProvider({ newRelic: { query: '' } })),
    accept: template(withProvider({ newRelic: { query: 'SELECT count(*) FROM Transaction' } })),
    path: 'spec.metrics[0].provider.newRelic.query',
    type: 'Required',
    words: ['NRQL'],
  },
  {
    rule: 'cloudWatch: at least one query',
    reject: template(withProvider({ cloudWatch: { metricDataQueries: [] } })),
    accept: template(withProvider({ cloudWatch: { interval: '5m', metricDataQueries: [{ id: 'rate', expression: 'errors / requests' }] } })),
    path: 'spec.metrics[0].provider.cloudWatch.metricDataQueries',
    type: 'Required',
    words: ['GetMetricData'],
  },
  {
    rule: 'skywalking: interval is a Go duration',
    reject: template(withProvider({ skywalking: { query: 'q', interval: '5x' } })),
    accept: template(withProvider({ skywalking: { query: 'q', interval: '5m' } })),
    path: 'spec.metrics[0].provider.skywalking.interval',
    type: 'Invalid',
    words: ['Go duration'],
  },
];

ruleTable('AnalysisTemplate', 'metric rules', cases);

describe('validateMetrics › direct use', () => {
  it('uses the path it is given', () => {
    const errors = validateMetrics([web({ interval: 'often' })], 'spec.strategy.canary.steps[0].metrics');
    assert.deepEqual(messages(errors).map((m) => m.split(':')[0]), ['spec.strategy.canary.steps[0].metrics[0].interval']);
  });

  it('accepts the fixture metrics', () => {
    assert.deepEqual(validateMetrics([aWebMetric(), aPrometheusMetric(), aJobMetric()], 'spec.metrics'), []);
  });

  it('reports every problem of a metric at once', () => {
    const errors = validateMetrics([web({ name: '', count: 'x', interval: 'soon', successCondition: '>', provider: {} })], 'spec.metrics');
    assert.deepEqual(errors.map((e) => e.path).sort(), [
      'spec.metrics[0].count',
      'spec.metrics[0].interval',
      'spec.metrics[0].name',
      'spec.metrics[0].provider',
      'spec.metrics[0].successCondition',
    ]);
  });

  it('skips limit arithmetic it cannot know before arguments are substituted', () => {
    const metric = web({ count: '{{args.count}}', failureLimit: '{{args.limit}}', consecutiveSuccessLimit: 5, interval: undefined });
    assert.deepEqual(validateMetrics([metric], 'spec.metrics'), []);
  });
});
