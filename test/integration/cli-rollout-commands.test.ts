// The rollout commands against the real API server: each command runs in-process (its `run`
// with a capturing IO), and the test reads back exactly which spec and status fields changed.
// No controller runs here; statuses are written by the test through /status, as a controller
// would.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../controller/kube/client.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import type { Command } from '../../controller/cli/command.ts';
import type { CliIO } from '../../controller/cli/rollout-commands/cli-io.ts';
import { Pods, ReplicaSets, Rollouts } from '../../controller/cli/rollout-commands/resources.ts';
import { abortCommand } from '../../controller/cli/rollout-commands/abort.ts';
import { getCommand } from '../../controller/cli/rollout-commands/get.ts';
import { pauseCommand } from '../../controller/cli/rollout-commands/pause.ts';
import { promoteCommand } from '../../controller/cli/rollout-commands/promote.ts';
import { restartCommand } from '../../controller/cli/rollout-commands/restart.ts';
import { resumeCommand } from '../../controller/cli/rollout-commands/resume.ts';
import { retryCommand } from '../../controller/cli/rollout-commands/retry.ts';
import { setCommand } from '../../controller/cli/rollout-commands/set-image.ts';
import { statusCommand } from '../../controller/cli/rollout-commands/status.ts';
import { undoCommand } from '../../controller/cli/rollout-commands/undo.ts';
import type { Rollout, RolloutStatus } from '../../functions/api/index.ts';
import { aRollout, canaryAbortedStatus, canaryPausedStatus } from '../fixtures/index.ts';
import { kubeConfig, kubeconfigPath } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitFor } from './helpers/wait-for.ts';

before(async () => {
  await installCrds();
});

let cachedClient: KubeClient | undefined;
function api(): KubeClient {
  cachedClient ??= new KubeClient({ kubeConfig: kubeConfig(), userAgent: 'ramp-integration-tests' });
  return cachedClient;
}

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** Starts a command; `stdout`/`stderr` fill while it runs, `done` resolves with its exit code. */
function start(command: Command, namespace: string, args: string[], extra: Partial<CliIO> = {}): Run & { done: Promise<number> } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIO = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), isTTY: false, ...extra };
  const done = command.run([...args, '-n', namespace, '--kubeconfig', kubeconfigPath()], io);
  return { code: -1, stdout, stderr, done };
}

async function run(command: Command, namespace: string, args: string[], extra: Partial<CliIO> = {}): Promise<Run> {
  const started = start(command, namespace, args, extra);
  const code = await started.done;
  return { code, stdout: started.stdout, stderr: started.stderr };
}

async function create(namespace: string, rollout: Rollout, status?: RolloutStatus): Promise<Rollout> {
  const { status: _ignored, ...body } = rollout;
  const created = await api().request<Rollout>({ method: 'POST', path: resourcePath(Rollouts, namespace), body: { ...body, metadata: { ...body.metadata, namespace } } });
  if (status === undefined) return created;
  return writeStatus(namespace, created.metadata!.name!, { observedGeneration: String(created.metadata!.generation), ...status });
}

/** A merge patch of /status, as a controller writes status. */
function writeStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<Rollout> {
  return api().request<Rollout>({ method: 'PATCH', path: resourcePath(Rollouts, namespace, name, 'status'), body: { status }, patchType: 'merge' });
}

function read(namespace: string, name: string): Promise<Rollout> {
  return api().request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, namespace, name) });
}

function stepsRollout(): Rollout {
  return aRollout().withCanarySteps([{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '1h' } }]).build();
}

test('promote › a canary paused at a step and by spec: pause conditions cleared via /status, spec.paused false, step index kept', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, aRollout().withSpec({ paused: true }).withCanarySteps([{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }]).build(), canaryPausedStatus());
  const before = await read(ns, 'demo');

  const result = await run(promoteCommand, ns, ['demo']);
  assert.deepEqual(result, { code: 0, stdout: ["rollout 'demo' promoted"], stderr: [] });

  const after = await read(ns, 'demo');
  assert.equal(after.spec.paused, false);
  assert.equal(after.status?.pauseConditions, undefined, 'pauseConditions removed');
  assert.equal(after.status?.currentStepIndex, 1, 'no step skipped while a pause condition was cleared');
  assert.equal(after.status?.controllerPause, true, 'controllerPause is the controller\'s to reset');
  assert.equal(after.metadata?.generation, (before.metadata?.generation ?? 0) + 1, 'the spec change bumped the generation');
  const { pauseConditions: _p, ...restBefore } = before.status!;
  assert.deepEqual(after.status, restBefore, 'no other status field changed');
});

