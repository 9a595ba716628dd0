import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../../controller/cli/main.ts';
import { commands } from '../../../controller/cli/registry.ts';
import { FrameWriter } from '../../../controller/cli/rollout-commands/frame-writer.ts';
import type { CliIO } from '../../../controller/cli/rollout-commands/cli-io.ts';

function capture(extra: Partial<CliIO> = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), isTTY: false, ...extra };
}

test('commands › every rollout command is registered', () => {
  const names = commands.map((c) => c.name);
  for (const name of ['get', 'status', 'promote', 'abort', 'retry', 'pause', 'resume', 'restart', 'set', 'undo']) assert.ok(names.includes(name), name);
});

const usageErrors: Array<[string[], RegExp]> = [
  [['promote'], /ramp promote: missing the rollout name/],
  [['promote', 'a', 'b'], /takes one rollout name, got 2: a b/],
  [['promote', 'a', '--fast'], /unknown flag --fast/],
  [['abort'], /missing the rollout name/],
  [['retry', 'experiment'], /missing the experiment name/],
  [['restart', 'a', '--in', 'soon'], /--in: invalid duration "soon"/],
  [['set'], /missing what to set/],
  [['set', 'env', 'a'], /only "set image" is supported/],
  [['set', 'image', 'a'], /missing CONTAINER=IMAGE/],
  [['set', 'image', 'a', 'app'], /want CONTAINER=IMAGE/],
  [['undo', 'a', '--to-revision', 'two'], /--to-revision: expected an integer/],
  [['undo', 'a', '--to-revision=-1'], /--to-revision: want 0 \(previous\) or a revision number, got -1/],
  [['get'], /missing what to get/],
  [['get', 'experiment', 'e'], /only "get rollout ROLLOUT" is supported/],
  [['get', 'rollout'], /missing the rollout name/],
  [['get', 'ro', 'a', '--interval', '10ms'], /--interval: want at least 100ms/],
  [['status'], /missing the rollout name/],
  [['status', 'a', '--timeout', 'forever'], /--timeout: invalid duration "forever"/],
  [['status', 'a', '--watch=maybe'], /--watch: expected true or false/],
];
for (const [argv, message] of usageErrors) {
  test(`commands › usage error exits 2: ramp ${argv.join(' ')}`, async () => {
    const io = capture();
    assert.equal(await main(argv, io), 2);
    assert.match(io.stderr.join('\n'), message);
    assert.match(io.stderr.join('\n'), /Usage: ramp /);
  });
}

for (const argv of [
  ['promote', 'demo'],
  ['status', 'demo', '--watch=false'],
  ['get', 'rollout', 'demo'],
  ['set', 'image', 'demo', 'app=x:1'],
]) {
  test(`commands › a missing kubeconfig exits 1 and says so: ramp ${argv.join(' ')}`, async () => {
    const io = capture();
    assert.equal(await main([...argv, '--kubeconfig', '/nonexistent/kubeconfig'], io), 1);
    assert.match(io.stderr.join('\n'), /--kubeconfig \/nonexistent\/kubeconfig: no such file/);
  });
}

test('commands › each rollout command has --help naming its flags', async () => {
  for (const [name, flag] of [['promote', '--full'], ['status', '--timeout'], ['get', '--watch'], ['undo', '--to-revision'], ['restart', '--in']] as const) {
    const io = capture();
    assert.equal(await main([name, '--help'], io), 0);
    assert.match(io.stdout.join('\n'), new RegExp(flag));
    assert.match(io.stdout.join('\n'), /--kubeconfig/);
  }
});

test('FrameWriter › off a terminal: prints a frame only when its content changed, frames separated by a blank line', () => {
  const io = capture();
  const writer = new FrameWriter(io, { isTTY: false, columns: 0, rows: 0, colour: false });
  writer.draw(['a 1s', 'b'], 'a|b');
  writer.draw(['a 2s', 'b'], 'a|b');
  writer.draw(['a 3s', 'c'], 'a|c');
  assert.deepEqual(io.stdout, ['a 1s', 'b', '', 'a 3s', 'c']);
});

test('FrameWriter › on a terminal: moves up over the previous frame (wrapped rows counted) and clears below', () => {
  const io = capture({ isTTY: true });
  const writer = new FrameWriter(io, { isTTY: true, columns: 10, rows: 40, colour: false });
  writer.draw(['first', 'x'.repeat(15)], 'k1');
  writer.draw(['second'], 'k1');
  writer.draw(['third'], 'k2');
  assert.deepEqual(io.stdout, ['first', 'x'.repeat(15), '\x1b[3F\x1b[Jsecond', '\x1b[1F\x1b[Jthird']);
});

test('FrameWriter › on a terminal: a frame taller than the screen clears it instead', () => {
  const io = capture({ isTTY: true });
  const writer = new FrameWriter(io, { isTTY: true, columns: 80, rows: 2, colour: false });
  writer.draw(['1', '2', '3'], 'k');
  writer.draw(['1', '2', '3'], 'k');
  assert.equal(io.stdout[3], '\x1b[H\x1b[2J1');
});
