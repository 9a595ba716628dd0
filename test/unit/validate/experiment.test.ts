import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateExperiment } from '../../../functions/validate/index.ts';
import { anExperiment } from '../../fixtures/index.ts';
import { edited, messages, ruleTable } from './rule-table.ts';

const base = anExperiment().build();
const two = anExperiment().withTemplate('baseline').withTemplate('canary').build();
const withAnalysis = (extra: Record<string, unknown>) =>
  anExperiment().withAnalysis('rate', 'success-rate', extra).build();

ruleTable('Experiment', 'Experiment rules', [
  {
    rule: 'at least one template',
    reject: edited(base, (e) => (e.spec.templates = [])),
    accept: base,
    path: 'spec.templates',
    type: 'Required',
    words: ['at least one template'],
  },
  {
    rule: 'templates are named',
    reject: edited(base, (e) => (e.spec.templates[0].name = '')),
    accept: base,
    path: 'spec.templates[0].name',
    type: 'Required',
    words: ['every template needs a name'],
  },
  {
    rule: 'template names are unique',
    reject: edited(two, (e) => (e.spec.templates[1].name = 'baseline')),
    accept: two,
    path: 'spec.templates[1].name',
    type: 'Duplicate',
    words: ['"baseline"', 'spec.templates[0]'],
  },
  {
    rule: 'a template selector is not empty',
    reject: edited(base, (e) => (e.spec.templates[0].selector = {})),
    accept: base,
    path: 'spec.templates[0].selector',
    type: 'Invalid',
    words: ['empty selector'],
  },
  {
    rule: 'a template selector matches its pod labels',
    reject: edited(base, (e) => (e.spec.templates[0].selector = { matchLabels: { app: 'other' } })),
    accept: edited(base, (e) => (e.spec.templates[0].selector = { matchLabels: { template: 'baseline' } })),
    path: 'spec.templates[0].template.metadata.labels',
    type: 'Invalid',
    words: ['selector does not match template labels', 'spec.templates[0].selector'],
  },
  {
    rule: 'minReadySeconds does not exceed progressDeadlineSeconds',
    reject: edited(base, (e) => Object.assign(e.spec, { progressDeadlineSeconds: 60 }) && (e.spec.templates[0].minReadySeconds = 61)),
    accept: edited(base, (e) => Object.assign(e.spec, { progressDeadlineSeconds: 60 }) && (e.spec.templates[0].minReadySeconds = 60)),
    path: 'spec.templates[0].minReadySeconds',
    type: 'Invalid',
    words: ['61', 'spec.progressDeadlineSeconds (60)'],
  },
  {
    rule: 'minReadySeconds does not exceed the default deadline',
    reject: edited(base, (e) => (e.spec.templates[0].minReadySeconds = 601)),
    accept: edited(base, (e) => (e.spec.templates[0].minReadySeconds = 600)),
    path: 'spec.templates[0].minReadySeconds',
    type: 'Invalid',
    words: ['(600, the default)'],
  },
  {
    rule: 'template replicas are not negative',
    reject: edited(base, (e) => (e.spec.templates[0].replicas = -1)),
    accept: edited(base, (e) => (e.spec.templates[0].replicas = 0)),
    path: 'spec.templates[0].replicas',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'template pods have containers',
    reject: edited(base, (e) => (e.spec.templates[0].template.spec.containers = [])),
    accept: base,
    path: 'spec.templates[0].template.spec.containers',
    type: 'Required',
    words: ['at least one container'],
  },
  {
    rule: 'duration is a Go duration',
    reject: anExperiment().withDuration('5 minutes').build(),
    accept: anExperiment().withDuration('1h').build(),
    path: 'spec.duration',
    type: 'Invalid',
    words: ['"5 minutes"', 'Go duration'],
  },
  {
    rule: 'progressDeadlineSeconds is not negative',
    reject: edited(base, (e) => (e.spec.progressDeadlineSeconds = -1)),
    accept: edited(base, (e) => (e.spec.progressDeadlineSeconds = 60)),
    path: 'spec.progressDeadlineSeconds',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'scaleDownDelaySeconds is not negative',
    reject: edited(base, (e) => (e.spec.scaleDownDelaySeconds = -1)),
    accept: edited(base, (e) => (e.spec.scaleDownDelaySeconds = 0)),
    path: 'spec.scaleDownDelaySeconds',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'analysis names are unique',
    reject: anExperiment().withAnalysis('rate', 'a').withAnalysis('rate', 'b').build(),
    accept: anExperiment().withAnalysis('rate', 'a').withAnalysis('latency', 'b').build(),
    path: 'spec.analyses[1].name',
    type: 'Duplicate',
    words: ['analysis names must be unique'],
  },
  {
    rule: 'analyses name a template',
    reject: anExperiment().withAnalysis('rate', '').build(),
    accept: anExperiment().withAnalysis('rate', 'success-rate').build(),
    path: 'spec.analyses[0].templateName',
    type: 'Required',
    words: ['AnalysisTemplate'],
  },
  {
    rule: 'analysis arguments have values',
    reject: withAnalysis({ args: [{ name: 'hash' }] }),
    accept: withAnalysis({ args: [{ name: 'hash', value: '{{templates.baseline.podTemplateHash}}' }] }),
    path: 'spec.analyses[0].args[0].value',
    type: 'Required',
    words: ['value or valueFrom'],
  },
  {
    rule: 'argument placeholders name existing templates',
    reject: withAnalysis({ args: [{ name: 'rs', value: '{{templates.canary.replicaset.name}}' }] }),
    accept: withAnalysis({ args: [{ name: 'rs', value: '{{templates.baseline.replicaset.name}}' }] }),
    path: 'spec.analyses[0].args[0].value',
    type: 'Invalid',
    words: ['template "canary"', '"baseline"'],
  },
  {
    rule: 'argument placeholders are the experiment ones',
    reject: withAnalysis({ args: [{ name: 'at', value: '{{experiment.startedAt}}' }] }),
    accept: withAnalysis({ args: [{ name: 'at', value: '{{experiment.availableAt}}' }] }),
    path: 'spec.analyses[0].args[0].value',
    type: 'Invalid',
    words: ['unknown placeholder {{experiment.startedAt}}'],
  },
  {
    rule: 'analysisRunMetadata labels are valid',
    reject: anExperiment().withSpec({ analysisRunMetadata: { labels: { team: 'a b' } } }).build(),
    accept: anExperiment().withSpec({ analysisRunMetadata: { labels: { team: 'a-b' } } }).build(),
    path: 'spec.analysisRunMetadata.labels[team]',
    type: 'Invalid',
    words: ['invalid label value'],
  },
  {
    rule: 'dryRun patterns compile',
    reject: edited(base, (e) => (e.spec.dryRun = [{ metricName: '[' }])),
    accept: edited(base, (e) => (e.spec.dryRun = [{ metricName: '.*' }])),
    path: 'spec.dryRun[0].metricName',
    type: 'Invalid',
    words: ['error parsing regexp'],
  },
]);

ruleTable('Experiment', 'Experiment update rules', [
  {
    rule: 'a template selector is immutable',
    old: two,
    reject: edited(two, (e) => {
      e.spec.templates[1].selector.matchLabels.track = 'b';
      e.spec.templates[1].template.metadata.labels.track = 'b';
    }),
    accept: edited(two, (e) => (e.spec.templates[1].template.spec.containers[0].image = 'registry.example/demo:2')),
    path: 'spec.templates[1].selector',
    type: 'Invalid',
    words: ['field is immutable', 'template "canary"'],
  },
  {
    rule: 'a terminated experiment stays terminated',
    old: edited(base, (e) => (e.spec.terminate = true)),
    reject: edited(base, (e) => (e.spec.terminate = false)),
    accept: edited(base, (e) => {
      e.spec.terminate = true;
      e.spec.duration = '1m';
    }),
    path: 'spec.terminate',
    type: 'Forbidden',
    words: ['cannot be resumed'],
  },
]);

describe('validateExperiment › direct use', () => {
  it('accepts the fixture', () => {
    assert.deepEqual(validateExperiment(base), []);
  });

  it('a template added on update has no old selector to keep', () => {
    assert.deepEqual(messages(validateExperiment(two, base)), []);
  });
});
