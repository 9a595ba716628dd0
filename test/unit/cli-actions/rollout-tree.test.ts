import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aRollout, blueGreenPausedStatus, canaryPausedStatus } from '../../fixtures/index.ts';
import { actualWeight, currentSetWeight, imagesWithTags, renderRolloutTree, replicaSetInfos, type PodView, type ReplicaSetView } from '../../../functions/cli/index.ts';
import type { AnalysisPhase, AnalysisRun, Rollout } from '../../../functions/api/index.ts';

const NOW = new Date('2026-01-01T01:00:00Z');
const ROLLOUT_UID = 'uid-demo';

function owned<T extends { metadata?: Record<string, unknown> }>(object: T, kind: string, name: string, uid: string): T {
  (object.metadata as Record<string, unknown>)['ownerReferences'] = [{ apiVersion: 'x', kind, name, uid, controller: true }];
  return object;
}

function rs(hash: string, revision: number, image: string, replicas: number, created: string, annotations: Record<string, string> = {}): ReplicaSetView {
  return owned(
    {
      metadata: {
        name: `demo-${hash}`,
        uid: `uid-${hash}`,
        generation: 1,
        creationTimestamp: created,
        labels: { app: 'demo', 'rollouts-pod-template-hash': hash },
        annotations: { 'rollout.argoproj.io/revision': String(revision), ...annotations },
      },
      spec: { replicas, template: { spec: { containers: [{ name: 'app', image }] } } },
      status: { replicas, availableReplicas: replicas, readyReplicas: replicas, observedGeneration: 1 },
    },
    'Rollout',
    'demo',
    ROLLOUT_UID,
  );
}

function pod(hash: string, suffix: string, created: string, extra: Partial<NonNullable<PodView['status']>> = {}): PodView {
  return owned(
    {
      metadata: { name: `demo-${hash}-${suffix}`, creationTimestamp: created },
      spec: { containers: [{ name: 'app' }] },
      status: { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 0, state: { running: {} } }], ...extra },
    },
    'ReplicaSet',
    `demo-${hash}`,
    `uid-${hash}`,
  );
}

function run(name: string, revision: number, phase: AnalysisPhase, created: string): AnalysisRun {
  return owned(
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: { name, creationTimestamp: created, annotations: { 'rollout.argoproj.io/revision': String(revision) } },
      spec: { metrics: [] },
      status: {
        phase,
        metricResults: [
          {
            name: 'rate',
            phase,
            successful: 2,
            failed: 1,
            measurements: [{ phase: 'Successful', startedAt: '2026-01-01T00:58:00Z', metadata: { 'job-name': `${name}-job` } }],
          },
        ],
      },
    } as AnalysisRun,
    'Rollout',
    'demo',
    ROLLOUT_UID,
  );
}

function canary(): Rollout {
  const rollout = aRollout().inNamespace('shop').withCanarySteps([{ setWeight: 25 }, { pause: {} }, { analysis: { templates: [{ templateName: 'rate' }] } }]).withGeneration(4).withStatus({
    ...canaryPausedStatus(),
    currentPodHash: 'c2',
    stableRS: 'c1',
    replicas: 4,
    updatedReplicas: 1,
    readyReplicas: 4,
    availableReplicas: 4,
  }).build();
  rollout.metadata!.uid = ROLLOUT_UID;
  rollout.metadata!.creationTimestamp = '2026-01-01T00:00:00Z';
  return rollout;
}