test('promote › a canary between pauses: skips the current step; again at the end: refused, exit 1', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, stepsRollout(), { currentStepIndex: 2, currentPodHash: 'new', stableRS: 'old' });

  assert.equal((await run(promoteCommand, ns, ['demo'])).code, 0);
  assert.equal((await read(ns, 'demo')).status?.currentStepIndex, 3);
  assert.equal((await run(promoteCommand, ns, ['demo'])).code, 0);
  assert.equal((await read(ns, 'demo')).status?.currentStepIndex, 4);

  const refused = await run(promoteCommand, ns, ['demo']);
  assert.equal(refused.code, 1);
  assert.deepEqual(refused.stderr, ["ramp promote: nothing to promote: rollout 'demo' has completed all 4 steps and is not paused (to skip analysis and pauses to the end, use --full)"]);
  assert.equal((await read(ns, 'demo')).status?.currentStepIndex, 4);
});

test('promote --full › sets status.promoteFull, nothing else', async (t) => {
  const ns = await withNamespace(t);
  const before = await create(ns, stepsRollout(), canaryPausedStatus());
  const result = await run(promoteCommand, ns, ['demo', '--full']);
  assert.deepEqual(result.stdout, ["rollout 'demo' fully promoted"]);
  const after = await read(ns, 'demo');
  assert.deepEqual(after.status, { ...before.status, promoteFull: true });
  assert.deepEqual(after.spec, before.spec);
});

test('abort and retry › status.abort true, then false, through /status', async (t) => {
  const ns = await withNamespace(t);
  const before = await create(ns, stepsRollout(), canaryPausedStatus());

  assert.deepEqual(await run(abortCommand, ns, ['demo']), { code: 0, stdout: ["rollout 'demo' aborted"], stderr: [] });
  const aborted = await read(ns, 'demo');
  assert.deepEqual(aborted.status, { ...before.status, abort: true });
  assert.equal(aborted.metadata?.generation, before.metadata?.generation);

  assert.deepEqual(await run(retryCommand, ns, ['rollout', 'demo']), { code: 0, stdout: ["rollout 'demo' retried"], stderr: [] });
  assert.deepEqual((await read(ns, 'demo')).status, { ...before.status, abort: false });
});

test('abort › several rollouts at once; a missing one exits 1 and the others are still aborted', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, aRollout().named('one').build(), canaryPausedStatus());
  await create(ns, aRollout().named('two').build(), canaryPausedStatus());
  const result = await run(abortCommand, ns, ['one', 'missing', 'two']);
  assert.equal(result.code, 1);
  assert.deepEqual(result.stdout, ["rollout 'one' aborted", "rollout 'two' aborted"]);
  assert.deepEqual(result.stderr, [`ramp abort: rollout 'missing' not found in namespace '${ns}'`]);
  assert.equal((await read(ns, 'one')).status?.abort, true);
  assert.equal((await read(ns, 'two')).status?.abort, true);
});

test('pause and resume › spec.paused true; resume clears it and the pause conditions, never the step', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, stepsRollout(), canaryPausedStatus());

  assert.deepEqual((await run(pauseCommand, ns, ['demo'])).stdout, ["rollout 'demo' paused"]);
  const paused = await read(ns, 'demo');
  assert.equal(paused.spec.paused, true);
  assert.equal(paused.status?.pauseConditions?.length, 1);

  assert.deepEqual((await run(resumeCommand, ns, ['demo'])).stdout, ["rollout 'demo' resumed"]);
  const resumed = await read(ns, 'demo');
  assert.equal(resumed.spec.paused, false);
  assert.equal(resumed.status?.pauseConditions, undefined);
  assert.equal(resumed.status?.currentStepIndex, 1);

  assert.deepEqual(await run(resumeCommand, ns, ['demo']), { code: 0, stdout: ["rollout 'demo' is not paused; nothing to resume"], stderr: [] });
});

