import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';
import {
  describeError,
  isAlreadyExists,
  isConflict,
  isNotFound,
  KubeApiError,
  networkFailureOf,
  parseRetryAfter,
  statusCodeOf,
} from '../../../controller/kube/errors.ts';

test('errors › read the same from our client, client-node\'s ApiException and its Watch', () => {
  const ours = new KubeApiError({ statusCode: 409, method: 'PUT', path: '/x', status: { reason: 'Conflict', message: 'the object has been modified' } });
  const generated = new ApiException(409, 'Conflict', JSON.stringify({ kind: 'Status', reason: 'AlreadyExists', message: 'exists' }), {});
  const watchErr = Object.assign(new Error('Gone'), { statusCode: 410 });
  assert.equal(isConflict(ours), true);
  assert.equal(isAlreadyExists(ours), false);
  assert.equal(isAlreadyExists(generated), true);
  assert.equal(isConflict(generated), false, 'AlreadyExists is not a stale-resourceVersion conflict');
  assert.equal(statusCodeOf(watchErr), 410);
  assert.equal(isNotFound(new Error('x')), false);
  assert.equal(describeError(generated), 'API server returned 409 AlreadyExists: exists');
  assert.equal(ours.message, 'PUT /x: 409 Conflict: the object has been modified');
});

test('errors › network failures are told apart from answers', () => {
  const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
  assert.equal(networkFailureOf(refused), 'not-sent');
  assert.equal(statusCodeOf(refused), undefined);
  assert.equal(describeError(refused), 'fetch failed (ECONNREFUSED)');
});

test('errors › Retry-After in seconds or as a date', () => {
  const now = Date.UTC(2026, 0, 1);
  assert.equal(parseRetryAfter('2', now), 2_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5_000);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});
