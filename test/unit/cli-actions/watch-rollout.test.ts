// The status watch's reconnect logic: watch ends → read again → watch again; a failed re-read is
// reported and retried, never fatal; deletion ends the stream. The API server is replaced by a
// script here to make it fail on cue; integration tests run the watch against the real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient, RawRequest } from '../../../controller/kube/client.ts';
import { KubeApiError } from '../../../controller/kube/errors.ts';
import { watchRollout } from '../../../controller/cli/rollout-commands/watch-rollout.ts';
import type { Rollout } from '../../../functions/api/index.ts';
import { aRollout } from '../../fixtures/index.ts';

function version(rv: string, phase: 'Paused' | 'Progressing' | 'Healthy'): Rollout {
  const r = aRollout().withStatus({ phase }).build();
  r.metadata!.resourceVersion = rv;
  return r;
}

type Step = Rollout | Error;
type WatchScript = Array<{ type: string; object: unknown }>;

function scripted(reads: Step[], watches: WatchScript[]) {
  const watchQueries: Array<Record<string, unknown>> = [];
  const client = {
    async request(req: RawRequest) {
      const next = reads.shift();
      if (next === undefined) throw new Error(`unexpected ${req.method} ${req.path}`);
      if (next instanceof Error) throw next;
      return next;
    },
    async watch(_path: string, query: Record<string, unknown>, onEvent: (type: string, object: unknown) => void, onDone: (err: unknown) => void) {
      watchQueries.push(query);
      const events = watches.shift() ?? [];
      setImmediate(() => {
        for (const e of events) onEvent(e.type, e.object);
        onDone(null);
      });
      return { abort: () => {} };
    },
  } as unknown as KubeClient;
  return { connection: { client, namespace: 'shop' }, watchQueries };
}

async function collect(gen: AsyncGenerator<Rollout | null>, max: number): Promise<Array<string | null>> {
  const out: Array<string | null> = [];
  for await (const r of gen) {
    out.push(r === null ? null : `${r.metadata?.resourceVersion}:${r.status?.phase}`);
    if (out.length >= max) break;
  }
  return out;
}

test('watchRollout › read, watch from that resourceVersion, read again when the watch ends', async () => {
  const { connection, watchQueries } = scripted(
    [version('1', 'Paused'), version('3', 'Healthy')],
    [[{ type: 'MODIFIED', object: version('2', 'Progressing') }, { type: 'BOOKMARK', object: {} }]],
  );
  const seen = await collect(watchRollout(connection, 'demo', new AbortController().signal, { retryDelayMs: 1 }), 3);
  assert.deepEqual(seen, ['1:Paused', '2:Progressing', '3:Healthy']);
  assert.deepEqual(watchQueries[0], { fieldSelector: 'metadata.name=demo', resourceVersion: '1', allowWatchBookmarks: true });
});

test('watchRollout › a failed re-read is reported and retried', async () => {
  const errors: unknown[] = [];
  const { connection } = scripted([version('1', 'Paused'), new Error('connect ECONNREFUSED 127.0.0.1:6443'), version('5', 'Healthy')], [[], []]);
  const seen = await collect(watchRollout(connection, 'demo', new AbortController().signal, { retryDelayMs: 1, onError: (e) => errors.push(e) }), 2);
  assert.deepEqual(seen, ['1:Paused', '5:Healthy']);
  assert.equal(errors.length, 1);
});

test('watchRollout › the first read failing is the caller\'s error', async () => {
  const { connection } = scripted([new Error('connect ECONNREFUSED 127.0.0.1:6443')], []);
  await assert.rejects(collect(watchRollout(connection, 'demo', new AbortController().signal), 1), /ECONNREFUSED/);
});

test('watchRollout › deleted (event or 404 on re-read) ends the stream with null', async () => {
  const deleted = scripted([version('1', 'Paused')], [[{ type: 'DELETED', object: version('2', 'Paused') }]]);
  assert.deepEqual(await collect(watchRollout(deleted.connection, 'demo', new AbortController().signal), 5), ['1:Paused', null]);
  const gone = scripted([version('1', 'Paused'), new KubeApiError({ statusCode: 404, method: 'GET', path: '/x' })], [[]]);
  assert.deepEqual(await collect(watchRollout(gone.connection, 'demo', new AbortController().signal, { retryDelayMs: 1 }), 5), ['1:Paused', null]);
});