const canaryReplicaSets = (): ReplicaSetView[] => [rs('c1', 1, 'shop/app:1.0', 3, '2026-01-01T00:00:01Z'), rs('c2', 2, 'shop/app:2.0', 1, '2026-01-01T00:50:00Z')];
const canaryPods = (): PodView[] => [
  pod('c1', 'bbbbb', '2026-01-01T00:00:03Z'),
  pod('c1', 'aaaaa', '2026-01-01T00:00:02Z'),
  pod('c1', 'ccccc', '2026-01-01T00:00:02Z'),
  pod('c2', 'xxxxx', '2026-01-01T00:50:02Z', { containerStatuses: [{ ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }),
  owned({ metadata: { name: 'stranger' }, status: { phase: 'Running' } }, 'ReplicaSet', 'other', 'uid-other'),
];

test('get rollout › canary paused at a step, two revisions, pods and a step analysis', () => {
  const lines = renderRolloutTree(canary(), canaryReplicaSets(), canaryPods(), [run('demo-c2-2-2', 2, 'Running', '2026-01-01T00:55:00Z')], { now: NOW });
  assert.equal(
    lines.join('\n'),
    `Name:            demo
Namespace:       shop
Status:          ॥ Paused
Message:         CanaryPauseStep
Strategy:        Canary
  Step:          1/3
  SetWeight:     25
  ActualWeight:  25
Images:          shop/app:1.0 (stable)
                 shop/app:2.0 (canary)
Replicas:
  Desired:       3
  Current:       4
  Updated:       1
  Ready:         4
  Available:     4

NAME                        KIND         STATUS              AGE    INFO
⟳ demo                      Rollout      ॥ Paused            60m
├──# revision:2
│  ├──⧉ demo-c2             ReplicaSet   ✔ Healthy           10m    canary
│  │  └──□ demo-c2-xxxxx    Pod          ✖ CrashLoopBackOff  9m58s  ready:0/1,restarts:3
│  └──α demo-c2-2-2         AnalysisRun  ◌ Running           5m     ✔ 2,✖ 1
│     └──⊞ demo-c2-2-2-job  Job          ✔ Successful        2m
└──# revision:1
   └──⧉ demo-c1             ReplicaSet   ✔ Healthy           59m    stable
      ├──□ demo-c1-aaaaa    Pod          ✔ Running           59m    ready:1/1
      ├──□ demo-c1-ccccc    Pod          ✔ Running           59m    ready:1/1
      └──□ demo-c1-bbbbb    Pod          ✔ Running           59m    ready:1/1`,
  );
});

test('get rollout › blue-green: active, preview and a scale-down delay', () => {
  const rollout = aRollout().withBlueGreen('active', { previewService: 'preview' }).withGeneration(2).withStatus({
    ...blueGreenPausedStatus(),
    currentPodHash: 'b3',
    stableRS: 'b2',
    blueGreen: { activeSelector: 'b2', previewSelector: 'b3' },
    replicas: 6,
    updatedReplicas: 3,
    readyReplicas: 6,
    availableReplicas: 6,
  }).build();
  rollout.metadata!.uid = ROLLOUT_UID;
  rollout.metadata!.creationTimestamp = '2025-12-30T01:00:00Z';
  const sets = [
    rs('b3', 3, 'app:3', 3, '2026-01-01T00:59:00Z'),
    rs('b2', 2, 'app:2', 3, '2026-01-01T00:30:00Z'),
    rs('b1', 1, 'app:1', 0, '2025-12-30T01:00:00Z', { 'scale-down-deadline': '2026-01-01T01:00:25Z' }),
  ];
  assert.equal(
    renderRolloutTree(rollout, sets, [], [], { now: NOW }).join('\n'),
    `Name:            demo
Namespace:       default
Status:          ॥ Paused
Message:         BlueGreenPause
Strategy:        BlueGreen
Images:          app:2 (active, stable)
                 app:3 (preview)
Replicas:
  Desired:       3
  Current:       6
  Updated:       3
  Ready:         6
  Available:     6

NAME             KIND        STATUS        AGE  INFO
⟳ demo           Rollout     ॥ Paused      2d
├──# revision:3
│  └──⧉ demo-b3  ReplicaSet  ✔ Healthy     60s  preview
├──# revision:2
│  └──⧉ demo-b2  ReplicaSet  ✔ Healthy     30m  stable,active
└──# revision:1
   └──⧉ demo-b1  ReplicaSet  • ScaledDown  2d   delay:25s`,
  );
});

test('get rollout › without ages (the --watch change key) and with colours', () => {
  const plain = renderRolloutTree(canary(), canaryReplicaSets(), [], [], { now: NOW, ages: false });
  assert.equal(plain.at(-1), '   └──⧉ demo-c1  ReplicaSet  ✔ Healthy       stable');
  const coloured = renderRolloutTree(canary(), canaryReplicaSets(), [], [], { now: NOW, colour: true });
  assert.equal(coloured[2], 'Status:          ॥ Paused', 'the pause icon has no colour, as in Argo');
  assert.equal(coloured[8], 'Images:          shop/app:1.0 (\x1b[32mstable\x1b[0m)');
  assert.equal(coloured.at(-1), '   └──⧉ \x1b[32mdemo-c1\x1b[0m  ReplicaSet  \x1b[32m✔\x1b[0m Healthy  59m  \x1b[32mstable\x1b[0m');
});

test('get rollout › a rollout without ReplicaSets yet', () => {
  const rollout = aRollout().build();
  rollout.metadata!.creationTimestamp = '2026-01-01T00:59:30Z';
  assert.deepEqual(renderRolloutTree(rollout, [], [], [], { now: NOW }).slice(-3), ['', 'NAME    KIND     STATUS         AGE  INFO', '⟳ demo  Rollout  ◌ Progressing  30s']);
  assert.equal(renderRolloutTree(rollout, [], [], [], { now: NOW })[3], 'Message:         more replicas need to be updated');
  assert.equal(renderRolloutTree(rollout, [], [], [], { now: NOW })[5], '  Step:          -');
});

test('weights › SetWeight follows the last setWeight at or before the step; 0 when aborted; max when done', () => {
  const rollout = canary();
  rollout.status!.currentStepIndex = 2;
  assert.equal(currentSetWeight(rollout), 25);
  rollout.status!.abort = true;
  assert.equal(currentSetWeight(rollout), 0);
  rollout.status!.abort = false;
  rollout.status!.currentStepIndex = 3;
  assert.equal(currentSetWeight(rollout), 100);
});

test('weights › ActualWeight: canary share of available pods, or the router weight, or max when done', () => {
  const rollout = canary();
  const infos = replicaSetInfos(rollout, canaryReplicaSets(), []);
  assert.equal(actualWeight(rollout, infos), 25, '1 of 4 available pods');
  rollout.spec.strategy!.canary!.trafficRouting = { nginx: { stableIngress: 'web' } } as never;
  assert.equal(actualWeight(rollout, infos), 25, 'no router weights yet: SetWeight');
  rollout.status!.canary = { weights: { canary: { weight: 10 }, stable: { weight: 90 } } };
  assert.equal(actualWeight(rollout, infos), 10);
  rollout.status!.currentStepIndex = 3;
  assert.equal(actualWeight(rollout, infos), 100);
});

test('images › only ReplicaSets with pods, tags merged per image', () => {
  const rollout = canary();
  rollout.status!.currentPodHash = 'c1';
  const sets = [rs('c1', 1, 'same:1', 3, '2026-01-01T00:00:00Z'), rs('c2', 2, 'same:1', 1, '2026-01-01T00:00:00Z'), rs('c3', 3, 'gone:1', 0, '2026-01-01T00:00:00Z')];
  assert.deepEqual(imagesWithTags(replicaSetInfos(rollout, sets, [])), [{ image: 'same:1', tags: ['stable'] }]);
});
