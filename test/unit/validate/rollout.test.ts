import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateRollout } from '../../../functions/validate/index.ts';
import { aRollout } from '../../fixtures/index.ts';
import { edited, messages, ruleTable } from './rule-table.ts';

const base = aRollout().build();
const withRef = (ref: Record<string, unknown>) =>
  edited(base, (r) => {
    delete r.spec.template;
    r.spec.workloadRef = ref;
  });
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const secondContainer = (c: Record<string, unknown>) =>
  edited(base, (r) => r.spec.template.spec.containers.push({ image: 'registry.example/side:1', ...c }));

ruleTable('Rollout', 'Rollout spec rules', [
  {
    rule: 'replicas must not be negative',
    reject: edited(base, (r) => (r.spec.replicas = -1)),
    accept: edited(base, (r) => (r.spec.replicas = 0)),
    path: 'spec.replicas',
    type: 'Invalid',
    words: ['-1', 'greater than or equal to 0'],
  },
  {
    rule: 'a selector is required without workloadRef',
    reject: edited(base, (r) => delete r.spec.selector),
    accept: base,
    path: 'spec.selector',
    type: 'Required',
    words: ['label selector', 'spec.template.metadata.labels'],
  },
  {
    rule: 'the selector must not be empty',
    reject: edited(base, (r) => (r.spec.selector = { matchLabels: {} })),
    accept: edited(base, (r) => (r.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['demo'] }] })),
    path: 'spec.selector',
    type: 'Invalid',
    words: ['empty selector', 'every pod'],
  },
  {
    rule: 'selector operators are In, NotIn, Exists, DoesNotExist',
    reject: edited(base, (r) => (r.spec.selector.matchExpressions = [{ key: 'app', operator: 'Equals', values: ['demo'] }])),
    accept: edited(base, (r) => (r.spec.selector.matchExpressions = [{ key: 'app', operator: 'Exists' }])),
    path: 'spec.selector.matchExpressions[0].operator',
    type: 'NotSupported',
    words: ['"Equals"', '"In", "NotIn", "Exists", "DoesNotExist"'],
  },
  {
    rule: 'In needs values',
    reject: edited(base, (r) => (r.spec.selector.matchExpressions = [{ key: 'app', operator: 'In' }])),
    accept: edited(base, (r) => (r.spec.selector.matchExpressions = [{ key: 'app', operator: 'In', values: ['demo'] }])),
    path: 'spec.selector.matchExpressions[0].values',
    type: 'Required',
    words: ['at least one value'],
  },
  {
    rule: 'Exists takes no values',
    reject: edited(base, (r) => (r.spec.selector.matchExpressions = [{ key: 'app', operator: 'Exists', values: ['demo'] }])),
    accept: edited(base, (r) => (r.spec.selector.matchExpressions = [{ key: 'app', operator: 'Exists' }])),
    path: 'spec.selector.matchExpressions[0].values',
    type: 'Forbidden',
    words: ['must be empty', 'Exists'],
  },
  {
    rule: 'selector label keys must be valid',
    reject: edited(base, (r) => (r.spec.selector.matchLabels = { 'bad key!': 'x' })),
    accept: edited(base, (r) => {
      r.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'demo' };
      r.spec.template.metadata.labels = { 'app.kubernetes.io/name': 'demo' };
    }),
    path: 'spec.selector.matchLabels',
    type: 'Invalid',
    words: ['"bad key!"', 'invalid label key'],
  },
  {
    rule: 'the selector must match the template labels',
    reject: edited(base, (r) => (r.spec.selector = { matchLabels: { app: 'other' } })),
    accept: edited(base, (r) => (r.spec.template.metadata.labels.tier = 'web')),
    path: 'spec.template.metadata.labels',
    type: 'Invalid',
    words: ['selector does not match template labels', 'app=other'],
  },
  {
    rule: 'template labels must be valid label values',
    reject: edited(base, (r) => (r.spec.template.metadata.labels.tier = 'not valid!')),
    accept: edited(base, (r) => (r.spec.template.metadata.labels.tier = 'web-1.0')),
    path: 'spec.template.metadata.labels[tier]',
    type: 'Invalid',
    words: ['invalid label value'],
  },
  {
    rule: 'workloadRef and a pod template are exclusive',
    reject: edited(base, (r) => (r.spec.workloadRef = deployment)),
    accept: withRef(deployment),
    path: 'spec.template',
    type: 'Forbidden',
    words: ['must be empty when spec.workloadRef is set'],
  },
  {
    rule: 'workloadRef kinds are Deployment, ReplicaSet, PodTemplate',
    reject: withRef({ ...deployment, kind: 'StatefulSet' }),
    accept: withRef({ ...deployment, kind: 'ReplicaSet' }),
    path: 'spec.workloadRef.kind',
    type: 'NotSupported',
    words: ['"StatefulSet"', '"Deployment", "ReplicaSet", "PodTemplate"'],
  },
  {
    rule: 'workloadRef apiVersion must be of the kind\'s group',
    reject: withRef({ ...deployment, apiVersion: 'v1' }),
    accept: withRef(deployment),
    path: 'spec.workloadRef.apiVersion',
    type: 'Invalid',
    words: ['"v1"', 'apps/v1'],
  },
  {
    rule: 'workloadRef needs a name',
    reject: withRef({ apiVersion: 'apps/v1', kind: 'Deployment' }),
    accept: withRef(deployment),
    path: 'spec.workloadRef.name',
    type: 'Required',
    words: ['Deployment'],
  },
  {
    rule: 'workloadRef.scaleDown values',
    reject: withRef({ ...deployment, scaleDown: 'always' }),
    accept: withRef({ ...deployment, scaleDown: 'progressively' }),
    path: 'spec.workloadRef.scaleDown',
    type: 'NotSupported',
    words: ['"never", "onsuccess", "progressively"'],
  },
  {
    rule: 'a PodTemplate workloadRef needs spec.selector',
    reject: edited(withRef({ apiVersion: 'v1', kind: 'PodTemplate', name: 'web' }), (r) => delete r.spec.selector),
    accept: withRef({ apiVersion: 'v1', kind: 'PodTemplate', name: 'web' }),
    path: 'spec.selector',
    type: 'Required',
    words: ['PodTemplate has no selector'],
  },
  {
    rule: 'a pod template is required without workloadRef',
    reject: edited(base, (r) => delete r.spec.template),
    accept: base,
    path: 'spec.template',
    type: 'Required',
    words: ['workloadRef'],
  },
  {
    rule: 'at least one container',
    reject: edited(base, (r) => (r.spec.template.spec.containers = [])),
    accept: base,
    path: 'spec.template.spec.containers',
    type: 'Required',
    words: ['at least one container'],
  },
  {
    rule: 'container names are unique',
    reject: secondContainer({ name: 'app' }),
    accept: secondContainer({ name: 'sidecar' }),
    path: 'spec.template.spec.containers[1].name',
    type: 'Duplicate',
    words: ['"app"', 'spec.template.spec.containers[0]'],
  },
  {
    rule: 'container names are unique across init containers',
    reject: edited(base, (r) => (r.spec.template.spec.initContainers = [{ name: 'app', image: 'busybox' }])),
    accept: edited(base, (r) => (r.spec.template.spec.initContainers = [{ name: 'init', image: 'busybox' }])),
    path: 'spec.template.spec.containers[0].name',
    type: 'Duplicate',
    words: ['initContainers[0]'],
  },
  {
    rule: 'container names are DNS-1123 labels',
    reject: secondContainer({ name: 'Side_Car' }),
    accept: secondContainer({ name: 'side-car' }),
    path: 'spec.template.spec.containers[1].name',
    type: 'Invalid',
    words: ['DNS-1123 label'],
  },
  {
    rule: 'every container has an image',
    reject: edited(base, (r) => delete r.spec.template.spec.containers[0].image),
    accept: base,
    path: 'spec.template.spec.containers[0].image',
    type: 'Required',
    words: ['needs an image'],
  },
  {
    rule: 'ReplicaSet pods restart Always',
    reject: edited(base, (r) => (r.spec.template.spec.restartPolicy = 'Never')),
    accept: edited(base, (r) => (r.spec.template.spec.restartPolicy = 'Always')),
    path: 'spec.template.spec.restartPolicy',
    type: 'NotSupported',
    words: ['"Never"', '"Always"'],
  },
  {
    rule: 'container ports are 1..65535',
    reject: edited(base, (r) => (r.spec.template.spec.containers[0].ports[0].containerPort = 70000)),
    accept: edited(base, (r) => (r.spec.template.spec.containers[0].ports[0].containerPort = 65535)),
    path: 'spec.template.spec.containers[0].ports[0].containerPort',
    type: 'Invalid',
    words: ['70000', 'between 1 and 65535'],
  },
  {
    rule: 'port names are unique in the pod',
    reject: secondContainer({ name: 'side', ports: [{ name: 'http', containerPort: 9090 }] }),
    accept: secondContainer({ name: 'side', ports: [{ name: 'metrics', containerPort: 9090 }] }),
    path: 'spec.template.spec.containers[1].ports[0].name',
    type: 'Duplicate',
    words: ['"http"'],
  },
  {
    rule: 'port names are IANA service names',
    reject: edited(base, (r) => (r.spec.template.spec.containers[0].ports[0].name = 'http-port-number-one')),
    accept: edited(base, (r) => (r.spec.template.spec.containers[0].ports[0].name = 'web')),
    path: 'spec.template.spec.containers[0].ports[0].name',
    type: 'Invalid',
    words: ['at most 15 characters'],
  },
  {
    rule: 'minReadySeconds must not be negative',
    reject: edited(base, (r) => (r.spec.minReadySeconds = -5)),
    accept: edited(base, (r) => (r.spec.minReadySeconds = 5)),
    path: 'spec.minReadySeconds',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'revisionHistoryLimit must not be negative',
    reject: edited(base, (r) => (r.spec.revisionHistoryLimit = -1)),
    accept: edited(base, (r) => (r.spec.revisionHistoryLimit = 0)),
    path: 'spec.revisionHistoryLimit',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'progressDeadlineSeconds must not be negative',
    reject: edited(base, (r) => (r.spec.progressDeadlineSeconds = -1)),
    accept: edited(base, (r) => (r.spec.progressDeadlineSeconds = 1)),
    path: 'spec.progressDeadlineSeconds',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'progressDeadlineSeconds must exceed minReadySeconds',
    reject: edited(base, (r) => Object.assign(r.spec, { minReadySeconds: 30, progressDeadlineSeconds: 30 })),
    accept: edited(base, (r) => Object.assign(r.spec, { minReadySeconds: 30, progressDeadlineSeconds: 31 })),
    path: 'spec.progressDeadlineSeconds',
    type: 'Invalid',
    words: ['30', 'greater than spec.minReadySeconds (30)'],
  },
  {
    rule: 'minReadySeconds must stay below the default progress deadline',
    reject: edited(base, (r) => (r.spec.minReadySeconds = 600)),
    accept: edited(base, (r) => (r.spec.minReadySeconds = 599)),
    path: 'spec.minReadySeconds',
    type: 'Invalid',
    words: ['600', 'unset, so 600'],
  },
  {
    rule: 'rollbackWindow.revisions must not be negative',
    reject: edited(base, (r) => (r.spec.rollbackWindow = { revisions: -1 })),
    accept: edited(base, (r) => (r.spec.rollbackWindow = { revisions: 3 })),
    path: 'spec.rollbackWindow.revisions',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'analysis run history limits must not be negative',
    reject: edited(base, (r) => (r.spec.analysis = { successfulRunHistoryLimit: -1 })),
    accept: edited(base, (r) => (r.spec.analysis = { successfulRunHistoryLimit: 0, unsuccessfulRunHistoryLimit: 2 })),
    path: 'spec.analysis.successfulRunHistoryLimit',
    type: 'Invalid',
    words: ['greater than or equal to 0'],
  },
  {
    rule: 'a strategy is required',
    reject: edited(base, (r) => (r.spec.strategy = {})),
    accept: base,
    path: 'spec.strategy',
    type: 'Required',
    words: ['exactly one of spec.strategy.canary or spec.strategy.blueGreen'],
  },
  {
    rule: 'only one strategy',
    reject: edited(base, (r) => (r.spec.strategy.blueGreen = { activeService: 'active' })),
    accept: aRollout().withBlueGreen('active').build(),
    path: 'spec.strategy',
    type: 'Forbidden',
    words: ['both set', 'exactly one strategy'],
  },
]);

