import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUpFlags, upCommand } from '../../../controller/cli/commands/up.ts';
import { UsageError } from '../../../controller/cli/command.ts';

describe('ramp up flags', () => {
  it('defaults: the canary example in ramp-demo, all namespaces, the cluster stopped on exit if started', () => {
    const f = parseUpFlags([]);
    assert.equal(f.namespace, 'ramp-demo');
    assert.equal(f.namespaced, false);
    assert.equal(f.example?.name, 'canary');
    assert.equal(f.keepCluster, false);
    assert.equal(f.logLevel, 'info');
  });

  it('--keep-cluster, -n, --namespaced, --example, --loglevel', () => {
    const f = parseUpFlags(['--keep-cluster', '-n', 'shop', '--namespaced', '--example=blue-green', '--loglevel', 'debug']);
    assert.deepEqual([f.keepCluster, f.namespace, f.namespaced, f.example?.rollout, f.logLevel], [true, 'shop', true, 'demo-bluegreen', 'debug']);
    assert.equal(parseUpFlags(['--example', 'none']).example, undefined);
  });

  it('usage errors', () => {
    assert.throws(() => parseUpFlags(['--example', 'nope']), (e: unknown) => e instanceof UsageError && /canary, blue-green or none/.test(e.message));
    assert.throws(() => parseUpFlags(['-n', 'Not_A_Namespace']), UsageError);
    assert.throws(() => parseUpFlags(['--loglevel', 'loud']), UsageError);
    assert.throws(() => parseUpFlags(['--frobnicate']), UsageError);
    assert.throws(() => parseUpFlags(['extra']), UsageError);
  });

  it('usage names every flag and says what Ctrl-C does', () => {
    for (const flag of ['--namespace', '--namespaced', '--example', '--keep-cluster', '--loglevel']) assert.ok(upCommand.usage.includes(flag), flag);
    assert.match(upCommand.usage, /SIGINT/);
  });
});
