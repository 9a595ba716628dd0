// spec.workloadRef (reference §2.1, §3, §15.1): the pod template (and selector) come from a
// Deployment or PodTemplate; the workload-generation annotation and workloadObservedGeneration
// follow it; workloadRef.scaleDown scales the Deployment down; a missing workload is InvalidSpec
// until it appears.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { aPodTemplate, aRollout } from '../../../fixtures/index.ts';
import { POD_TEMPLATE_HASH_LABEL, WORKLOAD_GENERATION_ANNOTATION, formatFieldError, type ObjectRef, type Rollout } from '../../../../functions/api/index.ts';
import { decideRollout, resolveWorkloadRef, type Action, type WorkloadView } from '../../../../functions/rollout/decide/index.ts';
import { INVALID_SPEC_REQUEUE_MS } from '../../../../functions/rollout/decide/index.ts';
import { T0, World } from './world.ts';

const APP = { app: 'web' };

function aDeployment(overrides: Partial<WorkloadView> = {}): WorkloadView {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'web',
    uid: 'deployment-uid',
    generation: 1,
    template: aPodTemplate(APP, 'demo:1'),
    selector: { matchLabels: { ...APP } },
    replicas: 3,
    ...overrides,
  };
}

function aPodTemplateWorkload(overrides: Partial<WorkloadView> = {}): WorkloadView {
  return { apiVersion: 'v1', kind: 'PodTemplate', name: 'web-template', generation: 1, template: aPodTemplate(APP, 'demo:1'), ...overrides };
}

/** A Rollout named web that takes its template (and, unless given, its selector) from a workload. */
function refRollout(ref: ObjectRef, options: { selector?: boolean; steps?: boolean } = {}): Rollout {
  const builder = aRollout().named('web').withReplicas(3);
  if (options.steps !== false) builder.withCanarySteps([{ setWeight: 20 }, { pause: {} }]);
  const rollout = builder.withSpec({ workloadRef: ref }).build();
  delete rollout.spec.template;
  if (options.selector !== true) delete rollout.spec.selector;
  rollout.metadata = { ...rollout.metadata, uid: 'rollout-uid', generation: 1 };
  return rollout;
}

const DEPLOYMENT_REF: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

function decide(rollout: Rollout, workload?: WorkloadView) {
  return decideRollout({ rollout, replicaSets: [], services: [], analysisRuns: [], experiments: [], ...(workload ? { workload } : {}), now: T0 });
}

