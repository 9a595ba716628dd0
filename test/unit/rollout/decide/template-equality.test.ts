import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aPodTemplate } from '../../../fixtures/index.ts';
import type { PodTemplateSpec } from '../../../../functions/api/index.ts';
import { normalizeQuantity, podTemplatesEqual } from '../../../../functions/rollout/decide/index.ts';

function base(): PodTemplateSpec {
  return aPodTemplate({ app: 'demo' }, 'registry.example/demo:1.0');
}

function edit(change: (t: any) => void): PodTemplateSpec {
  const t = base();
  change(t);
  return t;
}

describe('template equality › what the API server adds does not make a difference', () => {
  const ephemeral = { 'rollout.argoproj.io/ephemeral-metadata': '{"labels":{"role":"canary"}}' };
  const equal: Array<[rule: string, rollout: PodTemplateSpec, stored: PodTemplateSpec, annotations?: Record<string, string>]> = [
    ['the rollouts-pod-template-hash label', base(), edit((t) => (t.metadata.labels['rollouts-pod-template-hash'] = 'abc'))],
    ['metadata.creationTimestamp: null', base(), edit((t) => (t.metadata.creationTimestamp = null))],
    [
      'pod defaults (restartPolicy, dnsPolicy, schedulerName, grace period, securityContext, enableServiceLinks)',
      base(),
      edit((t) =>
        Object.assign(t.spec, {
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
          schedulerName: 'default-scheduler',
          terminationGracePeriodSeconds: 30,
          securityContext: {},
          enableServiceLinks: true,
        }),
      ),
    ],
    [
      'container defaults (termination message, pull policy for a tagged image, port protocol)',
      base(),
      edit((t) =>
        Object.assign(t.spec.containers[0], {
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        }),
      ),
    ],
    ['quantities in canonical form (0.01 → 10m)', edit((t) => (t.spec.containers[0].resources.requests.cpu = '0.01')), base()],
    [
      'requests defaulted from limits',
      edit((t) => (t.spec.containers[0].resources = { limits: { cpu: '1000m' } })),
      edit((t) => (t.spec.containers[0].resources = { limits: { cpu: '1' }, requests: { cpu: '1' } })),
    ],
    ['injected ephemeral metadata recorded on the ReplicaSet', base(), edit((t) => (t.metadata.labels['role'] = 'canary')), ephemeral],
  ];
  for (const [rule, rollout, stored, annotations] of equal) {
    it(rule, () => assert.equal(podTemplatesEqual(rollout, stored, annotations), true));
  }
});

describe('template equality › real differences are seen', () => {
  const different: Array<[rule: string, stored: PodTemplateSpec]> = [
    ['another image', edit((t) => (t.spec.containers[0].image = 'registry.example/demo:2.0'))],
    ['another label', edit((t) => (t.metadata.labels['tier'] = 'web'))],
    ['a non-default restartPolicy', edit((t) => (t.spec.restartPolicy = 'Never'))],
    ['another quantity', edit((t) => (t.spec.containers[0].resources.requests.cpu = '20m'))],
    ['Always pull for a tagged image', edit((t) => (t.spec.containers[0].imagePullPolicy = 'Always'))],
    ['a label not recorded as ephemeral', edit((t) => (t.metadata.labels['role'] = 'canary'))],
  ];
  for (const [rule, stored] of different) {
    it(rule, () => assert.equal(podTemplatesEqual(base(), stored), false));
  }
});

describe('template equality › quantities', () => {
  const cases: Array<[string, string]> = [
    ['500m', '1/2'],
    ['0.5', '1/2'],
    ['1Ki', '1024'],
    ['1k', '1000'],
    ['1e3', '1000'],
    ['128Mi', '134217728'],
    ['1.5Gi', '1610612736'],
  ];
  for (const [text, exact] of cases) {
    it(`${text} = ${exact}`, () => assert.equal(normalizeQuantity(text), exact));
  }
  it('is undefined for what is not a quantity', () => assert.equal(normalizeQuantity('lots'), undefined));
});
