// The controller, in-process against the local control plane, scoped to the test's namespace:
// a new Rollout becomes Healthy with one fully scaled ReplicaSet; an image change runs a canary
// step and pauses; a fresh controller picks the paused rollout up; a promote completes it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { MANAGED_BY_ROLLOUTS_ANNOTATION, POD_TEMPLATE_HASH_LABEL, type Rollout } from '../../functions/api/index.ts';
import { startController, type ControllerOptions, type RunningController } from '../../controller/app/start.ts';
import { KubeClient } from '../../controller/kube/client.ts';
import { resourcePath } from '../../controller/kube/resource.ts';
import { ReplicaSets, Rollouts, Services } from '../../controller/rollouts/resources.ts';
import type { ReplicaSetObject, ServiceObject } from '../../controller/rollouts/snapshot.ts';
import { aRollout } from '../fixtures/rollout.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { installCrds } from './helpers/crds.ts';
import { withNamespace } from './helpers/namespace.ts';
import { waitUntil } from './helpers/wait-for.ts';
import { testControllerLogger as testLogger } from './helpers/controller-logger.ts';

interface List<T> {
  items: T[];
}
interface Pod extends KubernetesObject {
  status?: { conditions?: Array<{ type: string; status: string }> };
}

const client = new KubeClient({ kubeConfig: kubeConfig() });

function startTestController(t: TestContext, ns: string, extra: Partial<ControllerOptions> = {}): RunningController {
  const running = startController({ client, namespace: ns, resync: '*/2 * * * * *', drainTimeoutMs: 5_000, logger: testLogger(ns), ...extra });
  t.after(() => running.stop());
  return running;
}

const getRollout = (ns: string, name: string) => client.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, ns, name) });
const replicaSets = async (ns: string) => (await client.request<List<ReplicaSetObject>>({ method: 'GET', path: resourcePath(ReplicaSets, ns) })).items;
const pods = async (ns: string, selector: string) =>
  (await client.request<List<Pod>>({ method: 'GET', path: resourcePath({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true }, ns), query: { labelSelector: selector } })).items;
const readyPods = async (ns: string, selector: string) =>
  (await pods(ns, selector)).filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;

interface CoreEvent {
  reason?: string;
  source?: { component?: string };
  involvedObject?: { uid?: string; kind?: string; name?: string };
}
const rolloutEvents = async (ns: string, name: string) =>
  (
    await client.request<List<CoreEvent>>({
      method: 'GET',
      path: resourcePath({ group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true }, ns),
      query: { fieldSelector: `involvedObject.kind=Rollout,involvedObject.name=${name}` },
    })
  ).items;

function describeRs(list: ReplicaSetObject[]): string {
  return list.map((rs) => `${rs.metadata?.name}: spec ${rs.spec?.replicas} ready ${rs.status?.readyReplicas ?? 0}`).join('; ') || 'no ReplicaSets';
}

async function createService(ns: string, name: string, app: string): Promise<void> {
  await client.request({
    method: 'POST',
    path: resourcePath(Services, ns),
    body: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] } },
  });
}

async function waitHealthy(ns: string, name: string, what: string): Promise<Rollout> {
  let last: Rollout | undefined;
  await waitUntil(
    async () => {
      last = await getRollout(ns, name);
      const s = last.status;
      if (s?.phase !== 'Healthy') return `phase ${s?.phase} (${s?.message ?? ''}); ${describeRs(await replicaSets(ns))}`;
      if (s.observedGeneration !== String(last.metadata?.generation)) return `observedGeneration ${s.observedGeneration} vs generation ${last.metadata?.generation}`;
      return true;
    },
    { what, timeoutMs: 60_000 },
  );
  return last!;
}

