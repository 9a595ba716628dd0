// Managed Service and Ingress restore: a table of situations and what the decision does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MANAGED_BY_ROLLOUTS_ANNOTATION as MANAGED, POD_TEMPLATE_HASH_LABEL as HASH } from '../../../functions/api/index.ts';
import {
  decideRestores,
  isCanaryIngressCandidate,
  isRestoreCandidate,
  type IngressState,
  type RestoreAction,
  type RolloutRefs,
  type ServiceState,
} from '../../../functions/services/restore.ts';
import { canaryIngressName, canaryIngressNames, referencedServiceNames } from '../../../functions/services/references.ts';

const NS = 'shop';

function canaryRollout(name: string, services: { stable?: string; canary?: string }, extra: { uid?: string; namespace?: string; nginx?: string[] } = {}): RolloutRefs {
  return {
    metadata: { name, namespace: extra.namespace ?? NS, ...(extra.uid ? { uid: extra.uid } : {}) },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      strategy: {
        canary: {
          ...(services.stable ? { stableService: services.stable } : {}),
          ...(services.canary ? { canaryService: services.canary } : {}),
          ...(extra.nginx ? { trafficRouting: { nginx: { stableIngresses: extra.nginx } } } : {}),
        },
      },
    },
  } as RolloutRefs;
}

function blueGreenRollout(name: string, active: string, preview?: string): RolloutRefs {
  return {
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
      strategy: { blueGreen: { activeService: active, ...(preview ? { previewService: preview } : {}) } },
    },
  } as RolloutRefs;
}