describe('workloadRef › resolution', () => {
  const problems: Array<[rule: string, rollout: () => Rollout, workload: WorkloadView | undefined, error: string]> = [
    [
      'a template with labels next to workloadRef',
      () => {
        const r = refRollout(DEPLOYMENT_REF);
        r.spec.template = aPodTemplate(APP);
        return r;
      },
      aDeployment(),
      'spec.template: Forbidden: template must be empty for workload reference rollout',
    ],
    [
      'the Deployment does not exist',
      () => refRollout(DEPLOYMENT_REF),
      undefined,
      'spec.workloadRef.name: Invalid value: "web": deployments.apps "web" not found',
    ],
    [
      'the snapshot holds another object than the one named',
      () => refRollout({ ...DEPLOYMENT_REF, name: 'api' }),
      aDeployment(),
      'spec.workloadRef.name: Invalid value: "api": deployments.apps "api" not found',
    ],
    [
      'the PodTemplate does not exist',
      () => refRollout({ apiVersion: 'v1', kind: 'PodTemplate', name: 'web-template' }, { selector: true }),
      aDeployment(),
      'spec.workloadRef.name: Invalid value: "web-template": podtemplates "web-template" not found',
    ],
    [
      'a ReplicaSet (Argo resolves it; Ramp does not yet)',
      () => refRollout({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web' }),
      undefined,
      'spec.workloadRef.kind: Invalid value: "ReplicaSet": a ReplicaSet as workloadRef is not supported by Ramp yet; reference a Deployment or a PodTemplate',
    ],
    [
      'a kind no one resolves',
      () => refRollout({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }),
      undefined,
      'spec.workloadRef.kind: Invalid value: "StatefulSet": workload of type apps/StatefulSet is not supported',
    ],
    [
      'a Deployment of the wrong API group',
      () => refRollout({ apiVersion: 'v1', kind: 'Deployment', name: 'web' }),
      aDeployment(),
      'spec.workloadRef.kind: Invalid value: "Deployment": workload of type /Deployment is not supported',
    ],
    ['no name', () => refRollout({ apiVersion: 'apps/v1', kind: 'Deployment' }), aDeployment(), 'spec.workloadRef.name: Required value: the name of the Deployment to take the pod template from'],
    [
      'a PodTemplate and no selector on the Rollout',
      () => refRollout({ apiVersion: 'v1', kind: 'PodTemplate', name: 'web-template' }),
      aPodTemplateWorkload(),
      "spec.selector: Required value: Rollout has missing field '.spec.selector'",
    ],
    [
      'a Rollout selector that does not match the Deployment template',
      () => {
        const r = refRollout(DEPLOYMENT_REF, { selector: true });
        r.spec.selector = { matchLabels: { app: 'other' } };
        return r;
      },
      aDeployment(),
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: selector does not match template labels',
    ],
  ];
  for (const [rule, rollout, workload, error] of problems) {
    it(`InvalidSpec: ${rule}`, () => {
      const decision = decide(rollout(), workload);
      assert.deepEqual(decision.actions, []);
      const condition = decision.status.conditions?.find((c) => c.type === 'InvalidSpec');
      assert.equal(condition?.message, `The Rollout "web" is invalid: ${error}`);
      assert.equal(decision.status.phase, 'Degraded');
      assert.equal(decision.requeueAfterMs, INVALID_SPEC_REQUEUE_MS);
      assert.deepEqual(decision.events, [{ type: 'Warning', reason: 'InvalidSpec', message: `The Rollout "web" is invalid: ${error}` }]);
    });
  }

  it('a template without labels and annotations counts as empty and is replaced', () => {
    const rollout = refRollout(DEPLOYMENT_REF);
    rollout.spec.template = { spec: { containers: [{ name: 'ignored', image: 'ignored:0' }] } };
    const resolution = resolveWorkloadRef(rollout, aDeployment());
    assert.ok('rollout' in resolution);
    assert.deepEqual(resolution.rollout.spec.template, aDeployment().template);
  });

  const resolved: Array<[what: string, rollout: () => Rollout, workload: WorkloadView, selector: unknown]> = [
    ['Deployment, no Rollout selector: the Deployment\'s', () => refRollout(DEPLOYMENT_REF), aDeployment({ selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] } }), { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }],
    ['Deployment, Rollout selector: the Rollout\'s', () => refRollout(DEPLOYMENT_REF, { selector: true }), aDeployment({ selector: { matchLabels: { app: 'web', extra: 'x' } } }), { matchLabels: { app: 'web' } }],
    ['PodTemplate: the Rollout\'s', () => refRollout({ apiVersion: 'v1', kind: 'PodTemplate', name: 'web-template' }, { selector: true }), aPodTemplateWorkload(), { matchLabels: { app: 'web' } }],
  ];
  for (const [what, rollout, workload, selector] of resolved) {
    it(`resolves the template and the selector — ${what}`, () => {
      const original = rollout();
      const resolution = resolveWorkloadRef(original, workload);
      assert.ok('rollout' in resolution, 'problem' in resolution ? formatFieldError(resolution.problem) : '');
      assert.deepEqual(resolution.rollout.spec.template, workload.template);
      assert.deepEqual(resolution.rollout.spec.selector, selector);
      assert.equal(original.spec.template, undefined, 'the Rollout given is not changed');
    });
  }

  it('a Rollout without workloadRef is returned as it is', () => {
    const rollout = aRollout().build();
    const resolution = resolveWorkloadRef(rollout, aDeployment());
    assert.ok('rollout' in resolution);
    assert.equal(resolution.rollout, rollout);
  });
});

