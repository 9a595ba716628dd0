// Experiment templates: one ReplicaSet each, its status, and the progress deadline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anExperiment } from '../../fixtures/index.ts';
import type { Experiment } from '../../../functions/api/index.ts';
import { decideExperiment, templateHash } from '../../../functions/experiment/index.ts';
import { NEVER_READY, T0, World } from './world.ts';

function neverReady(experiment: Experiment, template = 0): Experiment {
  const t = experiment.spec.templates[template]!;
  t.template.metadata = { ...t.template.metadata, annotations: { ...NEVER_READY } };
  return experiment;
}

describe('experiment templates › ReplicaSet', () => {
  it('one ReplicaSet per template, named <experiment>-<template>, with the hash, the selector, the owner and the annotations', () => {
    const world = new World(anExperiment().named('exp').withTemplate('baseline', 'app:1', 2).withTemplate('canary', 'app:2', 1).build());
    const decision = world.reconcile();
    const creates = decision.actions.filter((a) => a.kind === 'createReplicaSet');
    assert.deepEqual(creates.map((a) => a.replicaSet.metadata.name), ['exp-baseline', 'exp-canary']);
    const baseline = creates[0]!.replicaSet;
    const hash = templateHash(world.experiment.spec.templates[0]!);
    assert.equal(baseline.spec.replicas, 2, 'created with the template\'s replicas');
    assert.deepEqual(baseline.metadata.labels, { app: 'exp', template: 'baseline', 'rollouts-pod-template-hash': hash });
    assert.deepEqual(baseline.spec.selector, { matchLabels: { app: 'exp', template: 'baseline', 'rollouts-pod-template-hash': hash } });
    assert.equal(baseline.spec.template.metadata?.labels?.['rollouts-pod-template-hash'], hash);
    assert.deepEqual(baseline.metadata.annotations, { 'experiment.argoproj.io/name': 'exp', 'experiment.argoproj.io/template-name': 'baseline' });
    assert.deepEqual(baseline.metadata.ownerReferences, [
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', name: 'exp', uid: 'experiment-uid', controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(baseline.metadata.namespace, 'default');
    assert.notEqual(creates[1]!.replicaSet.metadata.labels['rollouts-pod-template-hash'], hash, 'each template has its own hash');
  });

  it('replicas default to 1 and minReadySeconds is copied', () => {
    const experiment = anExperiment().build();
    delete experiment.spec.templates[0]!.replicas;
    experiment.spec.templates[0]!.minReadySeconds = 5;
    const decision = new World(experiment).reconcile();
    const create = decision.actions.find((a) => a.kind === 'createReplicaSet');
    assert.equal(create?.kind === 'createReplicaSet' && create.replicaSet.spec.replicas, 1);
    assert.equal(create?.kind === 'createReplicaSet' && create.replicaSet.spec.minReadySeconds, 5);
  });

  it('is created once, then followed: status counts come from the ReplicaSet', () => {
    const world = new World(anExperiment().withTemplate('baseline', 'app:1', 3).build());
    world.reconcile();
    assert.equal(world.reconcile().actions.length, 0, 'nothing more to do while pods start');
    world.settle();
    world.reconcile();
    const [status] = world.status.templateStatuses ?? [];
    assert.deepEqual(
      { replicas: status?.replicas, updated: status?.updatedReplicas, ready: status?.readyReplicas, available: status?.availableReplicas, status: status?.status },
      { replicas: 3, updated: 3, ready: 3, available: 3, status: 'Running' },
    );
    assert.equal(status?.podTemplateHash, world.replicaSets[0]!.labels?.['rollouts-pod-template-hash']);
  });

  it('a ReplicaSet scaled by someone else is scaled back to the template\'s replicas', () => {
    const world = new World(anExperiment().withTemplate('baseline', 'app:1', 2).build());
    world.step();
    world.rs('demo-experiment-baseline').replicas = 5;
    const decision = world.reconcile();
    assert.deepEqual(decision.actions, [{ kind: 'scaleReplicaSet', template: 'baseline', name: 'demo-experiment-baseline', from: 5, replicas: 2 }]);
  });

  it('the hash label of an existing ReplicaSet wins over the computed one (a ReplicaSet made by Argo keeps its hash)', () => {
    const world = new World(anExperiment().build());
    world.reconcile();
    world.rs('demo-experiment-baseline').labels = { 'rollouts-pod-template-hash': 'argo-hash' };
    world.settle();
    world.reconcile();
    assert.equal(world.status.templateStatuses?.[0]?.podTemplateHash, 'argo-hash');
  });

  const conflicts: Array<{ name: string; setUp: (world: World) => void; message: RegExp }> = [
    {
      name: 'a ReplicaSet with the name, controlled by someone else',
      setUp: (world) => world.replicaSets.push({ name: 'demo-experiment-baseline', template: {}, replicas: 1, status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 } }),
      message: /^ReplicaSet "demo-experiment-baseline" already exists and is not controlled by Experiment "demo-experiment"$/,
    },
    {
      name: 'two ReplicaSets claiming the template',
      setUp: (world) => {
        for (const name of ['demo-experiment-baseline', 'other']) {
          world.replicaSets.push({
            name,
            template: {},
            replicas: 1,
            annotations: { 'experiment.argoproj.io/name': 'demo-experiment', 'experiment.argoproj.io/template-name': 'baseline' },
            ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Experiment', name: 'demo-experiment', uid: 'experiment-uid', controller: true }],
            status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
          });
        }
      },
      message: /^multiple ReplicaSets belong to template 'baseline': demo-experiment-baseline, other$/,
    },
  ];
  for (const c of conflicts) {
    it(`${c.name} → template Error, experiment Error, nothing created`, () => {
      const world = new World(anExperiment().build());
      c.setUp(world);
      const decision = world.reconcile();
      assert.equal(decision.actions.filter((a) => a.kind === 'createReplicaSet').length, 0);
      assert.equal(world.status.templateStatuses?.[0]?.status, 'Error');
      assert.match(world.status.templateStatuses?.[0]?.message ?? '', c.message);
      assert.equal(world.status.phase, 'Error');
      assert.match(world.status.message ?? '', c.message);
    });
  }
});

describe('experiment templates › status', () => {
  const cases: Array<{ name: string; available: number; replicas: number; terminate?: boolean; elapsed: number; expect: string }> = [
    { name: 'all pods available', available: 2, replicas: 2, elapsed: 0, expect: 'Running' },
    { name: 'more pods available than wanted', available: 3, replicas: 2, elapsed: 0, expect: 'Running' },
    { name: 'some pods not available, within the deadline', available: 1, replicas: 2, elapsed: 599, expect: 'Progressing' },
    { name: 'some pods not available at the deadline', available: 1, replicas: 2, elapsed: 600, expect: 'Failed' },
    { name: 'some pods not available, terminating within the deadline', available: 1, replicas: 2, terminate: true, elapsed: 10, expect: 'Successful' },
    { name: 'all available, terminating', available: 2, replicas: 2, terminate: true, elapsed: 0, expect: 'Successful' },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.expect}`, () => {
      const world = new World(anExperiment().withTemplate('baseline', 'app:1', c.replicas).withDuration(undefined).build());
      world.reconcile();
      world.experiment.spec.terminate = c.terminate;
      world.rs('demo-experiment-baseline').status = { replicas: c.replicas, readyReplicas: c.available, availableReplicas: c.available };
      // The counts changed at T0 (lastTransitionTime); the deadline counts from there.
      world.reconcile();
      world.advance(c.elapsed);
      world.reconcile();
      assert.equal(world.status.templateStatuses?.[0]?.status, c.expect);
    });
  }

  it('a template whose pods never get ready fails after progressDeadlineSeconds; the experiment fails with its message', () => {
    const world = new World(neverReady(anExperiment().withSpec({ progressDeadlineSeconds: 30 }).build()));
    world.step();
    assert.equal(world.status.phase, 'Pending');
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Progressing');
    assert.equal(world.lastDecision?.requeueAfterMs, 30_000, 'wakes up at the deadline');
    world.advance(29);
    world.step();
    assert.equal(world.status.phase, 'Pending');
    assert.equal(world.lastDecision?.requeueAfterMs, 1_000);
    world.advance(1);
    world.step();
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Failed');
    assert.equal(world.status.templateStatuses?.[0]?.message, "Template 'baseline' exceeded its progressDeadlineSeconds (30)");
    assert.equal(world.status.phase, 'Failed');
    assert.equal(world.status.message, "Template 'baseline' exceeded its progressDeadlineSeconds (30)");
    assert.equal(world.status.availableAt, undefined);
    assert.ok(world.reasons().includes('TemplateFailed'));
    assert.ok(world.events.some((e) => e.reason === 'ExperimentFailed' && e.type === 'Warning'));
  });

  it('progress moves the deadline: a template that gains a pod gets another progressDeadlineSeconds', () => {
    const world = new World(anExperiment().withTemplate('baseline', 'app:1', 2).withSpec({ progressDeadlineSeconds: 60 }).build());
    world.reconcile();
    world.advance(50);
    world.rs('demo-experiment-baseline').status = { replicas: 2, readyReplicas: 1, availableReplicas: 1 };
    world.reconcile();
    world.advance(50);
    world.reconcile();
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Progressing', '100 s after the start, 50 s after the last progress');
    world.advance(10);
    world.reconcile();
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Failed');
  });

  it('the default deadline is 600 s', () => {
    const world = new World(neverReady(anExperiment().build()));
    world.step();
    assert.equal(world.lastDecision?.requeueAfterMs, 600_000);
  });

  it('a completed template status never changes again', () => {
    const world = new World(neverReady(anExperiment().withSpec({ progressDeadlineSeconds: 10 }).build()));
    world.step();
    world.advance(10);
    world.step();
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Failed');
    world.rs('demo-experiment-baseline').status = { replicas: 1, readyReplicas: 1, availableReplicas: 1 };
    world.step();
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Failed');
    assert.equal(world.status.phase, 'Failed');
  });

  it('one failing template fails the experiment although the other runs', () => {
    const world = new World(neverReady(anExperiment().withTemplate('baseline').withTemplate('canary').withSpec({ progressDeadlineSeconds: 10 }).build(), 1));
    world.step();
    world.advance(10);
    world.step();
    assert.deepEqual(world.status.templateStatuses?.map((t) => t.status), ['Successful', 'Failed']);
    assert.equal(world.status.phase, 'Failed');
  });

  it('the ReplicaSets of a finished experiment keep reporting their counts', () => {
    const world = new World(anExperiment().withDuration('10s').withSpec({ scaleDownDelaySeconds: 0 }).build());
    world.step();
    world.advance(10);
    world.step();
    assert.equal(world.status.phase, 'Successful');
    assert.equal(world.status.templateStatuses?.[0]?.availableReplicas, 0);
    assert.equal(world.status.templateStatuses?.[0]?.status, 'Successful');
  });
});

describe('experiment templates › availableAt', () => {
  it('is set when every template is Running, and not before', () => {
    const world = new World(anExperiment().withTemplate('baseline', 'app:1', 1).withTemplate('canary', 'app:2', 2).build());
    world.reconcile();
    world.rs('demo-experiment-baseline').status = { replicas: 1, readyReplicas: 1, availableReplicas: 1 };
    world.advance(5);
    world.reconcile();
    assert.equal(world.status.availableAt, undefined);
    assert.equal(world.status.phase, 'Pending');
    world.settle();
    world.advance(5);
    world.reconcile();
    assert.equal(world.status.availableAt, '2026-01-01T00:00:10Z');
    assert.equal(world.status.phase, 'Running');
    world.advance(5);
    world.reconcile();
    assert.equal(world.status.availableAt, '2026-01-01T00:00:10Z', 'never moves');
  });

  it('times are written with whole seconds', () => {
    const world = new World(anExperiment().build());
    world.now = new Date(T0.getTime() + 1_750);
    world.step();
    assert.equal(world.status.availableAt, '2026-01-01T00:00:01Z');
  });
});

describe('experiment templates › being deleted', () => {
  it('an Experiment with a deletionTimestamp is left alone', () => {
    const experiment = anExperiment().build();
    experiment.metadata = { ...experiment.metadata, uid: 'u', deletionTimestamp: '2026-01-01T00:00:00Z' };
    const decision = decideExperiment({ experiment, replicaSets: [], services: [], analysisRuns: [], now: T0 });
    assert.deepEqual(decision, { actions: [], status: {}, events: [] });
  });
});
