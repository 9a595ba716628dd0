import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheEvent } from '../../../controller/kube/cache.ts';
import { ManualClock } from '../../../controller/kube/manual-clock.ts';
import { ControllerLoop, controllerOwnerKeys, type WatchedCache } from '../../../controller/resync/loop.ts';
import type { CronScheduler } from '../../../controller/resync/periodic.ts';

/** A cache stand-in (our own interface): a list of objects and a way to emit changes. */
function stubCache(objects: KubernetesObject[]): WatchedCache<KubernetesObject> & { emit(e: CacheEvent<KubernetesObject>): void } {
  let listeners: Array<(e: CacheEvent<KubernetesObject>) => void> = [];
  return {
    keys: () => objects.map((o) => `${o.metadata!.namespace}/${o.metadata!.name}`),
    hasSynced: () => true,
    waitForSync: async () => undefined,
    onChange(l) {
      listeners.push(l);
      return () => (listeners = listeners.filter((x) => x !== l));
    },
    emit: (e) => listeners.forEach((l) => l(e)),
  };
}

const ro = (name: string): KubernetesObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { namespace: 'shop', name, uid: `uid-${name}` } });
const rs = (name: string, owner: string): KubernetesObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { namespace: 'shop', name, ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: owner, uid: `uid-${owner}`, controller: true }] },
});

test('controller loop › enqueues every object on start, on changes, on related changes and on each resync tick', async () => {
  const primary = stubCache([ro('web'), ro('api')]);
  const related = stubCache([]);
  const ticks: Array<() => void> = [];
  const scheduler: CronScheduler = { schedule: (_e, task) => (ticks.push(task), { stop: () => undefined }) };
  const runs: string[] = [];
  const loop = new ControllerLoop({
    name: 'rollouts',
    primary,
    related: [{ cache: related, keysFor: controllerOwnerKeys('argoproj.io', 'Rollout') }],
    handler: (key) => void runs.push(key),
    scheduler,
    clock: new ManualClock(),
  });
  await loop.start();
  await loop.queue.idle();
  assert.deepEqual(runs.sort(), ['shop/api', 'shop/web'], 'initial pass');

  runs.length = 0;
  primary.emit({ type: 'updated', object: ro('web') });
  related.emit({ type: 'added', object: rs('web-6d4f', 'web') });
  related.emit({ type: 'added', object: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { namespace: 'shop', name: 'orphan' } } });
  await loop.queue.idle();
  assert.deepEqual([...new Set(runs)], ['shop/web'], 'a ReplicaSet change wakes its Rollout; an orphan wakes nothing');

  runs.length = 0;
  ticks[0]!();
  await loop.queue.idle();
  assert.deepEqual(runs.sort(), ['shop/api', 'shop/web'], 'resync tick');

  await loop.stop();
  runs.length = 0;
  primary.emit({ type: 'updated', object: ro('web') });
  await loop.queue.idle();
  assert.deepEqual(runs, [], 'a stopped loop ignores changes');
});

test('controller loop › owner mapping only follows the controlling owner of the right kind and group', () => {
  const keys = controllerOwnerKeys('argoproj.io', 'Rollout');
  assert.deepEqual(keys(rs('web-1', 'web')), ['shop/web']);
  const notController = rs('x', 'web');
  notController.metadata!.ownerReferences![0]!.controller = false;
  assert.deepEqual(keys(notController), []);
  const deployment: KubernetesObject = { metadata: { namespace: 'shop', name: 'y', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u', controller: true }] } };
  assert.deepEqual(keys(deployment), []);
});