test('restart › spec.restartAt is now (UTC, seconds), or later with --in', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, aRollout().build());
  const now = new Date('2030-05-06T07:08:09.456Z');
  assert.deepEqual((await run(restartCommand, ns, ['demo'], { now: () => now })).stdout, ["rollout 'demo' restarts now"]);
  assert.equal((await read(ns, 'demo')).spec.restartAt, '2030-05-06T07:08:09Z');
  assert.equal((await run(restartCommand, ns, ['demo', '--in', '1m30s'], { now: () => now })).code, 0);
  assert.equal((await read(ns, 'demo')).spec.restartAt, '2030-05-06T07:09:39Z');
});

test('set image › changes the named container only; an unknown container exits 1 and writes nothing', async (t) => {
  const ns = await withNamespace(t);
  const rollout = aRollout().build();
  rollout.spec.template!.spec!.containers.push({ name: 'sidecar', image: 'proxy:1' });
  rollout.spec.template!.spec!.initContainers = [{ name: 'migrate', image: 'tools:1' }];
  const before = await create(ns, rollout);

  const result = await run(setCommand, ns, ['image', 'demo', 'app=registry.example/demo:2.0', 'migrate=tools:2']);
  assert.equal(result.code, 0, result.stderr.join('\n'));
  assert.match(result.stdout[0]!, /^rollout 'demo' image updated/);
  const after = await read(ns, 'demo');
  assert.deepEqual(
    after.spec.template?.spec?.containers.map((c) => [c.name, c.image]),
    [
      ['app', 'registry.example/demo:2.0'],
      ['sidecar', 'proxy:1'],
    ],
  );
  assert.deepEqual(after.spec.template?.spec?.initContainers?.map((c) => c.image), ['tools:2']);
  assert.equal(after.metadata?.generation, (before.metadata?.generation ?? 0) + 1);

  const unknown = await run(setCommand, ns, ['image', 'demo', 'web=x:1']);
  assert.equal(unknown.code, 1);
  assert.deepEqual(unknown.stderr, [`ramp set image: rollout 'demo' has no container named "web" (containers: migrate (initContainers), app, sidecar)`]);
  assert.equal((await read(ns, 'demo')).metadata?.resourceVersion, after.metadata?.resourceVersion, 'nothing written');
});

async function createReplicaSet(ns: string, owner: Rollout, hash: string, revision: number, image: string, replicas: number): Promise<void> {
  const labels = { app: 'demo', 'rollouts-pod-template-hash': hash };
  await api().request({
    method: 'POST',
    path: resourcePath(ReplicaSets, ns),
    body: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `demo-${hash}`,
        labels,
        annotations: { 'rollout.argoproj.io/revision': String(revision) },
        ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'app', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
      },
    },
  });
}

test('undo › the previous revision\'s template comes back without the hash label; a missing revision exits 1', async (t) => {
  const ns = await withNamespace(t);
  const rollout = await create(ns, aRollout().withImage('app:3').build());
  await createReplicaSet(ns, rollout, 'aaa111', 1, 'app:1', 0);
  await createReplicaSet(ns, rollout, 'bbb222', 2, 'app:2', 0);
  await createReplicaSet(ns, rollout, 'ccc333', 3, 'app:3', 0);

  const result = await run(undoCommand, ns, ['demo']);
  assert.deepEqual(result, { code: 0, stdout: ["rollout 'demo' undo: pod template of revision 2 (ReplicaSet demo-bbb222) restored"], stderr: [] });
  let after = await read(ns, 'demo');
  assert.equal(after.spec.template?.spec?.containers[0]?.image, 'app:2');
  assert.deepEqual(after.spec.template?.metadata?.labels, { app: 'demo' });

  assert.equal((await run(undoCommand, ns, ['demo', '--to-revision', '1'])).code, 0);
  after = await read(ns, 'demo');
  assert.equal(after.spec.template?.spec?.containers[0]?.image, 'app:1');

  const again = await run(undoCommand, ns, ['demo', '--to-revision', '1']);
  assert.deepEqual(again.stdout, ['skipped rollback (current template already matches revision 1)']);
  assert.equal((await read(ns, 'demo')).metadata?.resourceVersion, after.metadata?.resourceVersion);

  const missing = await run(undoCommand, ns, ['demo', '--to-revision', '9']);
  assert.equal(missing.code, 1);
  assert.deepEqual(missing.stderr, ["ramp undo: revision 9 not found in the history of rollout 'demo' (revisions: 1, 2, 3)"]);
});

