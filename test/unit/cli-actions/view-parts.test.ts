import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignColumns, humanDuration, podSummary, replicaSetHealth, visibleWidth, type PodView } from '../../../functions/cli/index.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const durations: Array<[number, string]> = [
  [-2 * S, '<invalid>'],
  [-S, '0s'],
  [0, '0s'],
  [119 * S, '119s'],
  [2 * M, '2m'],
  [7 * M + 5 * S, '7m5s'],
  [10 * M, '10m'],
  [179 * M, '179m'],
  [3 * H, '3h'],
  [7 * H + 59 * M, '7h59m'],
  [8 * H, '8h'],
  [47 * H, '47h'],
  [2 * D, '2d'],
  [7 * D + 23 * H, '7d23h'],
  [8 * D, '8d'],
  [729 * D, '729d'],
  [2 * 365 * D + 3 * D, '2y3d'],
  [9 * 365 * D, '9y'],
];
for (const [ms, text] of durations) {
  test(`humanDuration › ${ms} ms is ${text}`, () => assert.equal(humanDuration(ms), text));
}

const running = { ready: true, restartCount: 0, state: { running: { startedAt: 'x' } } };
const pods: Array<[string, PodView, string, string, number]> = [
  ['running and ready', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [running] } }, 'Running', '1/1', 0],
  ['pending, not scheduled', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending' } }, 'Pending', '0/1', 0],
  ['creating', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } } }] } }, 'ContainerCreating', '0/1', 0],
  ['crash looping, restarts counted', { spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status: { phase: 'Running', containerStatuses: [running, { restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }, 'CrashLoopBackOff', '1/2', 4],
  ['running but not ready', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [{ ready: false, state: { running: {} } }] } }, 'Running', '0/1', 0],
  ['exited without reason', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 3 } } }] } }, 'ExitCode:3', '0/1', 0],
  ['killed by a signal', { spec: { containers: [{ name: 'a' }] }, status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }] } }, 'Signal:9', '0/1', 0],
  ['init container running', { spec: { initContainers: [{ name: 'i' }, { name: 'j' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 0 } } }, { state: { running: {} } }] } }, 'Init:1/2', '0/1', 0],
  ['init container failing', { spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [{ restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }, 'Init:CrashLoopBackOff', '0/1', 2],
  ['ready sidecar does not hold the pod in Init', { spec: { initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] }, status: { phase: 'Running', initContainerStatuses: [{ name: 's', started: true, ready: true, state: { running: {} } }], containerStatuses: [running] } }, 'Running', '1/1', 0],
  ['terminating', { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [running] } }, 'Terminating', '1/1', 0],
  ['node lost while terminating', { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', reason: 'NodeLost' } }, 'Unknown', '0/1', 0],
  ['completed with one container still running shows Running', { spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status: { phase: 'Running', containerStatuses: [running, { state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }, 'Running', '1/2', 0],
];
for (const [name, pod, status, ready, restarts] of pods) {
  test(`podSummary › ${name}`, () => assert.deepEqual(podSummary(pod), { status, ready, restarts }));
}

const replicaSets: Array<[string, Parameters<typeof replicaSetHealth>[0], string]> = [
  ['all available', { metadata: { generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, availableReplicas: 3 } }, 'Healthy'],
  ['not yet observed', { metadata: { generation: 3 }, spec: { replicas: 3 }, status: { observedGeneration: 2, availableReplicas: 3 } }, 'Progressing'],
  ['pods still coming', { metadata: { generation: 1 }, spec: { replicas: 3 }, status: { observedGeneration: 1, availableReplicas: 1 } }, 'Progressing'],
  ['scaled to zero', { metadata: { generation: 1 }, spec: { replicas: 0 }, status: { observedGeneration: 1 } }, 'ScaledDown'],
  ['replica failure', { metadata: { generation: 1 }, spec: { replicas: 3 }, status: { observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'True' }] } }, 'ReplicaFailure'],
];
for (const [name, rs, health] of replicaSets) {
  test(`replicaSetHealth › ${name}`, () => assert.equal(replicaSetHealth(rs), health));
}

test('alignColumns › pads every cell but the last to its column, ignoring colour codes', () => {
  assert.deepEqual(
    alignColumns([
      ['NAME', 'KIND', 'INFO'],
      ['\x1b[32mab\x1b[0m', 'Pod', ''],
      ['abcdef', 'ReplicaSet', 'x,y'],
    ]),
    ['NAME    KIND        INFO', '\x1b[32mab\x1b[0m      Pod', 'abcdef  ReplicaSet  x,y'],
  );
});

test('visibleWidth › counts code points, not UTF-16 units or escapes', () => {
  assert.equal(visibleWidth('⟳ ॥ \x1b[94m◌\x1b[0m'), 5);
});
