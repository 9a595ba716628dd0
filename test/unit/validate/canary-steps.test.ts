import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateObject } from '../../../functions/validate/index.ts';
import { aRollout } from '../../fixtures/index.ts';
import { messages, type RuleCase, ruleTable } from './rule-table.ts';

const services = { canaryService: 'demo-canary', stableService: 'demo-stable' };
const basic = (...steps: unknown[]) => aRollout().withCanarySteps(steps as never).build();
const routedWith = (trafficRouting: Record<string, unknown>, ...steps: unknown[]) =>
  aRollout().withCanarySteps(steps as never, { ...services, trafficRouting } as never).build();
const istio = (extra: Record<string, unknown> = {}) => ({ istio: { virtualService: { name: 'demo-vs' } }, ...extra });
const alb = (extra: Record<string, unknown> = {}) => ({ alb: { ingress: 'demo', servicePort: 80 }, ...extra });
const managed = { managedRoutes: [{ name: 'header' }, { name: 'mirror' }] };
const analysis = (extra: Record<string, unknown> = {}) => ({ templates: [{ templateName: 'success-rate' }], ...extra });
const experiment = (extra: Record<string, unknown> = {}) => ({
  templates: [{ name: 'canary', specRef: 'canary' }],
  ...extra,
});

const cases: RuleCase[] = [
  {
    rule: 'a step sets one action, not two',
    reject: basic({ setWeight: 10 }, { setWeight: 20, pause: {} }),
    accept: basic({ setWeight: 10 }, { pause: {} }),
    path: 'spec.strategy.canary.steps[1]',
    type: 'Invalid',
    words: ['a step must set exactly one of setWeight, pause, analysis, experiment (found 2: setWeight, pause)'],
  },
  {
    rule: 'a step sets one action, not none',
    reject: basic({ setWeight: 10 }, {}),
    accept: basic({ setWeight: 10 }, { plugin: { name: 'slack-gate' } }),
    path: 'spec.strategy.canary.steps[1]',
    type: 'Invalid',
    words: ['a step must set one of setWeight, pause, setCanaryScale, analysis, experiment, setHeaderRoute, setMirrorRoute, plugin (found none)'],
  },
  {
    rule: 'analysis and experiment are exclusive too',
    reject: basic({ setWeight: 10 }, { analysis: analysis(), experiment: experiment() }),
    accept: basic({ setWeight: 10 }, { analysis: analysis() }, { experiment: experiment() }),
    path: 'spec.strategy.canary.steps[1]',
    type: 'Invalid',
    words: ['found 2: analysis, experiment'],
  },
  {
    rule: 'scale and route actions may accompany a pause (as in Argo\'s APISIX example), not a second timing action',
    reject: routedWith(
      { apisix: { route: { name: 'demo' } }, ...managed },
      { setCanaryScale: { replicas: 1 }, setHeaderRoute: { name: 'header' }, pause: { duration: 15 }, setWeight: 10 },
    ),
    accept: routedWith(
      { apisix: { route: { name: 'demo' } }, ...managed },
      { setCanaryScale: { replicas: 1 }, setHeaderRoute: { name: 'header', match: [{ headerName: 'trace', headerValue: { exact: 'debug' } }] }, pause: { duration: 15 } },
      { setHeaderRoute: { name: 'header' }, plugin: { name: 'gate' } },
    ),
    path: 'spec.strategy.canary.steps[0]',
    type: 'Invalid',
    words: ['found 2: setWeight, pause', 'setCanaryScale, setHeaderRoute, setMirrorRoute and plugin may accompany it'],
  },
  {
    rule: 'setWeight is at most 100',
    reject: basic({ setWeight: 10 }, { pause: {} }, { setWeight: 120 }),
    accept: basic({ setWeight: 10 }, { pause: {} }, { setWeight: 100 }),
    path: 'spec.strategy.canary.steps[2].setWeight',
    type: 'Invalid',
    words: ['spec.strategy.canary.steps[2].setWeight: Invalid value: 120: must be between 0 and 100'],
  },
  {
    rule: 'setWeight is at least 0',
    reject: basic({ setWeight: -1 }),
    accept: basic({ setWeight: 0 }),
    path: 'spec.strategy.canary.steps[0].setWeight',
    type: 'Invalid',
    words: ['between 0 and 100'],
  },
  {
    rule: 'setWeight is bounded by maxTrafficWeight',
    reject: routedWith({ nginx: { stableIngress: 'demo' }, maxTrafficWeight: 1000 }, { setWeight: 1001 }),
    accept: routedWith({ nginx: { stableIngress: 'demo' }, maxTrafficWeight: 1000 }, { setWeight: 500 }),
    path: 'spec.strategy.canary.steps[0].setWeight',
    type: 'Invalid',
    words: ['between 0 and 1000', 'maxTrafficWeight'],
  },
  {
    rule: 'pause duration parses',
    reject: basic({ pause: { duration: '1d' } }),
    accept: basic({ pause: { duration: '1h30m' } }),
    path: 'spec.strategy.canary.steps[0].pause.duration',
    type: 'Invalid',
    words: ['"1d"', 'unknown unit', 'expected'],
  },
  {
    rule: 'pause duration is not negative (number)',
    reject: basic({ pause: { duration: -5 } }),
    accept: basic({ pause: { duration: 0 } }),
    path: 'spec.strategy.canary.steps[0].pause.duration',
    type: 'Invalid',
    words: ['must not be negative'],
  },
  {
    rule: 'pause duration is not negative (string)',
    reject: basic({ pause: { duration: '-30s' } }),
    accept: basic({ pause: { duration: '30' } }),
    path: 'spec.strategy.canary.steps[0].pause.duration',
    type: 'Invalid',
    words: ['must not be negative'],
  },
  {
    rule: 'setCanaryScale needs traffic routing',
    reject: basic({ setCanaryScale: { replicas: 2 } }),
    accept: routedWith(istio(), { setCanaryScale: { replicas: 2 } }),
    path: 'spec.strategy.canary.steps[0].setCanaryScale',
    type: 'Forbidden',
    words: ['needs spec.strategy.canary.trafficRouting'],
  },
  {
    rule: 'setCanaryScale sets one of weight, replicas, matchTrafficWeight',
    reject: routedWith(istio(), { setCanaryScale: { weight: 20, replicas: 2 } }),
    accept: routedWith(istio(), { setCanaryScale: { weight: 20 } }, { setCanaryScale: { matchTrafficWeight: true } }),
    path: 'spec.strategy.canary.steps[0].setCanaryScale',
    type: 'Invalid',
    words: ['only one of weight, replicas or matchTrafficWeight', 'found weight, replicas'],
  },
  {
    rule: 'setCanaryScale weight is 0..100',
    reject: routedWith(istio(), { setCanaryScale: { weight: 150 } }),
    accept: routedWith(istio(), { setCanaryScale: { weight: 100 } }),
    path: 'spec.strategy.canary.steps[0].setCanaryScale.weight',
    type: 'Invalid',
    words: ['between 0 and 100'],
  },
  {
    rule: 'setCanaryScale replicas are not negative',
    reject: routedWith(istio(), { setCanaryScale: { replicas: -1 } }),
    accept: routedWith(istio(), { setCanaryScale: { replicas: 0 } }),
    path: 'spec.strategy.canary.steps[0].setCanaryScale.replicas',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'setHeaderRoute needs istio, alb, apisix or a plugin',
    reject: routedWith({ nginx: { stableIngress: 'demo' }, ...managed }, { setHeaderRoute: { name: 'header' } }),
    accept: routedWith({ apisix: { route: { name: 'demo' } }, ...managed }, { setHeaderRoute: { name: 'header' } }),
    path: 'spec.strategy.canary.steps[0].setHeaderRoute',
    type: 'Forbidden',
    words: ['istio, alb, apisix or a plugin', 'configured: nginx'],
  },
  {
    rule: 'header matches set exactly one of exact, prefix, regex',
    reject: routedWith(istio(managed), {
      setHeaderRoute: { name: 'header', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes', regex: 'y.*' } }] },
    }),
    accept: routedWith(istio(managed), {
      setHeaderRoute: { name: 'header', match: [{ headerName: 'x-canary', headerValue: { regex: 'y.*' } }] },
    }),
    path: 'spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue',
    type: 'Invalid',
    words: ['exactly one of exact, prefix or regex', 'found exact, regex'],
  },
  {
    rule: 'header matches set a value',
    reject: routedWith(istio(managed), { setHeaderRoute: { name: 'header', match: [{ headerName: 'x-canary', headerValue: {} }] } }),
    accept: routedWith(istio(managed), { setHeaderRoute: { name: 'header', match: [{ headerName: 'x-canary', headerValue: { prefix: 'y' } }] } }),
    path: 'spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue',
    type: 'Invalid',
    words: ['found none'],
  },
  {
    rule: 'alb matches header values exactly',
    reject: routedWith(alb(managed), { setHeaderRoute: { name: 'header', match: [{ headerName: 'x-canary', headerValue: { prefix: 'y' } }] } }),
    accept: routedWith(alb(managed), { setHeaderRoute: { name: 'header', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] } }),
    path: 'spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue',
    type: 'Invalid',
    words: ['alb router matches header values exactly'],
  },
  {
    rule: 'header matches name the header',
    reject: routedWith(istio(managed), { setHeaderRoute: { name: 'header', match: [{ headerName: '', headerValue: { exact: 'y' } }] } }),
    accept: routedWith(istio(managed), { setHeaderRoute: { name: 'header', match: [{ headerName: 'x-canary', headerValue: { exact: 'y' } }] } }),
    path: 'spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerName',
    type: 'Required',
    words: ['HTTP header'],
  },
  {
    rule: 'route steps need managedRoutes',
    reject: routedWith(istio(), { setHeaderRoute: { name: 'header' } }, { setMirrorRoute: { name: 'mirror' } }),
    accept: routedWith(istio(managed), { setHeaderRoute: { name: 'header' } }, { setMirrorRoute: { name: 'mirror' } }),
    path: 'spec.strategy.canary.trafficRouting.managedRoutes',
    type: 'Required',
    words: ['steps[0].setHeaderRoute and spec.strategy.canary.steps[1].setMirrorRoute set routes'],
  },
  {
    rule: 'route names are listed in managedRoutes',
    reject: routedWith(istio(managed), { setHeaderRoute: { name: 'headr' } }),
    accept: routedWith(istio(managed), { setHeaderRoute: { name: 'header' } }),
    path: 'spec.strategy.canary.steps[0].setHeaderRoute.name',
    type: 'Invalid',
    words: ['"headr"', 'not listed in spec.strategy.canary.trafficRouting.managedRoutes', '"header", "mirror"'],
  },
  {
    rule: 'setHeaderRoute names its route',
    reject: routedWith(istio(managed), { setHeaderRoute: { match: [] } }),
    accept: routedWith(istio(managed), { setHeaderRoute: { name: 'header' } }),
    path: 'spec.strategy.canary.steps[0].setHeaderRoute.name',
    type: 'Required',
    words: ['managed routes'],
  },
  {
    rule: 'setMirrorRoute needs istio or a plugin',
    reject: routedWith(alb(managed), { setMirrorRoute: { name: 'mirror' } }),
    accept: routedWith({ plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'demo' } }, ...managed }, { setMirrorRoute: { name: 'mirror' } }),
    path: 'spec.strategy.canary.steps[0].setMirrorRoute',
    type: 'Forbidden',
    words: ['istio or a plugin', 'configured: alb'],
  },
  {
    rule: 'mirror method matches set exactly one value',
    reject: routedWith(istio(managed), { setMirrorRoute: { name: 'mirror', match: [{ method: { exact: 'GET', prefix: 'G' } }] } }),
    accept: routedWith(istio(managed), { setMirrorRoute: { name: 'mirror', match: [{ method: { exact: 'GET' } }] } }),
    path: 'spec.strategy.canary.steps[0].setMirrorRoute.match[0].method',
    type: 'Invalid',
    words: ['exactly one of exact, prefix or regex'],
  },
  {
    rule: 'mirror header matches set exactly one value',
    reject: routedWith(istio(managed), { setMirrorRoute: { name: 'mirror', match: [{ headers: { 'x-user': {} } }] } }),
    accept: routedWith(istio(managed), { setMirrorRoute: { name: 'mirror', match: [{ path: { prefix: '/api' }, headers: { 'x-user': { exact: 'qa' } } }] } }),
    path: 'spec.strategy.canary.steps[0].setMirrorRoute.match[0].headers[x-user]',
    type: 'Invalid',
    words: ['found none'],
  },
  {
    rule: 'mirror percentage is 0..100',
    reject: routedWith(istio(managed), { setMirrorRoute: { name: 'mirror', percentage: 101 } }),
    accept: routedWith(istio(managed), { setMirrorRoute: { name: 'mirror', percentage: 50 } }),
    path: 'spec.strategy.canary.steps[0].setMirrorRoute.percentage',
    type: 'Invalid',
    words: ['between 0 and 100'],
  },
  {
    rule: 'experiment template weight needs traffic routing',
    reject: basic({ experiment: { templates: [{ name: 'canary', specRef: 'canary', weight: 10 }] } }),
    accept: routedWith(istio(), { experiment: { templates: [{ name: 'canary', specRef: 'canary', weight: 10 }] } }),
    path: 'spec.strategy.canary.steps[0].experiment.templates[0].weight',
    type: 'Forbidden',
    words: ['needs spec.strategy.canary.trafficRouting'],
  },
  {
    rule: 'experiment template weight needs alb, smi, istio or a plugin',
    reject: routedWith({ nginx: { stableIngress: 'demo' } }, { experiment: { templates: [{ name: 'canary', specRef: 'canary', weight: 10 }] } }),
    accept: routedWith({ smi: {} }, { experiment: { templates: [{ name: 'canary', specRef: 'canary', weight: 10 }] } }),
    path: 'spec.strategy.canary.steps[0].experiment.templates[0].weight',
    type: 'Forbidden',
    words: ['alb, smi, istio and plugin', 'configured: nginx'],
  },
  {
    rule: 'experiment step needs a template',
    reject: basic({ experiment: { templates: [] } }),
    accept: basic({ experiment: experiment() }),
    path: 'spec.strategy.canary.steps[0].experiment.templates',
    type: 'Required',
    words: ['at least one template'],
  },
  {
    rule: 'experiment template names are unique',
    reject: basic({ experiment: { templates: [{ name: 'a', specRef: 'canary' }, { name: 'a', specRef: 'stable' }] } }),
    accept: basic({ experiment: { templates: [{ name: 'a', specRef: 'canary' }, { name: 'b', specRef: 'stable' }] } }),
    path: 'spec.strategy.canary.steps[0].experiment.templates[1].name',
    type: 'Duplicate',
    words: ['"a"', 'templates[0]'],
  },
  {
    rule: 'experiment template specRef is canary or stable',
    reject: basic({ experiment: { templates: [{ name: 'a', specRef: 'preview' }] } }),
    accept: basic({ experiment: { templates: [{ name: 'a', specRef: 'stable' }] } }),
    path: 'spec.strategy.canary.steps[0].experiment.templates[0].specRef',
    type: 'NotSupported',
    words: ['"canary", "stable"'],
  },
  {
    rule: 'experiment duration parses',
    reject: basic({ experiment: experiment({ duration: '5 minutes' }) }),
    accept: basic({ experiment: experiment({ duration: '5m' }) }),
    path: 'spec.strategy.canary.steps[0].experiment.duration',
    type: 'Invalid',
    words: ['Go duration'],
  },
  {
    rule: 'experiment analysis names are unique',
    reject: basic({ experiment: experiment({ analyses: [{ name: 'a', templateName: 't' }, { name: 'a', templateName: 'u' }] }) }),
    accept: basic({ experiment: experiment({ analyses: [{ name: 'a', templateName: 't' }, { name: 'b', templateName: 'u' }] }) }),
    path: 'spec.strategy.canary.steps[0].experiment.analyses[1].name',
    type: 'Duplicate',
    words: ['analysis names must be unique'],
  },
  {
    rule: 'experiment analysis args read supported metadata',
    reject: basic({
      experiment: experiment({ analyses: [{ name: 'a', templateName: 't', args: [{ name: 'g', valueFrom: { fieldRef: { fieldPath: 'metadata.generation' } } }] }] }),
    }),
    accept: basic({
      experiment: experiment({ analyses: [{ name: 'a', templateName: 't', args: [{ name: 'g', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }] }] }),
    }),
    path: 'spec.strategy.canary.steps[0].experiment.analyses[0].args[0].valueFrom.fieldRef.fieldPath',
    type: 'Invalid',
    words: ['"metadata.generation"', 'only these metadata fields'],
  },
  {
    rule: 'analysis step names a template',
    reject: basic({ analysis: { templates: [] } }),
    accept: basic({ analysis: analysis() }),
    path: 'spec.strategy.canary.steps[0].analysis.templates',
    type: 'Required',
    words: ['at least one AnalysisTemplate'],
  },
  {
    rule: 'analysis template references have a name',
    reject: basic({ analysis: { templates: [{ clusterScope: true }] } }),
    accept: basic({ analysis: { templates: [{ templateName: 'rate', clusterScope: true }] } }),
    path: 'spec.strategy.canary.steps[0].analysis.templates[0].templateName',
    type: 'Required',
    words: ['AnalysisTemplate'],
  },
  {
    rule: 'analysis template references are not repeated',
    reject: basic({ analysis: { templates: [{ templateName: 'rate' }, { templateName: 'rate' }] } }),
    accept: basic({ analysis: { templates: [{ templateName: 'rate' }, { templateName: 'rate', clusterScope: true }] } }),
    path: 'spec.strategy.canary.steps[0].analysis.templates[1].templateName',
    type: 'Duplicate',
    words: ['AnalysisTemplate "rate" is already listed'],
  },
  {
    rule: 'analysis argument names are unique',
    reject: basic({ analysis: analysis({ args: [{ name: 'host', value: 'a' }, { name: 'host', value: 'b' }] }) }),
    accept: basic({ analysis: analysis({ args: [{ name: 'host', value: 'a' }, { name: 'port', value: 'b' }] }) }),
    path: 'spec.strategy.canary.steps[0].analysis.args[1].name',
    type: 'Duplicate',
    words: ['"host"', 'args[0]'],
  },
  {
    rule: 'analysis arguments set value or valueFrom, not both',
    reject: basic({ analysis: analysis({ args: [{ name: 'hash', value: 'x', valueFrom: { podTemplateHashValue: 'Latest' } }] }) }),
    accept: basic({ analysis: analysis({ args: [{ name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } }] }) }),
    path: 'spec.strategy.canary.steps[0].analysis.args[0].valueFrom',
    type: 'Forbidden',
    words: ['either value or valueFrom'],
  },
  {
    rule: 'analysis valueFrom names exactly one source',
    reject: basic({
      analysis: analysis({ args: [{ name: 'x', valueFrom: { podTemplateHashValue: 'Stable', fieldRef: { fieldPath: 'metadata.name' } } }] }),
    }),
    accept: basic({ analysis: analysis({ args: [{ name: 'x', valueFrom: { fieldRef: { fieldPath: 'spec.template.spec.containers[0].image' } } }] }) }),
    path: 'spec.strategy.canary.steps[0].analysis.args[0].valueFrom',
    type: 'Invalid',
    words: ['exactly one of podTemplateHashValue or fieldRef', 'found podTemplateHashValue, fieldRef'],
  },
  {
    rule: 'podTemplateHashValue is Stable or Latest',
    reject: basic({ analysis: analysis({ args: [{ name: 'x', valueFrom: { podTemplateHashValue: 'Newest' } }] }) }),
    accept: basic({ analysis: analysis({ args: [{ name: 'x', valueFrom: { podTemplateHashValue: 'Stable' } }] }) }),
    path: 'spec.strategy.canary.steps[0].analysis.args[0].valueFrom.podTemplateHashValue',
    type: 'NotSupported',
    words: ['"Stable", "Latest"'],
  },
  {
    rule: 'fieldRef metadata paths are downward-API paths',
    reject: basic({ analysis: analysis({ args: [{ name: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.labels.app' } } }] }) }),
    accept: basic({ analysis: analysis({ args: [{ name: 'x', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } }] }) }),
    path: 'spec.strategy.canary.steps[0].analysis.args[0].valueFrom.fieldRef.fieldPath',
    type: 'Invalid',
    words: ["metadata.labels['KEY']"],
  },
  {
    rule: 'dryRun metric names are regular expressions',
    reject: basic({ analysis: analysis({ dryRun: [{ metricName: '*' }] }) }),
    accept: basic({ analysis: analysis({ dryRun: [{ metricName: '.*' }] }) }),
    path: 'spec.strategy.canary.steps[0].analysis.dryRun[0].metricName',
    type: 'Invalid',
    words: ['"*"', 'Go regular expression'],
  },
  {
    rule: 'measurementRetention limits are not negative',
    reject: basic({ analysis: analysis({ measurementRetention: [{ metricName: 'rate', limit: -1 }] }) }),
    accept: basic({ analysis: analysis({ measurementRetention: [{ metricName: 'rate', limit: 20 }] }) }),
    path: 'spec.strategy.canary.steps[0].analysis.measurementRetention[0].limit',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'step plugins are named',
    reject: basic({ plugin: { name: '' } }),
    accept: basic({ plugin: { name: 'argoproj-labs/slack-gate', config: { channel: '#deploys' } } }),
    path: 'spec.strategy.canary.steps[0].plugin.name',
    type: 'Required',
    words: ['step plugin'],
  },
];

ruleTable('Rollout', 'canary step rules', cases);

describe('canary steps › several problems in several steps are all reported', () => {
  it('reports each step\'s problem at its own path', () => {
    const rollout = basic({ setWeight: 120 }, { pause: { duration: 'soon' } }, { setWeight: 10, pause: {} }, { setCanaryScale: { weight: 10 } });
    assert.deepEqual(
      validateObject('Rollout', rollout).map((e) => `${e.path} ${e.type}`),
      [
        'spec.strategy.canary.steps[0].setWeight Invalid',
        'spec.strategy.canary.steps[1].pause.duration Invalid',
        'spec.strategy.canary.steps[2] Invalid',
        'spec.strategy.canary.steps[3].setCanaryScale Forbidden',
      ],
    );
  });

  it('gives the step as the value of a one-action error', () => {
    const [error] = validateObject('Rollout', basic({ setWeight: 10, pause: {} }));
    assert.deepEqual(messages(error === undefined ? [] : [error]), [
      'spec.strategy.canary.steps[0]: Invalid value: {"setWeight":10,"pause":{}}: a step must set exactly one of setWeight, pause, analysis, experiment (found 2: setWeight, pause); setCanaryScale, setHeaderRoute, setMirrorRoute and plugin may accompany it',
    ]);
  });
});