const blueGreen = (extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  aRollout().withBlueGreen('active', { previewService: 'preview', ...extra }).withSpec(spec).build();

ruleTable('Rollout', 'blue-green rules', [
  {
    rule: 'activeService is required',
    reject: edited(blueGreen(), (r) => (r.spec.strategy.blueGreen.activeService = '')),
    accept: blueGreen(),
    path: 'spec.strategy.blueGreen.activeService',
    type: 'Required',
    words: ['production traffic'],
  },
  {
    rule: 'active and preview services differ',
    reject: blueGreen({ previewService: 'active' }),
    accept: blueGreen(),
    path: 'spec.strategy.blueGreen.previewService',
    type: 'Invalid',
    words: ['"active"', 'must differ from activeService'],
  },
  {
    rule: 'service names are valid Service names',
    reject: blueGreen({ previewService: 'Preview_Svc' }),
    accept: blueGreen({ previewService: 'preview-svc' }),
    path: 'spec.strategy.blueGreen.previewService',
    type: 'Invalid',
    words: ['valid Service name'],
  },
  {
    rule: 'scaleDownDelayRevisionLimit within the default revisionHistoryLimit',
    reject: blueGreen({ scaleDownDelayRevisionLimit: 11 }),
    accept: blueGreen({ scaleDownDelayRevisionLimit: 10 }),
    path: 'spec.strategy.blueGreen.scaleDownDelayRevisionLimit',
    type: 'Invalid',
    words: ['11', 'spec.revisionHistoryLimit (10)'],
  },
  {
    rule: 'scaleDownDelayRevisionLimit within an explicit revisionHistoryLimit',
    reject: blueGreen({ scaleDownDelayRevisionLimit: 3 }, { revisionHistoryLimit: 2 }),
    accept: blueGreen({ scaleDownDelayRevisionLimit: 2 }, { revisionHistoryLimit: 2 }),
    path: 'spec.strategy.blueGreen.scaleDownDelayRevisionLimit',
    type: 'Invalid',
    words: ['spec.revisionHistoryLimit (2)'],
  },
  ...['previewReplicaCount', 'autoPromotionSeconds', 'scaleDownDelaySeconds', 'abortScaleDownDelaySeconds'].map((field) => ({
    rule: `${field} must not be negative`,
    reject: blueGreen({ [field]: -1 }),
    accept: blueGreen({ [field]: 0 }),
    path: `spec.strategy.blueGreen.${field}`,
    type: 'Invalid' as const,
    words: ['greater than or equal to 0'],
  })),
  {
    rule: 'maxUnavailable is an int or a percentage',
    reject: blueGreen({ maxUnavailable: 'half' }),
    accept: blueGreen({ maxUnavailable: '50%' }),
    path: 'spec.strategy.blueGreen.maxUnavailable',
    type: 'Invalid',
    words: ['"half"', 'percentage'],
  },
  {
    rule: 'antiAffinity sets exactly one strategy',
    reject: blueGreen({ antiAffinity: {} }),
    accept: blueGreen({ antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } }),
    path: 'spec.strategy.blueGreen.antiAffinity',
    type: 'Invalid',
    words: ['exactly one of', 'found none'],
  },
  {
    rule: 'antiAffinity does not set both',
    reject: blueGreen({
      antiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {},
        preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 },
      },
    }),
    accept: blueGreen({ antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } } }),
    path: 'spec.strategy.blueGreen.antiAffinity',
    type: 'Invalid',
    words: ['found both'],
  },
  {
    rule: 'antiAffinity weight is 1..100',
    reject: blueGreen({ antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 0 } } }),
    accept: blueGreen({ antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 100 } } }),
    path: 'spec.strategy.blueGreen.antiAffinity.preferredDuringSchedulingIgnoredDuringExecution.weight',
    type: 'Invalid',
    words: ['between 1 and 100'],
  },
  {
    rule: 'ephemeral active metadata has valid annotation keys',
    reject: blueGreen({ activeMetadata: { annotations: { 'my app/role': 'active' } } }),
    accept: blueGreen({ activeMetadata: { annotations: { 'example.com/role': 'active' } }, previewMetadata: { labels: { role: 'preview' } } }),
    path: 'spec.strategy.blueGreen.activeMetadata.annotations',
    type: 'Invalid',
    words: ['invalid annotation key', 'DNS subdomain'],
  },
  {
    rule: 'pre-promotion analysis names a template',
    reject: blueGreen({ prePromotionAnalysis: { templates: [] } }),
    accept: blueGreen({ prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] } }),
    path: 'spec.strategy.blueGreen.prePromotionAnalysis.templates',
    type: 'Required',
    words: ['at least one AnalysisTemplate'],
  },
  {
    rule: 'post-promotion analysis args are named',
    reject: blueGreen({ postPromotionAnalysis: { templates: [{ templateName: 'smoke' }], args: [{ name: '', value: 'x' }] } }),
    accept: blueGreen({ postPromotionAnalysis: { templates: [{ templateName: 'smoke' }], args: [{ name: 'host', value: 'x' }] } }),
    path: 'spec.strategy.blueGreen.postPromotionAnalysis.args[0].name',
    type: 'Required',
    words: ['{{args.NAME}}'],
  },
]);

