import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retryOnConflict } from '../../../controller/kube/conflict.ts';
import { KubeApiError } from '../../../controller/kube/errors.ts';
import { ManualClock } from '../../../controller/kube/manual-clock.ts';

const conflict = () => new KubeApiError({ statusCode: 409, method: 'PUT', path: '/x', status: { reason: 'Conflict' } });

test('retryOnConflict › re-reads and re-applies the mutation after a Conflict', async () => {
  const reads: number[] = [];
  let version = 1;
  const clock = new ManualClock();
  const done = retryOnConflict(
    (attempt) => {
      reads.push(attempt);
      return { version };
    },
    async (fresh) => {
      if (fresh.version < 3) {
        version++;
        throw conflict();
      }
      return `wrote on v${fresh.version}`;
    },
    { clock },
  );
  await clock.advance(1_000);
  assert.equal(await done, 'wrote on v3');
  assert.deepEqual(reads, [0, 1, 2], 'attempt 0 may come from the cache, later ones must be fresh');
});

test('retryOnConflict › other errors and the last Conflict are thrown', async () => {
  await assert.rejects(
    retryOnConflict(
      () => ({}),
      async () => {
        throw new Error('forbidden');
      },
    ),
    /forbidden/,
  );
  const clock = new ManualClock();
  let writes = 0;
  const done = retryOnConflict(
    () => ({}),
    async () => {
      writes++;
      throw conflict();
    },
    { attempts: 3, clock },
  );
  const rejected = assert.rejects(done, /409 Conflict/);
  await clock.advance(1_000);
  await rejected;
  assert.equal(writes, 3);
});
