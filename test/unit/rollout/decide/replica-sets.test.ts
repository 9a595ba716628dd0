// Which ReplicaSets belong to the Rollout, which one is current, and what a created one looks
// like (reference §6 step 3, §7.1, §7.2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout } from '../../../fixtures/index.ts';
import type { PodTemplateSpec, Rollout } from '../../../../functions/api/index.ts';
import { canaryStepHash, decideRollout, podTemplateHash } from '../../../../functions/rollout/decide/index.ts';
import type { Action, ReplicaSetView } from '../../../../functions/rollout/decide/index.ts';
import { argoCdHealth } from './argo-cd-health.ts';
import { T0 } from './world.ts';

const ARGO_HASH = '6b8f7c9d5';

function rollout(): Rollout {
  const ro = aRollout().withReplicas(3).withImage('demo:1').withGeneration(4).build();
  ro.metadata = { ...ro.metadata, uid: 'ro-uid', annotations: { team: 'payments', 'rollout.argoproj.io/revision': '1' } };
  const container = ro.spec.template?.spec?.containers[0];
  if (container?.resources?.requests) container.resources.requests['cpu'] = '0.01'; // the API server would store 10m
  return ro;
}

/** The template as the API server stores it in a ReplicaSet Argo created: defaults filled, quantities canonical. */
function storedTemplate(hash: string, image = 'demo:1'): PodTemplateSpec {
  return {
    metadata: { labels: { app: 'demo', 'rollouts-pod-template-hash': hash } },
    spec: {
      containers: [
        {
          name: 'app',
          image,
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        } as never,
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    } as never,
  };
}

function argoReplicaSet(hash: string, options: { image?: string; owned?: boolean; replicas?: number; revision?: number } = {}): ReplicaSetView {
  const replicas = options.replicas ?? 3;
  return {
    name: `demo-${hash}`,
    uid: `uid-${hash}`,
    labels: { app: 'demo', 'rollouts-pod-template-hash': hash },
    annotations: { 'rollout.argoproj.io/revision': String(options.revision ?? 1), 'rollout.argoproj.io/desired-replicas': '3' },
    template: storedTemplate(hash, options.image),
    replicas,
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
    creationTimestamp: '2025-12-01T00:00:00Z',
    ...(options.owned === false
      ? {}
      : { ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'demo', uid: 'ro-uid', controller: true }] }),
  };
}

function decide(ro: Rollout, replicaSets: ReplicaSetView[]) {
  return decideRollout({ rollout: ro, replicaSets, services: [], analysisRuns: [], experiments: [], now: T0 });
}

function kinds(actions: Action[]): string[] {
  return actions.map((a) => a.kind);
}

/** Status as Argo wrote it for a healthy canary. */
function argoHealthyStatus(ro: Rollout): Rollout['status'] {
  return {
    stableRS: ARGO_HASH,
    currentPodHash: ARGO_HASH,
    currentStepIndex: 2,
    currentStepHash: canaryStepHash(ro.spec.strategy?.canary?.steps),
    observedGeneration: '4',
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    phase: 'Healthy',
  };
}

