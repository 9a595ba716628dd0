import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../../../controller/cli/registry.ts';

test('cli registry › every entry loads the command of its name, with the same summary', async () => {
  for (const entry of commands) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.equal(command.summary, entry.summary, `summary of "${entry.name}" in registry.ts differs from the command's own`);
  }
});

test('cli registry › names are unique', () => {
  const names = commands.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
});
