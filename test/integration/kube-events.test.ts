// Events recorded on a real object, as `kubectl describe` would show them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreV1Event, CoreV1EventList, V1ConfigMap } from '@kubernetes/client-node';
import { KubeClient } from '../../controller/kube/client.ts';
import { EventRecorder } from '../../controller/kube/events.ts';
import { ConfigMaps, CoreEvents, resourcePath } from '../../controller/kube/resource.ts';
import { kubeConfig } from './helpers/cluster.ts';
import { withNamespace } from './helpers/namespace.ts';

test('events › recorded on the involved object; repeats bump the count instead of piling up', async (t) => {
  const ns = await withNamespace(t);
  const c = new KubeClient({ kubeConfig: kubeConfig() });
  const cm = await c.request<V1ConfigMap>({
    method: 'POST',
    path: resourcePath(ConfigMaps, ns),
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'subject' } },
  });
  const recorder = new EventRecorder({ client: c, host: 'test-host' });
  const subject = { ...cm, apiVersion: 'v1', kind: 'ConfigMap' };
  await recorder.normal(subject, 'RolloutUpdated', 'Rollout updated to revision 2');
  await recorder.normal(subject, 'RolloutUpdated', 'Rollout updated to revision 2');
  await recorder.normal(subject, 'RolloutUpdated', 'Rollout updated to revision 2');
  await recorder.warning(subject, 'ReconciliationError', 'token=abc123 rejected');
  await recorder.flush();

  const list = await c.request<CoreV1EventList>({
    method: 'GET',
    path: resourcePath(CoreEvents, ns),
    query: { fieldSelector: `involvedObject.name=subject,involvedObject.kind=ConfigMap` },
  });
  const byReason = new Map<string, CoreV1Event[]>();
  for (const e of list.items) byReason.set(e.reason!, [...(byReason.get(e.reason!) ?? []), e]);

  const updated = byReason.get('RolloutUpdated') ?? [];
  assert.equal(updated.length, 1, 'one Event for three identical recordings');
  assert.equal(updated[0]!.count, 3);
  assert.equal(updated[0]!.type, 'Normal');
  assert.equal(updated[0]!.message, 'Rollout updated to revision 2');
  assert.equal(updated[0]!.involvedObject.uid, cm.metadata!.uid);
  assert.equal(updated[0]!.source?.component, 'rollouts-controller');

  const errors = byReason.get('ReconciliationError') ?? [];
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.type, 'Warning');
  assert.equal(errors[0]!.message, 'token=[REDACTED] rejected', 'credentials never reach an Event');
});