test('controller › a new Rollout gets one fully scaled ReplicaSet with Ready pods and a Healthy status', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  startTestController(t, ns);
  const rollout = aRollout().named('web').inNamespace(ns).withReplicas(3).withCanarySteps([{ setWeight: 50 }, { pause: {} }]).build();
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });

  const healthy = await waitHealthy(ns, 'web', 'Rollout web to become Healthy');
  const status = healthy.status!;
  const rsList = await replicaSets(ns);
  assert.equal(rsList.length, 1, describeRs(rsList));
  const rs = rsList[0]!;
  const hash = rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
  assert.ok(hash, 'the ReplicaSet carries the pod-template-hash label');
  assert.equal(rs.metadata?.name, `web-${hash}`);
  assert.equal(rs.spec?.replicas, 3);
  assert.equal(rs.metadata?.ownerReferences?.[0]?.kind, 'Rollout');
  assert.equal(rs.metadata?.ownerReferences?.[0]?.uid, healthy.metadata?.uid);
  assert.equal(rs.metadata?.annotations?.['rollout.argoproj.io/revision'], '1');
  assert.equal(await readyPods(ns, `app=web,${POD_TEMPLATE_HASH_LABEL}=${hash}`), 3);

  assert.equal(status.phase, 'Healthy');
  assert.equal(status.observedGeneration, '1');
  assert.equal(typeof status.observedGeneration, 'string');
  assert.equal(status.currentPodHash, hash);
  assert.equal(status.stableRS, hash);
  assert.equal(status.replicas, 3);
  assert.equal(status.updatedReplicas, 3);
  assert.equal(status.readyReplicas, 3);
  assert.equal(status.availableReplicas, 3);
  assert.equal(status.currentStepIndex, 2, 'an initial deploy skips the steps');
  assert.equal(status.selector, 'app=web');
  // No Paused condition: it appears only once a rollout has been paused (reference Appendix B).
  assert.deepEqual(
    Object.fromEntries((status.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}`])),
    { Available: 'True AvailableReason', Completed: 'True RolloutCompleted', Healthy: 'True RolloutHealthy', Progressing: 'True NewReplicaSetAvailable' },
  );
  assert.equal(healthy.metadata?.annotations?.['rollout.argoproj.io/revision'], '1');

  // The decision's events are recorded on the Rollout, from Argo's component.
  await waitUntil(
    async () => {
      const reasons = (await rolloutEvents(ns, 'web')).map((e) => e.reason);
      return (reasons.includes('NewReplicaSetCreated') && reasons.includes('RolloutCompleted')) || `events: ${reasons.join(', ')}`;
    },
    { what: 'NewReplicaSetCreated and RolloutCompleted events on the Rollout' },
  );
  const created = (await rolloutEvents(ns, 'web')).find((e) => e.reason === 'NewReplicaSetCreated')!;
  assert.equal(created.source?.component, 'rollouts-controller');
  assert.equal(created.involvedObject?.uid, healthy.metadata?.uid);
});

test('controller › a ReplicaSet created beforehand with the same template is adopted with its hash; its pods are untouched', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  const rollout = aRollout().named('web').inNamespace(ns).withReplicas(2).withCanarySteps([{ setWeight: 50 }, { pause: {} }]).build();
  // What Argo Rollouts left behind (its hash, not ours), before its owner reference was removed.
  const argoHash = '7c9d6f5b48';
  const template = structuredClone(rollout.spec.template!);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: argoHash } };
  await client.request({
    method: 'POST',
    path: resourcePath(ReplicaSets, ns),
    body: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `web-${argoHash}`, namespace: ns, labels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: argoHash }, annotations: { 'rollout.argoproj.io/revision': '3' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: argoHash } }, template },
    },
  });
  const selector = `app=web,${POD_TEMPLATE_HASH_LABEL}=${argoHash}`;
  await waitUntil(async () => (await readyPods(ns, selector)) === 2 || `${await readyPods(ns, selector)} Ready`, { what: 'the pre-existing pods to be Ready' });
  const podsBefore = (await pods(ns, selector)).map((p) => p.metadata?.uid).sort();

  startTestController(t, ns);
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  const healthy = await waitHealthy(ns, 'web', 'the Rollout to adopt and become Healthy');
  assert.equal(healthy.status?.currentPodHash, argoHash);
  assert.equal(healthy.status?.stableRS, argoHash);
  const list = await replicaSets(ns);
  assert.equal(list.length, 1, describeRs(list));
  const adopted = list[0]!;
  assert.equal(adopted.metadata?.name, `web-${argoHash}`);
  assert.equal(adopted.metadata?.ownerReferences?.find((r) => r.controller)?.uid, healthy.metadata?.uid);
  assert.deepEqual((await pods(ns, selector)).map((p) => p.metadata?.uid).sort(), podsBefore, 'the same pods: none restarted');
});

test('controller › an image change with steps [setWeight 50, pause] scales canary and stable and pauses; a new controller resumes; promote completes', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  await createService(ns, 'web-stable', 'web');
  await createService(ns, 'web-canary', 'web');
  const lease = { namespace: ns, leaseName: 'argo-rollouts-controller-lock', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 500 };
  const first = startTestController(t, ns, { leaderElection: lease });
  const rollout = aRollout()
    .named('web')
    .inNamespace(ns)
    .withReplicas(4)
    .withCanarySteps([{ setWeight: 50 }, { pause: {} }], { stableService: 'web-stable', canaryService: 'web-canary' })
    .build();
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  const v1 = await waitHealthy(ns, 'web', 'revision 1 to become Healthy');
  const stableHash = v1.status!.stableRS!;

  // The Services point at the stable ReplicaSet and are marked as managed.
  const stableSvc = await client.request<ServiceObject>({ method: 'GET', path: resourcePath(Services, ns, 'web-stable') });
  assert.equal(stableSvc.spec?.selector?.[POD_TEMPLATE_HASH_LABEL], stableHash);
  assert.equal(stableSvc.metadata?.annotations?.[MANAGED_BY_ROLLOUTS_ANNOTATION], 'web');

  // Image change: canary 2, stable 2, then paused at step 1.
  await client.request({
    method: 'PATCH',
    path: resourcePath(Rollouts, ns, 'web'),
    patchType: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example/demo:2.0' }],
  });
  let paused: Rollout | undefined;
  await waitUntil(
    async () => {
      paused = await getRollout(ns, 'web');
      const s = paused.status;
      const list = await replicaSets(ns);
      const canary = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] !== stableHash);
      const stable = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === stableHash);
      const ok =
        s?.phase === 'Paused' &&
        s.currentStepIndex === 1 &&
        canary?.spec?.replicas === 2 &&
        canary.status?.readyReplicas === 2 &&
        stable?.spec?.replicas === 2 &&
        (stable.status?.replicas ?? 0) === 2;
      return ok || `phase ${s?.phase} step ${s?.currentStepIndex} (${s?.message ?? ''}); ${describeRs(list)}`;
    },
    { what: 'the canary to reach setWeight 50 and pause', timeoutMs: 90_000 },
  );
  const canaryHash = paused!.status!.currentPodHash!;
  assert.notEqual(canaryHash, stableHash);
  assert.equal(paused!.status!.stableRS, stableHash);
  assert.deepEqual(
    paused!.status!.pauseConditions?.map((p) => p.reason),
    ['CanaryPauseStep'],
  );
  assert.equal(paused!.status!.controllerPause, true);
  assert.equal((await replicaSets(ns)).length, 2);
  const canarySvc = await client.request<ServiceObject>({ method: 'GET', path: resourcePath(Services, ns, 'web-canary') });
  assert.equal(canarySvc.spec?.selector?.[POD_TEMPLATE_HASH_LABEL], canaryHash);

  // Restart: the first controller stops (releasing the Lease); a new one takes over and keeps
  // the rollout where it was — same step, no new ReplicaSet.
  assert.equal(await first.stop(), 'stopped');
  const second = startTestController(t, ns, { leaderElection: lease });
  await waitUntil(() => second.isRunning() || 'not running yet', { what: 'the second controller to lead', timeoutMs: 30_000 });
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // at least one resync pass of the new controller
  const afterRestart = await getRollout(ns, 'web');
  assert.equal(afterRestart.status?.phase, 'Paused');
  assert.equal(afterRestart.status?.currentStepIndex, 1);
  assert.equal(afterRestart.status?.currentPodHash, canaryHash);
  assert.equal((await replicaSets(ns)).length, 2, describeRs(await replicaSets(ns)));

  // Promote as `kubectl argo rollouts promote` does: clear the pause conditions on /status.
  await client.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web', 'status'), patchType: 'merge', body: { status: { pauseConditions: null } } });
  const done = await waitHealthy(ns, 'web', 'the promoted rollout to complete');
  assert.equal(done.status?.stableRS, canaryHash);
  assert.equal(done.status?.currentPodHash, canaryHash);
  assert.equal(done.status?.currentStepIndex, 2);
  assert.equal(done.status?.pauseConditions, undefined);
  assert.equal(done.status?.conditions?.find((c) => c.type === 'Paused')?.status, 'False', 'Paused False once it was paused');
  await waitUntil(
    async () => {
      const list = await replicaSets(ns);
      const canary = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === canaryHash);
      const old = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === stableHash);
      return (canary?.spec?.replicas === 4 && old?.spec?.replicas === 0) || describeRs(list);
    },
    { what: 'the new ReplicaSet at 4 and the old one at 0', timeoutMs: 30_000 },
  );
  const stableAfter = await client.request<ServiceObject>({ method: 'GET', path: resourcePath(Services, ns, 'web-stable') });
  assert.equal(stableAfter.spec?.selector?.[POD_TEMPLATE_HASH_LABEL], canaryHash);
});

test('controller › spec.restartAt restarts every pod through evictions and records status.restartedAt', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  startTestController(t, ns);
  const rollout = aRollout().named('web').inNamespace(ns).withReplicas(3).withCanarySteps([{ setWeight: 50 }, { pause: {} }]).build();
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: rollout });
  const healthy = await waitHealthy(ns, 'web', 'Rollout web to become Healthy');
  const selector = `app=web,${POD_TEMPLATE_HASH_LABEL}=${healthy.status!.stableRS}`;
  await waitUntil(async () => (await readyPods(ns, selector)) === 3 || `${await readyPods(ns, selector)} Ready`, { what: '3 Ready pods' });
  const before = new Set((await pods(ns, selector)).map((p) => p.metadata?.uid));

  // `kubectl argo rollouts restart`: spec.restartAt = now (second precision, UTC).
  const restartAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toISOString().replace('.000Z', 'Z');
  await client.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web'), patchType: 'merge', body: { spec: { restartAt } } });
  await waitUntil(
    async () => {
      const now = await pods(ns, selector);
      const live = now.filter((p) => !p.metadata?.deletionTimestamp);
      const restarted = live.filter((p) => !before.has(p.metadata?.uid)).length;
      const ro = await getRollout(ns, 'web');
      return (restarted === 3 && live.length === 3 && ro.status?.restartedAt === restartAt && ro.status?.phase === 'Healthy') ||
        `${restarted}/3 pods replaced, ${live.length} live; restartedAt ${ro.status?.restartedAt}; phase ${ro.status?.phase}`;
    },
    { what: 'every pod replaced and status.restartedAt recorded', timeoutMs: 90_000 },
  );
  assert.equal((await replicaSets(ns)).length, 1, 'a restart creates no ReplicaSet');
});

test('controller › canary of 5 with [setWeight 20, pause, setWeight 60, pause 5s]: abort returns to stable and reports Degraded; retry; promote --full completes', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  startTestController(t, ns);
  const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '5s' } }];
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: aRollout().named('web').inNamespace(ns).withReplicas(5).withCanarySteps(steps).build() });
  const stableHash = (await waitHealthy(ns, 'web', 'revision 1 Healthy')).status!.stableRS!;
  const setImage = (image: string) =>
    client.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web'), patchType: 'json', body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }] });
  const patchStatus = (status: Record<string, unknown>) => client.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web', 'status'), patchType: 'merge', body: { status } });
  const counts = async () => {
    const list = await replicaSets(ns);
    const stable = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === stableHash);
    const canary = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] !== stableHash);
    return { stable: stable?.spec?.replicas, canary: canary?.spec?.replicas, canaryReady: canary?.status?.readyReplicas ?? 0, text: describeRs(list) };
  };

  await setImage('registry.example/demo:2.0');
  await waitUntil(
    async () => {
      const s = (await getRollout(ns, 'web')).status;
      const c = await counts();
      return (s?.phase === 'Paused' && s.currentStepIndex === 1 && c.canary === 1 && c.stable === 4 && c.canaryReady === 1) || `phase ${s?.phase} step ${s?.currentStepIndex}; ${c.text}`;
    },
    { what: 'setWeight 20 of 5: canary 1, stable 4, paused', timeoutMs: 60_000 },
  );

  // Abort (kubectl argo rollouts abort): back to stable, Degraded, RolloutAborted.
  await patchStatus({ abort: true });
  await waitUntil(
    async () => {
      const s = (await getRollout(ns, 'web')).status;
      const c = await counts();
      const progressing = s?.conditions?.find((x) => x.type === 'Progressing');
      return (s?.phase === 'Degraded' && s.abort === true && progressing?.reason === 'RolloutAborted' && c.canary === 0 && c.stable === 5) ||
        `phase ${s?.phase} abort ${s?.abort} progressing ${progressing?.reason}; ${c.text}`;
    },
    { what: 'the aborted rollout back on stable and Degraded', timeoutMs: 60_000 },
  );
  const aborted = (await getRollout(ns, 'web')).status!;
  assert.equal(aborted.stableRS, stableHash);
  assert.ok(aborted.abortedAt, 'abortedAt recorded');

  // Retry (kubectl argo rollouts retry): the update starts over from the first step.
  await patchStatus({ abort: false });
  await waitUntil(
    async () => {
      const s = (await getRollout(ns, 'web')).status;
      const c = await counts();
      return (s?.phase === 'Paused' && s.currentStepIndex === 1 && !s.abort && c.canary === 1 && c.stable === 4) || `phase ${s?.phase} step ${s?.currentStepIndex} abort ${s?.abort}; ${c.text}`;
    },
    { what: 'the retried rollout paused at setWeight 20 again', timeoutMs: 60_000 },
  );

  // Promote --full: skip the remaining steps and pauses.
  await patchStatus({ promoteFull: true });
  const done = await waitHealthy(ns, 'web', 'promote --full to complete');
  assert.notEqual(done.status?.stableRS, stableHash);
  assert.equal(done.status?.promoteFull, undefined, 'promoteFull is cleared once stable is current');
  await waitUntil(async () => {
    const c = await counts();
    return (c.canary === 5 && c.stable === 0) || c.text;
  }, { what: 'new ReplicaSet at 5, old at 0', timeoutMs: 30_000 });
});

test('controller › promote at the first pause, then the timed pause ends on its own and the canary completes', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  // A slow resync: the end of the timed pause must come from the decision's wake-up.
  const running = startController({ client, namespace: ns, resync: '0 0 * * * *', drainTimeoutMs: 5_000, logger: testLogger(ns) });
  t.after(() => running.stop());
  const steps = [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: { duration: '5s' } }];
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: aRollout().named('web').inNamespace(ns).withReplicas(5).withCanarySteps(steps).build() });
  const stableHash = (await waitHealthy(ns, 'web', 'revision 1 Healthy')).status!.stableRS!;
  await client.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web'), patchType: 'json', body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example/demo:2.0' }] });
  await waitUntil(async () => (await getRollout(ns, 'web')).status?.currentStepIndex === 1 || 'not at step 1', { what: 'the first pause', timeoutMs: 60_000 });
  await client.request({ method: 'PATCH', path: resourcePath(Rollouts, ns, 'web', 'status'), patchType: 'merge', body: { status: { pauseConditions: null } } });

  // setWeight 60 of 5: canary 3, stable 2, then the 5 s pause.
  let pausedAt = 0;
  await waitUntil(
    async () => {
      const s = (await getRollout(ns, 'web')).status;
      const list = await replicaSets(ns);
      const canary = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] !== stableHash);
      const stable = list.find((rs) => rs.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === stableHash);
      const ok = s?.currentStepIndex === 3 && canary?.spec?.replicas === 3 && stable?.spec?.replicas === 2 && (s.pauseConditions ?? []).length === 1;
      if (ok) pausedAt = Date.parse(String(s!.pauseConditions![0]!.startTime));
      return ok || `step ${s?.currentStepIndex} phase ${s?.phase}; ${describeRs(list)}`;
    },
    { what: 'setWeight 60 reached and the timed pause started', timeoutMs: 60_000 },
  );
  const done = await waitHealthy(ns, 'web', 'the timed pause to end and the rollout to complete');
  assert.equal(done.status?.currentStepIndex, 4);
  assert.ok(Date.now() >= pausedAt + 5_000, 'not before the pause duration');
});

test('controller › --instance-id: a sharded controller reconciles only Rollouts labelled with its id', async (t) => {
  await installCrds();
  const ns = await withNamespace(t);
  startTestController(t, ns, { instanceId: 'blue' });
  const label = { 'argo-rollouts.argoproj.io/controller-instance-id': 'blue' };
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: aRollout().named('mine').inNamespace(ns).withLabels(label).withReplicas(1).build() });
  await client.request({ method: 'POST', path: resourcePath(Rollouts, ns), body: aRollout().named('unsharded').inNamespace(ns).withReplicas(1).build() });
  await waitHealthy(ns, 'mine', 'the labelled Rollout to become Healthy');
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // more than one resync pass
  assert.equal((await getRollout(ns, 'unsharded')).status, undefined, 'the unlabelled Rollout is left to the unsharded controller');
  assert.deepEqual(
    (await replicaSets(ns)).map((rs) => rs.metadata?.ownerReferences?.[0]?.name),
    ['mine'],
  );
});
