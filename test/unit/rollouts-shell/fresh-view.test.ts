// Read-your-writes: our write's answer is served until the cache has caught up with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ManualClock } from '../../../controller/kube/manual-clock.ts';
import { compareResourceVersions, FreshView } from '../../../controller/rollouts/fresh-view.ts';
import { MemoryCache } from './memory-cache.ts';

const obj = (name: string, rv: string, extra: Partial<KubernetesObject['metadata']> = {}): KubernetesObject => ({
  metadata: { name, namespace: 'ns', resourceVersion: rv, labels: { app: 'web' }, ...extra },
});

test('fresh view › resourceVersions compare as integers; anything else is not comparable', () => {
  assert.equal(compareResourceVersions('9', '10'), -1);
  assert.equal(compareResourceVersions('10', '9'), 1);
  assert.equal(compareResourceVersions('10', '10'), 0);
  assert.equal(compareResourceVersions('abc', '10'), undefined);
  assert.equal(compareResourceVersions(undefined, '10'), undefined);
});

test('fresh view › a written copy newer than the cache is served until the cache reaches its version', () => {
  const cache = new MemoryCache([obj('a', '5')]);
  const view = new FreshView(cache, { clock: new ManualClock() });
  view.remember({ ...obj('a', '7'), spec: { written: true } } as KubernetesObject);
  assert.equal(view.get('ns', 'a')?.metadata?.resourceVersion, '7');
  cache.set(obj('a', '6'));
  assert.equal(view.get('ns', 'a')?.metadata?.resourceVersion, '7', 'an older event does not hide our write');
  cache.set(obj('a', '8'));
  assert.equal(view.get('ns', 'a')?.metadata?.resourceVersion, '8', 'the cache caught up (and passed)');
  assert.equal(view.pending, 0);
});

test('fresh view › an older answer never replaces a newer remembered one', () => {
  const view = new FreshView(new MemoryCache<KubernetesObject>(), { clock: new ManualClock() });
  view.remember(obj('a', '9'));
  view.remember(obj('a', '8'));
  assert.equal(view.get('ns', 'a')?.metadata?.resourceVersion, '9');
});

test('fresh view › a created object shows up in list and byOwner before the cache has it', () => {
  const cache = new MemoryCache([obj('old', '3', { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u1' }] })]);
  const view = new FreshView(cache, { clock: new ManualClock() });
  view.remember(obj('new', '4', { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u1' }] }));
  view.remember(obj('other', '5', { labels: { app: 'api' } }));
  assert.deepEqual(view.byOwner('u1', 'ns').map((o) => o.metadata?.name).sort(), ['new', 'old']);
  assert.deepEqual(view.list('ns', { matchLabels: { app: 'web' } }).map((o) => o.metadata?.name).sort(), ['new', 'old']);
  assert.deepEqual(view.list('elsewhere'), []);
});

test('fresh view › a deletion seen by the cache, or the TTL, drops the written copy', async () => {
  const clock = new ManualClock();
  const cache = new MemoryCache<KubernetesObject>();
  const view = new FreshView(cache, { clock, ttlMs: 1_000 });
  view.remember(obj('a', '7'));
  cache.delete(obj('a', '7'));
  assert.equal(view.get('ns', 'a'), undefined);
  view.remember(obj('b', 'not-a-number'));
  assert.equal(view.get('ns', 'b')?.metadata?.name, 'b');
  await clock.advance(1_001);
  assert.equal(view.get('ns', 'b'), undefined);
});

test('fresh view › managed fields are not kept', () => {
  const view = new FreshView(new MemoryCache<KubernetesObject>(), { clock: new ManualClock() });
  view.remember(obj('a', '1', { managedFields: [{ manager: 'x' }] }));
  assert.equal(view.get('ns', 'a')?.metadata?.managedFields, undefined);
});