describe('workloadRef › the first pass', () => {
  it('creates the ReplicaSet from the Deployment\'s template and selector, annotates the workload generation, reports it observed', () => {
    const decision = decide(refRollout(DEPLOYMENT_REF), aDeployment({ generation: 7 }));
    const create = decision.actions.find((a) => a.kind === 'createReplicaSet');
    assert.ok(create?.kind === 'createReplicaSet');
    const hash = decision.status.currentPodHash ?? '';
    assert.equal(create.replicaSet.spec.template.spec?.containers[0]?.image, 'demo:1');
    assert.deepEqual(create.replicaSet.spec.template.metadata?.labels, { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
    assert.deepEqual(create.replicaSet.spec.selector, { matchLabels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash } });
    assert.equal(create.replicaSet.spec.replicas, 3);
    // One patch of the Rollout: the revision and the workload generation.
    const annotate = decision.actions.filter((a) => a.kind === 'annotateRollout');
    assert.deepEqual(annotate, [{ kind: 'annotateRollout', annotations: { set: { 'rollout.argoproj.io/revision': '1', [WORKLOAD_GENERATION_ANNOTATION]: '7' } } }]);
    assert.equal(decision.status.workloadObservedGeneration, '7');
    assert.equal(decision.status.selector, 'app=web');
  });
});

describe('workloadRef › scaleDown', () => {
  /** One decision for a Rollout at revision 1 (or 2) whose ReplicaSets show `ready` Ready pods. */
  function scaleDecision(mode: ObjectRef['scaleDown'], deploymentReplicas: number, state: 'first-pass' | 'rolling-out' | 'healthy' | 'updating') {
    const world = new World(refRollout({ ...DEPLOYMENT_REF, ...(mode !== undefined ? { scaleDown: mode } : {}) }));
    world.workload = aDeployment({ replicas: 99 });
    if (state !== 'first-pass') {
      world.reconcile();
      if (state === 'rolling-out') {
        const rs = world.replicaSets[0]!;
        rs.status = { replicas: 3, readyReplicas: 1, availableReplicas: 1 };
      } else {
        world.settle();
        world.run();
      }
      if (state === 'updating') {
        world.workload.template = aPodTemplate(APP, 'demo:2');
        world.workload.generation = 2;
        world.run();
        assert.equal(world.rollout.status?.phase, 'Paused', 'at the canary pause');
      }
    }
    world.workload.replicas = deploymentReplicas;
    const decision = world.decide();
    return decision.actions.filter((a): a is Extract<Action, { kind: 'scaleDeployment' }> => a.kind === 'scaleDeployment');
  }

  const cases: Array<[mode: ObjectRef['scaleDown'], deployment: number, state: Parameters<typeof scaleDecision>[2], expected: Array<[from: number, to: number]>]> = [
    [undefined, 3, 'healthy', []],
    ['never', 3, 'healthy', []],
    ['onsuccess', 3, 'first-pass', []],
    ['onsuccess', 3, 'rolling-out', []],
    ['onsuccess', 3, 'healthy', [[3, 0]]],
    ['onsuccess', 0, 'healthy', []],
    ['onsuccess', 2, 'updating', []],
    ['progressively', 3, 'first-pass', []],
    ['progressively', 3, 'rolling-out', [[3, 2]]],
    ['progressively', 1, 'rolling-out', []],
    ['progressively', 0, 'rolling-out', []],
    ['progressively', 3, 'healthy', [[3, 0]]],
    ['progressively', 2, 'updating', []],
  ];
  for (const [mode, deployment, state, expected] of cases) {
    it(`${mode ?? '(unset)'}, Deployment at ${deployment}, Rollout ${state} → ${expected.length === 0 ? 'left alone' : expected.map(([a, b]) => `${a}→${b}`).join(', ')}`, () => {
      assert.deepEqual(
        scaleDecision(mode, deployment, state).map((a) => [a.from, a.replicas]),
        expected,
      );
    });
  }

  it('a PodTemplate is never scaled', () => {
    const world = new World(refRollout({ apiVersion: 'v1', kind: 'PodTemplate', name: 'web-template', scaleDown: 'onsuccess' }, { selector: true }));
    world.workload = aPodTemplateWorkload();
    world.run();
    assert.equal(world.rollout.status?.phase, 'Healthy');
    assert.ok(!world.events.some((e) => e.reason === 'ScalingDeployment'));
  });
});

describe('workloadRef › scenario', () => {
  it('Deployment with 3 pods, scaleDown onsuccess: the Rollout takes over, the Deployment goes to 0, a Deployment image change runs a canary', () => {
    const world = new World(refRollout({ ...DEPLOYMENT_REF, scaleDown: 'onsuccess' }));

    // Not there yet: InvalidSpec, Degraded; Argo CD shows Degraded (no annotation yet to wait for).
    world.reconcile();
    assert.equal(world.rollout.status?.phase, 'Degraded');
    assert.match(world.rollout.status?.message ?? '', /deployments\.apps "web" not found/);
    assert.equal(world.health().status, 'Degraded');

    // It appears: the Rollout recovers on its own.
    world.workload = aDeployment();
    world.run();
    assert.equal(world.rollout.status?.conditions?.find((c) => c.type === 'InvalidSpec'), undefined);
    assert.deepEqual(world.pods(), { 'demo:1': 3 });
    assert.equal(world.rollout.status?.phase, 'Healthy');
    assert.equal(world.workload.replicas, 0, 'the Deployment is scaled to 0 once the Rollout is Healthy');
    assert.deepEqual(
      world.events.filter((e) => e.reason === 'ScalingDeployment'),
      [{ type: 'Normal', reason: 'ScalingDeployment', message: 'Scaled down Deployment web from 3 to 0 (workloadRef scaleDown: onsuccess)' }],
    );
    assert.equal(world.rollout.metadata?.annotations?.[WORKLOAD_GENERATION_ANNOTATION], '1');
    assert.equal(world.rollout.status?.workloadObservedGeneration, '1');
    assert.deepEqual(world.health(), { status: 'Healthy', message: '' });
    const v1 = world.rollout.status?.stableRS;

    // A new image in the Deployment: a canary update of the Rollout (20 % ≈ 1 pod, then the pause).
    world.workload.template = aPodTemplate(APP, 'demo:2');
    world.workload.generation = 2;
    // Argo CD's contract: an annotation ahead of workloadObservedGeneration reads as Progressing
    // (Argo's controller moves the annotation on the Deployment's watch event, before it acts).
    world.rollout.metadata = { ...world.rollout.metadata, annotations: { ...world.rollout.metadata?.annotations, [WORKLOAD_GENERATION_ANNOTATION]: '2' } };
    assert.equal(world.health().status, 'Progressing');
    world.run();
    assert.notEqual(world.rollout.status?.currentPodHash, v1);
    assert.equal(world.rollout.status?.stableRS, v1);
    assert.equal(world.rollout.status?.phase, 'Paused');
    assert.deepEqual(world.pods(), { 'demo:1': 3, 'demo:2': 1 });
    assert.equal(world.rollout.status?.workloadObservedGeneration, '2');
    assert.equal(world.health().status, 'Suspended');
    assert.equal(world.workload.replicas, 0, 'the Deployment stays at 0');

    world.promote();
    world.run();
    assert.deepEqual(world.pods(), { 'demo:2': 3 });
    assert.equal(world.rollout.status?.phase, 'Healthy');

    // Someone scales the Deployment up again: it goes back to 0 (the Rollout is Healthy).
    world.workload.replicas = 2;
    world.run();
    assert.equal(world.workload.replicas, 0);
  });

  it('dropping workloadRef for an inline template removes the annotation and workloadObservedGeneration', () => {
    const world = new World(refRollout(DEPLOYMENT_REF));
    world.workload = aDeployment();
    world.run();
    assert.equal(world.rollout.status?.workloadObservedGeneration, '1');
    delete world.rollout.spec.workloadRef;
    world.rollout.spec.template = aPodTemplate(APP, 'demo:1');
    world.rollout.spec.selector = { matchLabels: { ...APP } };
    world.bumpGeneration();
    const decision = world.reconcile();
    assert.deepEqual(
      decision.actions.filter((a) => a.kind === 'annotateRollout'),
      [{ kind: 'annotateRollout', annotations: { remove: [WORKLOAD_GENERATION_ANNOTATION] } }],
    );
    assert.equal(decision.status.workloadObservedGeneration, undefined);
    assert.ok(!decision.actions.some((a) => a.kind === 'createReplicaSet'), 'the same template: no new ReplicaSet');
  });
});