function service(name: string, opts: { managedBy?: string; hash?: string; owner?: boolean; namespace?: string } = {}): ServiceState {
  return {
    namespace: opts.namespace ?? NS,
    name,
    resourceVersion: '7',
    selector: { app: 'web', ...(opts.hash ? { [HASH]: opts.hash } : {}) },
    annotations: { keep: 'me', ...(opts.managedBy !== undefined ? { [MANAGED]: opts.managedBy } : {}) },
    ...(opts.owner ? { ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', name: 'exp', uid: 'e1', controller: true }] } : {}),
  };
}

function canaryIngress(name: string, owner: { name: string; uid: string } | undefined, opts: { marked?: boolean } = {}): IngressState {
  return {
    namespace: NS,
    name,
    uid: `uid-${name}`,
    annotations: opts.marked === false ? {} : { 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': '20' },
    ...(owner ? { ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: owner.name, uid: owner.uid, controller: true }] } : {}),
  };
}

interface Row {
  name: string;
  services?: ServiceState[];
  ingresses?: IngressState[];
  rollouts: RolloutRefs[];
  /** [kind, name, reason] of each expected action. */
  want: Array<[RestoreAction['kind'], string, string]>;
}

const rows: Row[] = [
  { name: 'managed, Rollout exists and names it → keep', services: [service('web-stable', { managedBy: 'web', hash: 'abc' })], rollouts: [canaryRollout('web', { stable: 'web-stable' })], want: [] },
  { name: 'managed by a blue-green Rollout as preview → keep', services: [service('web-preview', { managedBy: 'web', hash: 'abc' })], rollouts: [blueGreenRollout('web', 'web-active', 'web-preview')], want: [] },
  {
    name: 'managed, Rollout deleted → restore',
    services: [service('web-stable', { managedBy: 'web', hash: 'abc' })],
    rollouts: [],
    want: [['restoreService', 'web-stable', 'rollout-deleted']],
  },
  {
    name: 'managed, Rollout deleted while another Rollout of another name exists → restore',
    services: [service('web-stable', { managedBy: 'web', hash: 'abc' })],
    rollouts: [canaryRollout('api', { stable: 'api-stable' })],
    want: [['restoreService', 'web-stable', 'rollout-deleted']],
  },
  {
    name: 'managed, Rollout of that name only in another namespace → restore',
    services: [service('web-stable', { managedBy: 'web', hash: 'abc' })],
    rollouts: [canaryRollout('web', { stable: 'web-stable' }, { namespace: 'other' })],
    want: [['restoreService', 'web-stable', 'rollout-deleted']],
  },
  {
    name: 'managed, Rollout exists but stopped naming it → restore',
    services: [service('web-canary', { managedBy: 'web', hash: 'def' })],
    rollouts: [canaryRollout('web', { stable: 'web-stable' })],
    want: [['restoreService', 'web-canary', 'no-longer-referenced']],
  },
  {
    name: 'managed by one Rollout, named only by another → restore (the other adopts it afresh)',
    services: [service('shared', { managedBy: 'old', hash: 'abc' })],
    rollouts: [canaryRollout('new', { stable: 'shared' })],
    want: [['restoreService', 'shared', 'rollout-deleted']],
  },
  {
    name: 'annotation lost, hash selector remained, no Rollout names it → restore',
    services: [service('web-stable', { hash: 'abc' })],
    rollouts: [canaryRollout('api', { stable: 'api-stable' })],
    want: [['restoreService', 'web-stable', 'unmanaged-hash-selector']],
  },
  {
    name: 'annotation lost, hash selector remained, Rollout still names it → keep',
    services: [service('web-stable', { hash: 'abc' })],
    rollouts: [canaryRollout('web', { stable: 'web-stable' })],
    want: [],
  },
  {
    name: 'annotation kept, hash selector removed by hand, Rollout deleted → restore (annotation only)',
    services: [service('web-stable', { managedBy: 'web' })],
    rollouts: [],
    want: [['restoreService', 'web-stable', 'rollout-deleted']],
  },
  { name: 'plain Service (no annotation, no hash selector) → untouched', services: [service('plain')], rollouts: [], want: [] },
  { name: 'Service owned by an Experiment → untouched', services: [service('exp-svc', { hash: 'abc', owner: true })], rollouts: [], want: [] },
  {
    name: 'several Services: only the orphaned ones are restored, in input order',
    services: [
      service('a', { managedBy: 'web', hash: 'h1' }),
      service('b', { managedBy: 'gone', hash: 'h2' }),
      service('c', { hash: 'h3' }),
      service('d', { managedBy: 'web', hash: 'h4' }),
    ],
    rollouts: [canaryRollout('web', { stable: 'a', canary: 'd' })],
    want: [
      ['restoreService', 'b', 'rollout-deleted'],
      ['restoreService', 'c', 'unmanaged-hash-selector'],
    ],
  },
  {
    name: 'canary Ingress, owning Rollout exists and routes through it → keep',
    ingresses: [canaryIngress(canaryIngressName('web', 'web-ing'), { name: 'web', uid: 'u1' })],
    rollouts: [canaryRollout('web', {}, { uid: 'u1', nginx: ['web-ing'] })],
    want: [],
  },
  {
    name: 'canary Ingress with the <stable>-canary spelling → keep',
    ingresses: [canaryIngress('web-ing-canary', { name: 'web', uid: 'u1' })],
    rollouts: [canaryRollout('web', {}, { uid: 'u1', nginx: ['web-ing'] })],
    want: [],
  },
  {
    name: 'canary Ingress, owning Rollout deleted → delete',
    ingresses: [canaryIngress('web-web-ing-canary', { name: 'web', uid: 'u1' })],
    rollouts: [],
    want: [['deleteCanaryIngress', 'web-web-ing-canary', 'rollout-deleted']],
  },
  {
    name: 'canary Ingress, Rollout recreated under the same name (other uid) → delete',
    ingresses: [canaryIngress('web-web-ing-canary', { name: 'web', uid: 'u1' })],
    rollouts: [canaryRollout('web', {}, { uid: 'u2', nginx: ['web-ing'] })],
    want: [['deleteCanaryIngress', 'web-web-ing-canary', 'rollout-deleted']],
  },
  {
    name: 'canary Ingress, Rollout stopped using NGINX → delete',
    ingresses: [canaryIngress('web-web-ing-canary', { name: 'web', uid: 'u1' })],
    rollouts: [canaryRollout('web', { stable: 's' }, { uid: 'u1' })],
    want: [['deleteCanaryIngress', 'web-web-ing-canary', 'no-longer-referenced']],
  },
  {
    name: 'canary Ingress, Rollout moved to another stable Ingress → delete the old twin',
    ingresses: [canaryIngress('web-old-canary', { name: 'web', uid: 'u1' })],
    rollouts: [canaryRollout('web', {}, { uid: 'u1', nginx: ['new'] })],
    want: [['deleteCanaryIngress', 'web-old-canary', 'no-longer-referenced']],
  },
  { name: 'Ingress without a Rollout owner → untouched', ingresses: [canaryIngress('user-canary', undefined)], rollouts: [], want: [] },
  { name: 'Rollout-owned Ingress not marked canary → untouched', ingresses: [canaryIngress('other', { name: 'web', uid: 'u1' }, { marked: false })], rollouts: [], want: [] },
];

for (const row of rows) {
  test(`service restore › ${row.name}`, () => {
    const actions = decideRestores({ services: row.services ?? [], ingresses: row.ingresses ?? [], rollouts: row.rollouts });
    assert.deepEqual(
      actions.map((a) => [a.kind, a.name, a.reason]),
      row.want,
    );
  });
}

test('service restore › a restore carries what was removed, the version decided on and a message naming the object', () => {
  const [action] = decideRestores({ services: [{ ...service('web-stable', { managedBy: 'web', hash: 'abc' }), uid: 's1' }], ingresses: [], rollouts: [] });
  assert.deepEqual(action, {
    kind: 'restoreService',
    namespace: NS,
    name: 'web-stable',
    uid: 's1',
    resourceVersion: '7',
    managedBy: 'web',
    hash: 'abc',
    reason: 'rollout-deleted',
    message: `Service ${NS}/web-stable was managed by Rollout "web", which no longer exists: selector ${HASH}=abc and annotation removed`,
  });
});

test('service restore › the decision is pure: same input, same output, input untouched', () => {
  const input = { services: [service('b', { managedBy: 'gone', hash: 'h2' })], ingresses: [canaryIngress('x-canary', { name: 'x', uid: 'u' })], rollouts: [] };
  const copy = structuredClone(input);
  assert.deepEqual(decideRestores(input), decideRestores(input));
  assert.deepEqual(input, copy);
});

test('service restore › candidates: annotation or hash selector; Rollout-owned canary-marked Ingresses', () => {
  assert.equal(isRestoreCandidate(service('a')), false);
  assert.equal(isRestoreCandidate(service('a', { hash: 'x' })), true);
  assert.equal(isRestoreCandidate(service('a', { managedBy: '' })), true);
  assert.equal(isCanaryIngressCandidate(canaryIngress('i', { name: 'r', uid: 'u' })), true);
  assert.equal(isCanaryIngressCandidate(canaryIngress('i', undefined)), false);
  assert.equal(isCanaryIngressCandidate(canaryIngress('i', { name: 'r', uid: 'u' }, { marked: false })), false);
});

test('service references › every Service a strategy names, once', () => {
  const canary = {
    spec: {
      strategy: { canary: { stableService: 's', canaryService: 'c', pingPong: { pingService: 'ping', pongService: 'pong' } } },
    },
  } as RolloutRefs;
  assert.deepEqual(referencedServiceNames(canary), ['s', 'c', 'ping', 'pong']);
  assert.deepEqual(referencedServiceNames(blueGreenRollout('r', 'active', 'active')), ['active']);
});

test('service references › canary Ingress names: <rollout>-<stable>-canary cut to 253 characters, and <stable>-canary', () => {
  assert.equal(canaryIngressName('web', 'ing'), 'web-ing-canary');
  const long = canaryIngressName('r'.repeat(200), 'i'.repeat(100));
  assert.equal(long.length, 253);
  assert.ok(long.endsWith('-canary'));
  assert.deepEqual(canaryIngressNames(canaryRollout('web', {}, { nginx: ['a', 'b'] })), ['web-a-canary', 'a-canary', 'web-b-canary', 'b-canary']);
});