test('every action › a rollout that does not exist exits 1 naming it and the namespace', async (t) => {
  const ns = await withNamespace(t);
  for (const [command, args] of [
    [promoteCommand, ['nope']],
    [abortCommand, ['nope']],
    [retryCommand, ['nope']],
    [pauseCommand, ['nope']],
    [resumeCommand, ['nope']],
    [restartCommand, ['nope']],
    [setCommand, ['image', 'nope', 'app=x:1']],
    [undoCommand, ['nope']],
    [statusCommand, ['nope']],
    [getCommand, ['rollout', 'nope']],
  ] as const) {
    const result = await run(command, ns, [...args]);
    assert.equal(result.code, 1, command.name);
    assert.match(result.stderr.join('\n'), new RegExp(`rollout 'nope' not found in namespace '${ns}'`), command.name);
  }
});

test('status › Degraded exits 1 with its message; Healthy exits 0', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, aRollout().named('broken').build(), canaryAbortedStatus());
  const degraded = await run(statusCommand, ns, ['broken']);
  assert.deepEqual(degraded, {
    code: 1,
    stdout: ['Degraded - RolloutAborted: Rollout aborted update to revision 2'],
    stderr: ['ramp status: the rollout is in a degraded state with message: RolloutAborted: Rollout aborted update to revision 2'],
  });

  await create(ns, aRollout().named('fine').build(), { phase: 'Healthy', currentPodHash: 'a', stableRS: 'a', replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  assert.deepEqual(await run(statusCommand, ns, ['fine']), { code: 0, stdout: ['Healthy'], stderr: [] });
  assert.deepEqual(await run(statusCommand, ns, ['fine', '--watch=false']), { code: 0, stdout: ['Healthy'], stderr: [] });
});

test('status › --timeout on a Progressing rollout exits 1; --watch=false prints once and exits 0', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, aRollout().build(), { phase: 'Progressing', message: 'more replicas need to be updated' });
  const once = await run(statusCommand, ns, ['demo', '--watch=false']);
  assert.deepEqual(once, { code: 0, stdout: ['Progressing - more replicas need to be updated'], stderr: [] });

  const timedOut = await run(statusCommand, ns, ['demo', '--timeout', '2s']);
  assert.equal(timedOut.code, 1);
  assert.deepEqual(timedOut.stdout, ['Progressing - more replicas need to be updated']);
  assert.deepEqual(timedOut.stderr, ["ramp status: rollout 'demo' is not Healthy after 2s (--timeout): Progressing - more replicas need to be updated"]);
});

test('status › watches the rollout until it turns Healthy, printing each new status', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, aRollout().build(), canaryPausedStatus());
  const watching = start(statusCommand, ns, ['demo', '--timeout', '60s']);
  const printed = (n: number) => waitFor(() => watching.stdout.length >= n, { what: `${n} status lines, have ${JSON.stringify(watching.stdout)}` });
  await printed(1);
  await writeStatus(ns, 'demo', { phase: 'Progressing', message: 'waiting for all steps to complete', pauseConditions: null, controllerPause: null });
  await printed(2);
  await writeStatus(ns, 'demo', { phase: 'Healthy', message: null });
  const result = { code: await watching.done, stdout: watching.stdout, stderr: watching.stderr };
  assert.deepEqual(result, { code: 0, stdout: ['Paused - CanaryPauseStep', 'Progressing - waiting for all steps to complete', 'Healthy'], stderr: [] });
});