describe('replica sets › taking over what Argo Rollouts created', () => {
  it('a ReplicaSet with an equal template (API defaults, canonical quantities) is current and keeps its hash', () => {
    const ro = rollout();
    ro.status = argoHealthyStatus(ro);
    const decision = decide(ro, [argoReplicaSet(ARGO_HASH)]);
    assert.deepEqual(kinds(decision.actions), [], 'nothing to create, scale or adopt');
    assert.equal(decision.status.currentPodHash, ARGO_HASH);
    assert.equal(decision.status.phase, 'Healthy');
    assert.deepEqual(argoCdHealth({ ...ro, status: decision.status }), { status: 'Healthy', message: '' });
  });

  it('an orphan with the hash label that matches the selector is adopted first', () => {
    const ro = rollout();
    ro.status = argoHealthyStatus(ro);
    const decision = decide(ro, [argoReplicaSet(ARGO_HASH, { owned: false })]);
    assert.deepEqual(kinds(decision.actions), ['adoptReplicaSet']);
    const adopt = decision.actions[0];
    assert.equal(adopt?.kind === 'adoptReplicaSet' && adopt.ownerReference.uid, 'ro-uid');
    assert.equal(adopt?.kind === 'adoptReplicaSet' && adopt.ownerReference.controller, true);
    assert.equal(decision.status.currentPodHash, ARGO_HASH, 'and it is the current ReplicaSet: nothing is created');
  });

  it('a Rollout taken over mid-update stays at its step when the step hash matches', () => {
    const ro = rollout();
    ro.status = { ...argoHealthyStatus(ro), currentPodHash: '7c8d9f5b4', currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2025-12-31T00:00:00Z' }], controllerPause: true };
    ro.metadata!.annotations!['rollout.argoproj.io/revision'] = '2';
    // setWeight 20 of 3 pods: one canary pod next to a full stable (the surge pod gives the closest ratio).
    const stable = argoReplicaSet(ARGO_HASH, { image: 'demo:0', replicas: 3 });
    const canary = argoReplicaSet('7c8d9f5b4', { replicas: 1, revision: 2 });
    const decision = decide(ro, [stable, canary]);
    assert.deepEqual(kinds(decision.actions), []);
    assert.equal(decision.status.currentStepIndex, 1);
    assert.equal(decision.status.phase, 'Paused');
  });

  it('ReplicaSets of another controller, without the hash label, or being deleted are left alone', () => {
    const ro = rollout();
    const foreign = { ...argoReplicaSet(ARGO_HASH), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo', uid: 'd', controller: true }] };
    const unlabelled = { ...argoReplicaSet('x', { owned: false }), labels: { app: 'demo' } };
    const deleting = { ...argoReplicaSet('y'), deletionTimestamp: '2026-01-01T00:00:00Z' };
    for (const rs of [foreign, unlabelled, deleting]) {
      const decision = decide(ro, [rs]);
      assert.deepEqual(kinds(decision.actions), ['createReplicaSet'], rs.name);
    }
  });
});

describe('replica sets › the created ReplicaSet', () => {
  it('is named <rollout>-<hash>, labelled, annotated, owned, and sized at once on first deploy', () => {
    const ro = rollout();
    ro.spec.minReadySeconds = 5;
    const decision = decide(ro, []);
    const create = decision.actions[0];
    assert.ok(create?.kind === 'createReplicaSet');
    const hash = podTemplateHash(ro.spec.template);
    const rs = create.replicaSet;
    assert.equal(rs.metadata.name, `demo-${hash}`);
    assert.deepEqual(rs.metadata.labels, { app: 'demo', 'rollouts-pod-template-hash': hash });
    assert.deepEqual(rs.metadata.annotations, {
      team: 'payments',
      'rollout.argoproj.io/revision': '1',
      'rollout.argoproj.io/desired-replicas': '3',
    });
    assert.deepEqual(rs.metadata.ownerReferences, [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'demo', uid: 'ro-uid', controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'demo', 'rollouts-pod-template-hash': hash } });
    assert.equal(rs.spec.template.metadata?.labels?.['rollouts-pod-template-hash'], hash);
    assert.equal(rs.spec.minReadySeconds, 5);
    assert.equal(rs.spec.replicas, 3);
    assert.equal(decision.status.currentPodHash, hash);
    assert.equal(decision.status.stableRS, hash);
    assert.deepEqual(
      decision.events.map((e) => e.reason),
      ['NewReplicaSetCreated', 'RolloutNotCompleted', 'RolloutCompleted', 'ScalingReplicaSet'],
    );
  });

  it('a name already taken by another template raises status.collisionCount until the name is free', () => {
    const ro = rollout();
    const hash = podTemplateHash(ro.spec.template);
    const squatter = argoReplicaSet(hash, { image: 'other:1' });
    const decision = decide(ro, [squatter]);
    assert.equal(decision.status.collisionCount, 1);
    const create = decision.actions.find((a) => a.kind === 'createReplicaSet');
    assert.ok(create?.kind === 'createReplicaSet');
    assert.equal(create.replicaSet.metadata.name, `demo-${podTemplateHash(ro.spec.template, 1)}`);
    assert.equal(create.replicaSet.metadata.annotations['rollout.argoproj.io/revision'], '2');
  });

  it('the Rollout mirrors the new revision in its own annotation', () => {
    const ro = rollout();
    ro.status = argoHealthyStatus(ro);
    ro.spec.template!.spec!.containers[0]!.image = 'demo:2';
    const decision = decide(ro, [argoReplicaSet(ARGO_HASH)]);
    const annotate = decision.actions.find((a) => a.kind === 'annotateRollout');
    assert.deepEqual(annotate, { kind: 'annotateRollout', annotations: { set: { 'rollout.argoproj.io/revision': '2' } } });
    assert.ok(decision.events.some((e) => e.reason === 'RolloutUpdated' && e.message === 'Rollout updated to revision 2'));
  });
});