const immutableOld = aRollout().build();
ruleTable('Rollout', 'update rules', [
  {
    rule: 'the selector is immutable',
    old: immutableOld,
    reject: edited(immutableOld, (r) => {
      r.spec.selector.matchLabels.tier = 'web';
      r.spec.template.metadata.labels.tier = 'web';
    }),
    accept: edited(immutableOld, (r) => (r.spec.template.spec.containers[0].image = 'registry.example/demo:2.0')),
    path: 'spec.selector',
    type: 'Invalid',
    words: ['field is immutable', 'was "app=demo"'],
  },
]);

describe('validateRollout › direct use', () => {
  it('reports nothing for a valid canary or blue-green Rollout', () => {
    assert.deepEqual(validateRollout(aRollout().build()), []);
    assert.deepEqual(validateRollout(blueGreen()), []);
  });

  it('checks the selector only against the old object when one is given', () => {
    const changed = edited(immutableOld, (r) => (r.spec.selector = { matchLabels: { app: 'demo', v: '2' } }));
    changed.spec.template.metadata.labels.v = '2';
    assert.deepEqual(messages(validateRollout(changed)), []);
    assert.equal(validateRollout(changed, immutableOld).length, 1);
  });

  it('treats missing and empty selector parts as the same selector on update', () => {
    const old = edited(immutableOld, (r) => (r.spec.selector = { matchLabels: { app: 'demo' }, matchExpressions: [] }));
    assert.deepEqual(validateRollout(immutableOld, old), []);
  });

  it('a selector set for the first time (workloadRef) is not a change', () => {
    const old = withRef(deployment);
    delete old.spec.selector;
    assert.deepEqual(messages(validateRollout(withRef(deployment), old)), []);
  });
});