test('status › a spec change the controller has not observed yet reads as Progressing', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, aRollout().build(), { phase: 'Healthy' });
  assert.equal((await run(pauseCommand, ns, ['demo'])).code, 0);
  assert.deepEqual((await run(statusCommand, ns, ['demo', '--watch=false'])).stdout, ['Progressing - waiting for rollout spec update to be observed']);
});

test('get rollout › shows the revisions, ReplicaSets and the pods the cluster runs for them', async (t) => {
  const ns = await withNamespace(t);
  const rollout = await create(ns, aRollout().withReplicas(2).build(), {
    ...canaryPausedStatus(),
    currentPodHash: 'bbb222',
    stableRS: 'aaa111',
    replicas: 3,
    updatedReplicas: 1,
    readyReplicas: 3,
    availableReplicas: 3,
  });
  await createReplicaSet(ns, rollout, 'aaa111', 1, 'app:1', 2);
  await createReplicaSet(ns, rollout, 'bbb222', 2, 'app:2', 1);
  await waitFor(
    async () => {
      const pods = await api().request<{ items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }> }>({ method: 'GET', path: resourcePath(Pods, ns) });
      return pods.items.length === 3 && pods.items.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    },
    { what: '3 Ready pods of the two ReplicaSets', timeoutMs: 60_000 },
  );

  const result = await run(getCommand, ns, ['rollout', 'demo']);
  assert.equal(result.code, 0, result.stderr.join('\n'));
  const text = result.stdout.join('\n');
  assert.deepEqual(result.stdout.slice(0, 12), [
    'Name:            demo',
    `Namespace:       ${ns}`,
    'Status:          ॥ Paused',
    'Message:         CanaryPauseStep',
    'Strategy:        Canary',
    '  Step:          1/2',
    '  SetWeight:     20',
    '  ActualWeight:  33',
    'Images:          app:1 (stable)',
    '                 app:2 (canary)',
    'Replicas:',
    '  Desired:       2',
  ]);
  assert.match(text, /├──# revision:2\n│  └──⧉ demo-bbb222 +ReplicaSet +✔ Healthy +\S+ +canary\n│     └──□ demo-bbb222-\w+ +Pod +✔ Running +\S+ +ready:1\/1\n└──# revision:1\n   └──⧉ demo-aaa111 +ReplicaSet +✔ Healthy +\S+ +stable\n      ├──□ demo-aaa111-\w+ +Pod +✔ Running +\S+ +ready:1\/1\n      └──□ demo-aaa111-\w+ +Pod +✔ Running +\S+ +ready:1\/1$/);

  // --watch off a terminal prints the view once (nothing changes) until the timeout ends it.
  const watched = await run(getCommand, ns, ['rollout', 'demo', '--watch', '--timeout-seconds', '2', '--interval', '200ms']);
  assert.equal(watched.code, 0);
  assert.equal(watched.stdout.filter((l) => l.startsWith('Name:')).length, 1);
});

test('get rollout --watch › a new status shows up as a new frame; Ctrl-C (the signal) ends it with exit 0', async (t) => {
  const ns = await withNamespace(t);
  await create(ns, aRollout().build(), canaryPausedStatus());
  const controller = new AbortController();
  const watching = start(getCommand, ns, ['rollout', 'demo', '--watch', '--interval', '200ms'], { signal: controller.signal });
  const statuses = () => watching.stdout.filter((l) => l.startsWith('Status:'));
  await waitFor(() => statuses().length === 1, { what: 'the first frame' });
  await writeStatus(ns, 'demo', { phase: 'Degraded', message: 'RolloutAborted: stopped', pauseConditions: null, controllerPause: null, abort: true });
  await waitFor(() => statuses().length === 2, { what: `a second frame, have ${JSON.stringify(watching.stdout)}` });
  controller.abort();
  const result = { code: await watching.done, stdout: watching.stdout };
  assert.equal(result.code, 0);
  assert.deepEqual(statuses(), ['Status:          ॥ Paused', 'Status:          ✖ Degraded']);
});
