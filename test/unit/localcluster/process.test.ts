import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  groupMembers,
  parseProcStat,
  processAlive,
  processBelongsTo,
  readPidFile,
  startComponent,
  stopProcessGroup,
} from '../../../controller/localcluster/process.ts';

test('parseProcStat copes with spaces and parentheses in the command name', () => {
  assert.deepEqual(parseProcStat('1234 (my (odd) cmd) S 1 1234 1234 0 -1'), { state: 'S', pgrp: 1234 });
  assert.equal(parseProcStat('garbage'), undefined);
});

test('a component runs in its own process group, logs to its file, and stops with its whole group', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-proc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // bash's $0 is the marker path, so the command line names the "state dir"; it starts a grandchild too.
  const proc = startComponent({
    name: 'fake',
    command: 'bash',
    args: ['-c', 'echo hello-from-fake; sleep 300 & wait', join(dir, 'marker')],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    logsDir: dir,
    pidsDir: dir,
  });
  t.after(() => {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      // gone
    }
  });
  assert.equal(readPidFile(proc.pidFile), proc.pid);
  for (let i = 0; i < 50 && groupMembers(proc.pid).length < 2; i++) await sleep(50);
  assert.equal(groupMembers(proc.pid).length, 2, 'bash and its sleep share the group');
  assert.ok(processBelongsTo(proc.pid, `${dir}/`));
  assert.equal(processBelongsTo(proc.pid, '/some/other/dir/'), false);

  assert.equal(await stopProcessGroup(proc.pid, '/some/other/dir/', 1000), 'not-ours');
  assert.ok(processAlive(proc.pid), 'a process that is not ours is never signalled');

  const outcome = await stopProcessGroup(proc.pid, `${dir}/`, 5000);
  assert.ok(outcome === 'terminated' || outcome === 'killed', outcome);
  assert.equal(processAlive(proc.pid), false);
  assert.deepEqual(groupMembers(proc.pid), []);
  assert.match(readFileSync(proc.logFile, 'utf8'), /hello-from-fake/);
  assert.equal(await stopProcessGroup(proc.pid, `${dir}/`, 1000), 'not-running');
});

test('a process that ignores SIGTERM is killed after the grace period', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ramp-proc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const proc = startComponent({
    name: 'stubborn',
    command: 'bash',
    // The log's first line repeats the command, so wait for a word only the running shell can print.
    args: ['-c', "trap '' TERM; echo trap-set-$((1+1)); while :; do sleep 0.1; done", join(dir, 'marker')],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    logsDir: dir,
    pidsDir: dir,
  });
  t.after(() => {
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      // gone
    }
  });
  for (let i = 0; i < 50 && !readFileSync(proc.logFile, 'utf8').includes('trap-set-2'); i++) await sleep(50);
  assert.equal(await stopProcessGroup(proc.pid, `${dir}/`, 500), 'killed');
  assert.equal(processAlive(proc.pid), false);
});
