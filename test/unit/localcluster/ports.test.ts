import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { candidateBases, checkPortBlock, portBaseFromEnv, portBlock, portIsFree, portRange, portsOf } from '../../../controller/localcluster/ports.ts';

test('a port block is six consecutive ports', () => {
  const b = portBlock(20016);
  assert.deepEqual(portsOf(b), [20016, 20017, 20018, 20019, 20020, 20021]);
  assert.equal(b.apiserver, 20018);
});

test('candidate blocks stay below the ephemeral range and start where asked', () => {
  const bases = candidateBases(5);
  assert.equal(bases[0], portRange.from + 5 * portRange.step);
  assert.equal(new Set(bases).size, bases.length);
  for (const base of bases) {
    assert.ok(base >= 20000 && base + 5 < 32768, String(base));
  }
  assert.deepEqual(candidateBases(0, { from: 100, to: 148, step: 16 }), [100, 116, 132]);
  assert.deepEqual(candidateBases(4, { from: 100, to: 148, step: 16 }), [116, 132, 100]);
});

test('portIsFree sees a listener on 127.0.0.1', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    assert.equal(await portIsFree(port), false);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(await portIsFree(port), true);
});

test('portBaseFromEnv accepts a whole port number with room for the block', () => {
  assert.equal(portBaseFromEnv(undefined), undefined);
  assert.equal(portBaseFromEnv(''), undefined);
  assert.equal(portBaseFromEnv('24000'), 24000);
  assert.throws(() => portBaseFromEnv('80'), /RAMP_CLUSTER_PORT_BASE=80: want a port from 1024/);
  assert.throws(() => portBaseFromEnv('65533'), /RAMP_CLUSTER_PORT_BASE=65533/);
  assert.throws(() => portBaseFromEnv('abc'), /RAMP_CLUSTER_PORT_BASE=abc/);
});

test('checkPortBlock names the taken port and the component it was meant for', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    // Make the taken port the kube-apiserver slot (base + 2).
    await assert.rejects(checkPortBlock(port - 2), new RegExp(`port ${port} \\(kube-apiserver\\) already in use`));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
