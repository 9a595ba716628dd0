// The session's files and ownership checks: the serving certificate, stale session directories,
// which process owns a webhook configuration, and the interruptible poll.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { removeStaleSessionDirs, sessionsDir, writeServingCertificate } from '../../../controller/dev/certs.ts';
import { liveOwner, probeRollout, sessionId } from '../../../controller/dev/registration.ts';
import { Interrupted, pollUntil } from '../../../controller/dev/wait.ts';
import { validateObject } from '../../../functions/validate/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'ramp-dev-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('writeServingCertificate', () => {
  it('a leaf for IP 127.0.0.1 signed by the CA whose PEM is the caBundle, files mode 0600', async () => {
    const cert = await writeServingCertificate(dir, 4242);
    assert.equal(cert.dir, join(sessionsDir(dir), '4242'));
    const leaf = new X509Certificate(readFileSync(cert.certFile));
    const ca = new X509Certificate(Buffer.from(cert.caBundle, 'base64'));
    assert.equal(leaf.subjectAltName, 'IP Address:127.0.0.1');
    assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
    assert.equal(readFileSync(cert.caFile, 'utf8'), Buffer.from(cert.caBundle, 'base64').toString());
    for (const f of [cert.certFile, cert.keyFile, cert.caFile]) assert.equal(statSync(f).mode & 0o777, 0o600);
  });

  it('removeStaleSessionDirs removes the directories of dead sessions only', () => {
    mkdirSync(join(sessionsDir(dir), String(process.pid)), { recursive: true });
    mkdirSync(join(sessionsDir(dir), '999999999'), { recursive: true });
    mkdirSync(join(sessionsDir(dir), 'junk'), { recursive: true });
    const removed = removeStaleSessionDirs(dir).sort();
    assert.ok(removed.includes('999999999') && removed.includes('junk'));
    assert.ok(existsSync(join(sessionsDir(dir), String(process.pid))), 'this session kept');
  });
});

describe('liveOwner', () => {
  it('this process, a dead pid, another host and garbage are not live owners', () => {
    assert.equal(liveOwner(sessionId()), undefined);
    assert.equal(liveOwner(`${hostname()}/999999999`), undefined);
    assert.equal(liveOwner(`not-${hostname()}/1`), undefined);
    assert.equal(liveOwner(undefined), undefined);
    assert.equal(liveOwner('nonsense'), undefined);
  });

  it('a live ramp process on this host is', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)', 'ramp', 'up']);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      assert.equal(liveOwner(`${hostname()}/${child.pid}`), child.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('probeRollout', () => {
  it('is refused by Ramp validation (so a refusal proves the webhook is called)', () => {
    const errors = validateObject('Rollout', probeRollout('ns'));
    assert.ok(errors.some((e) => e.path === 'spec.strategy.canary.steps[0].setWeight'), JSON.stringify(errors));
  });
});

describe('pollUntil', () => {
  it('returns once the probe is true; times out naming what it waited for and what it saw', async () => {
    let n = 0;
    await pollUntil(async () => ++n === 3 || `try ${n}`, { what: 'three', timeoutMs: 5_000, intervalMs: 1 });
    assert.equal(n, 3);
    await assert.rejects(pollUntil(async () => 'never', { what: 'the impossible', timeoutMs: 30, intervalMs: 5 }), /timed out after 0s waiting for the impossible; last seen: never/);
  });

  it('an abort ends the wait with Interrupted', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(pollUntil(async () => 'not yet', { what: 'x', timeoutMs: 10_000, intervalMs: 1_000, signal: ac.signal }), Interrupted);
  });
});
