// The recorder's aggregation and spam filtering, with an in-memory EventsClient (our own
// interface). test/integration/kube-events.test.ts checks the Events on a real API server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRecorder } from '../../../controller/kube/events.ts';
import { KubeApiError } from '../../../controller/kube/errors.ts';
import { ManualClock } from '../../../controller/kube/manual-clock.ts';
import type { RawRequest } from '../../../controller/kube/client.ts';

function memoryClient() {
  const calls: RawRequest[] = [];
  const gone = new Set<string>();
  return {
    calls,
    gone,
    async request<R>(req: RawRequest): Promise<R> {
      calls.push(req);
      if (req.method === 'PATCH' && gone.has(req.path)) throw new KubeApiError({ statusCode: 404, method: 'PATCH', path: req.path, status: { reason: 'NotFound' } });
      return {} as R;
    },
  };
}

const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { namespace: 'shop', name: 'web', uid: 'u-1' } };

test('events › the first recording creates, repeats patch the count', async () => {
  const client = memoryClient();
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rec = new EventRecorder({ client, clock, host: 'h' });
  await rec.normal(rollout, 'RolloutPaused', 'Rollout is paused (CanaryPauseStep)');
  await clock.advance(5_000);
  await rec.normal(rollout, 'RolloutPaused', 'Rollout is paused (CanaryPauseStep)');
  await rec.normal(rollout, 'RolloutPaused', 'Rollout is paused (CanaryPauseStep)');
  assert.deepEqual(
    client.calls.map((c) => c.method),
    ['POST', 'PATCH', 'PATCH'],
  );
  const created = client.calls[0]!.body as Record<string, any>;
  assert.equal(created['involvedObject'].uid, 'u-1');
  assert.equal(created['metadata'].namespace, 'shop');
  assert.match(created['metadata'].name, /^web\.[0-9a-f]+$/);
  assert.equal(created['firstTimestamp'], '2026-01-01T00:00:00Z');
  assert.deepEqual(client.calls[2]!.body, { count: 3, lastTimestamp: '2026-01-01T00:00:05Z' });
  assert.equal(client.calls[1]!.path, `/api/v1/namespaces/shop/events/${created['metadata'].name}`);
});

test('events › a different message is a different Event', async () => {
  const client = memoryClient();
  const rec = new EventRecorder({ client, clock: new ManualClock() });
  await rec.normal(rollout, 'RolloutUpdated', 'Rollout updated to revision 2');
  await rec.normal(rollout, 'RolloutUpdated', 'Rollout updated to revision 3');
  assert.deepEqual(
    client.calls.map((c) => c.method),
    ['POST', 'POST'],
  );
});

test('events › an expired aggregated Event is created again', async () => {
  const client = memoryClient();
  const rec = new EventRecorder({ client, clock: new ManualClock() });
  await rec.warning(rollout, 'ReconciliationError', 'boom');
  client.gone.add(client.calls[0]!.path + '/' + (client.calls[0]!.body as any).metadata.name);
  await rec.warning(rollout, 'ReconciliationError', 'boom');
  assert.deepEqual(
    client.calls.map((c) => c.method),
    ['POST', 'PATCH', 'POST'],
  );
});

test('events › the per-object spam filter drops a flood but refills over time', async () => {
  const client = memoryClient();
  const clock = new ManualClock();
  const rec = new EventRecorder({ client, clock, spamBurst: 3, spamQps: 1 / 60 });
  for (let i = 0; i < 10; i++) await rec.normal(rollout, 'ScalingReplicaSet', `scaled to ${i}`);
  assert.equal(client.calls.length, 3);
  await clock.advance(60_000);
  await rec.normal(rollout, 'ScalingReplicaSet', 'scaled to 99');
  assert.equal(client.calls.length, 4);
});

test('events › recording never throws, even when the API refuses', async () => {
  const rec = new EventRecorder({
    client: {
      request: async () => {
        throw new KubeApiError({ statusCode: 403, method: 'POST', path: '/e', status: { reason: 'Forbidden' } });
      },
    },
    clock: new ManualClock(),
  });
  await rec.normal(rollout, 'X', 'y');
  await rec.normal({ metadata: {} }, 'X', 'no name');
});
