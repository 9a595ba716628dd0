import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admitManaged, managedGuardLookup, type OwnerLookup } from '../../../functions/admission/index.ts';
import { aRollout } from '../../fixtures/index.ts';
import { aReview, patched, patchOf, responseOf } from './reviews.ts';

type Json = Record<string, any>;
const SERVICE = { group: '', version: 'v1', kind: 'Service' };
const INGRESS = { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' };
const MANAGED = 'argo-rollouts.argoproj.io/managed-by-rollouts';
const HASH = 'rollouts-pod-template-hash';

function service(selector: Record<string, string>, annotations: Record<string, string> = {}, extra: Json = {}): Json {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-stable', namespace: 'shop', annotations }, spec: { selector, ports: [{ port: 80 }], ...extra } };
}

const managedOld = service({ app: 'demo', [HASH]: 'abc123' }, { [MANAGED]: 'demo', 'user/note': 'x' });
const userManifest = service({ app: 'demo' }, { 'user/note': 'y' }, { sessionAffinity: 'ClientIP' });
const owner: OwnerLookup = { state: 'found', rollout: aRollout().withCanarySteps([{ setWeight: 10 }], { stableService: 'web-stable', canaryService: 'web-canary' }).build() };
const update = (object: Json, oldObject: Json, kind = SERVICE) => aReview({ kind, operation: 'UPDATE', object, oldObject, name: object['metadata'].name, namespace: 'shop' });

describe('managed Service guard', () => {
  it('looks up the Rollout named by the old object\'s annotation', () => {
    assert.deepEqual(managedGuardLookup(update(userManifest, managedOld)), { namespace: 'shop', name: 'demo' });
    assert.equal(managedGuardLookup(update(userManifest, service({ app: 'demo' }))), undefined);
    assert.equal(managedGuardLookup(aReview({ kind: SERVICE, operation: 'CREATE', object: managedOld })), undefined);
    assert.equal(managedGuardLookup('garbage'), undefined);
  });

  it('puts back the hash selector and the annotation the update dropped, and keeps the user\'s other changes', () => {
    const answer = admitManaged(update(userManifest, managedOld), owner);
    const response = responseOf(answer);
    assert.equal(response.allowed, true);
    assert.equal(response.patchType, 'JSONPatch');
    assert.deepEqual(
      patchOf(answer)
        .map((op) => [op.op, op.path])
        .sort(),
      [
        ['add', `/metadata/annotations/${MANAGED.replace('/', '~1')}`],
        ['add', `/spec/selector/${HASH}`],
      ],
    );
    const stored = patched(userManifest, answer);
    assert.deepEqual(stored['spec'].selector, { app: 'demo', [HASH]: 'abc123' });
    assert.deepEqual(stored['metadata'].annotations, { 'user/note': 'y', [MANAGED]: 'demo' });
    assert.equal(stored['spec'].sessionAffinity, 'ClientIP');
    assert.match(response.warnings?.[0] ?? '', /kept the controller-owned annotation argo-rollouts\.argoproj\.io\/managed-by-rollouts=demo and selector rollouts-pod-template-hash=abc123 on Service "web-stable": Rollout "demo" manages it/);
  });

  it('creates the annotations map when the update removed it entirely', () => {
    const bare = service({ app: 'demo' });
    delete bare['metadata'].annotations;
    const stored = patched(bare, admitManaged(update(bare, managedOld), owner));
    assert.deepEqual(stored['metadata'].annotations, { [MANAGED]: 'demo' });
  });

  it('no patch when nothing controller-owned was dropped', () => {
    const kept = service({ app: 'demo', [HASH]: 'abc123', tier: 'web' }, { [MANAGED]: 'demo' });
    assert.equal(responseOf(admitManaged(update(kept, managedOld), owner)).patch, undefined);
  });

  it('lets a changed hash through (the controller switches it)', () => {
    const switched = service({ app: 'demo', [HASH]: 'def456' }, { [MANAGED]: 'demo' });
    assert.equal(responseOf(admitManaged(update(switched, managedOld), owner)).patch, undefined);
  });

  it('no patch when the Rollout no longer exists (the controller restores the Service)', () => {
    assert.equal(responseOf(admitManaged(update(userManifest, managedOld), { state: 'not-found' })).patch, undefined);
  });

  it('no patch when the Rollout no longer names the Service (its own cleanup must go through)', () => {
    const other: OwnerLookup = { state: 'found', rollout: aRollout().withBlueGreen('other-active').build() };
    assert.equal(responseOf(admitManaged(update(userManifest, managedOld), other)).patch, undefined);
  });

  it('guards when the lookup failed (the safe side for traffic)', () => {
    assert.notEqual(responseOf(admitManaged(update(userManifest, managedOld), { state: 'unknown', reason: 'timeout' })).patch, undefined);
  });

  it('no patch for objects that were not managed, for CREATE and DELETE, and for status writes', () => {
    const unmanaged = service({ app: 'demo', [HASH]: 'abc' });
    assert.equal(responseOf(admitManaged(update(userManifest, unmanaged), owner)).patch, undefined);
    assert.equal(responseOf(admitManaged(aReview({ kind: SERVICE, operation: 'CREATE', object: userManifest }), owner)).patch, undefined);
    assert.equal(responseOf(admitManaged(aReview({ kind: SERVICE, operation: 'DELETE', oldObject: managedOld }), owner)).patch, undefined);
    assert.equal(responseOf(admitManaged(aReview({ kind: SERVICE, operation: 'UPDATE', subResource: 'status', object: userManifest, oldObject: managedOld }), owner)).patch, undefined);
  });
});

describe('managed Ingress guard', () => {
  const albOwner: OwnerLookup = {
    state: 'found',
    rollout: aRollout().withCanarySteps([{ setWeight: 10 }], { stableService: 's', canaryService: 'c', trafficRouting: { alb: { ingress: 'web', servicePort: 80 } } }).build(),
  };
  const action = 'alb.ingress.kubernetes.io/actions.s';
  const managedAlb = 'rollouts.argoproj.io/managed-alb-annotations';
  const old = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', annotations: { [MANAGED]: 'demo', [managedAlb]: JSON.stringify({ demo: [action] }), [action]: '{"forward":{}}' } }, spec: {} };
  const manifest = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', annotations: { 'kubernetes.io/ingress.class': 'alb' } }, spec: { rules: [] } };

  it('puts back the managed-by annotation, the ALB ownership record and the actions it lists', () => {
    const answer = admitManaged(update(manifest, old, INGRESS), albOwner);
    const stored = patched(manifest, answer) as Json;
    assert.deepEqual(stored['metadata'].annotations, { ...manifest.metadata.annotations, ...old.metadata.annotations });
    assert.deepEqual(stored['spec'], { rules: [] });
  });

  it('no patch when the Rollout does not route through the Ingress', () => {
    assert.equal(responseOf(admitManaged(update(manifest, old, INGRESS), owner)).patch, undefined);
  });
});
