import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { StartupError, waitUntil } from '../../../controller/localcluster/wait.ts';

test('waitUntil returns the value once the probe is done', async () => {
  let calls = 0;
  const value = await waitUntil(async () => (++calls < 3 ? { done: false, seen: `call ${calls}` } : { done: true, value: 'ok' }), {
    what: 'three calls',
    timeoutMs: 5_000,
    intervalMs: 1,
  });
  assert.equal(value, 'ok');
  assert.equal(calls, 3);
});

test('on timeout it names what it waited for, what it saw last, and the log with its tail', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-wait-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const logFile = join(dir, 'kube-apiserver.log');
  writeFileSync(logFile, 'line one\nE1129 something is wrong\n');
  await assert.rejects(
    waitUntil(async () => ({ done: false, seen: 'HTTP 500 [-]etcd failed' }), {
      what: 'kube-apiserver /readyz',
      timeoutMs: 50,
      intervalMs: 10,
      component: { name: 'kube-apiserver', pid: process.pid, logFile, pidFile: '' },
    }),
    (error: unknown) => {
      assert.ok(error instanceof StartupError);
      assert.match(error.message, /timed out after 0s waiting for kube-apiserver \/readyz/);
      assert.match(error.message, /last seen: HTTP 500 \[-\]etcd failed/);
      assert.match(error.message, new RegExp(`log: ${logFile}`));
      assert.match(error.message, /E1129 something is wrong/);
      return true;
    },
  );
});

test('it gives up at once when the component process has exited', async () => {
  const dead = spawnSync('true').pid ?? 999_999;
  await assert.rejects(
    waitUntil(async () => ({ done: false, seen: 'connect ECONNREFUSED' }), {
      what: 'etcd /health',
      timeoutMs: 30_000,
      component: { name: 'etcd', pid: dead, logFile: '/nonexistent/etcd.log', pidFile: '' },
    }),
    /etcd \(pid \d+\) exited while waiting for etcd \/health/, // not "timed out": it did not wait
  );
});

test('a probe that throws counts as not yet, and its message is reported', async () => {
  await assert.rejects(
    waitUntil(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:2');
    }, { what: 'something', timeoutMs: 30, intervalMs: 5 }),
    /last seen: connect ECONNREFUSED 127\.0\.0\.1:2/,
  );
});
