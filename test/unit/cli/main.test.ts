import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main, usage } from '../../../controller/cli/main.ts';
import { UsageError, loadedEntry, type Command, type CommandIO } from '../../../controller/cli/command.ts';

function capture(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const echo: Command = {
  name: 'echo',
  summary: 'Print its arguments',
  usage: 'Usage: ramp echo WORDS...',
  async run(args, io) {
    if (args.length === 0) throw new UsageError('expected at least one word');
    if (args[0] === 'boom') throw new Error('it broke');
    io.out(args.join(' '));
    return 0;
  },
};
const echoEntry = loadedEntry(echo);

test('cli › --help lists every command and exits 0', async () => {
  const io = capture();
  assert.equal(await main(['--help'], io, [echoEntry]), 0);
  assert.match(io.stdout.join('\n'), /echo\s+Print its arguments/);
});

test('cli › no command prints usage and exits 2', async () => {
  const io = capture();
  assert.equal(await main([], io, [echoEntry]), 2);
  assert.match(io.stderr.join('\n'), /Usage: ramp <command>/);
});

test('cli › unknown command exits 2 naming it', async () => {
  const io = capture();
  assert.equal(await main(['frobnicate'], io, [echoEntry]), 2);
  assert.match(io.stderr.join('\n'), /unknown command "frobnicate"/);
});

test('cli › command --help prints its usage and exits 0', async () => {
  const io = capture();
  assert.equal(await main(['echo', '--help'], io, [echoEntry]), 0);
  assert.deepEqual(io.stdout, ['Usage: ramp echo WORDS...']);
});

test('cli › a usage error exits 2 with the command usage', async () => {
  const io = capture();
  assert.equal(await main(['echo'], io, [echoEntry]), 2);
  assert.match(io.stderr.join('\n'), /expected at least one word[\s\S]*Usage: ramp echo/);
});

test('cli › a failure exits 1 with the message', async () => {
  const io = capture();
  assert.equal(await main(['echo', 'boom'], io, [echoEntry]), 1);
  assert.deepEqual(io.stderr, ['ramp echo: it broke']);
});

test('cli › success runs the command', async () => {
  const io = capture();
  assert.equal(await main(['echo', 'a', 'b'], io, [echoEntry]), 0);
  assert.deepEqual(io.stdout, ['a b']);
  assert.match(usage([echoEntry]), /Commands:/);
});
