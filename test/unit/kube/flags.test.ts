import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../controller/cli/command.ts';
import { formatFlagHelp, parseDuration, parseFlags } from '../../../controller/kube/flags.ts';
import { machineryFlags, parseMachineryFlags } from '../../../controller/kube/machinery-flags.ts';

test('flags › defaults are Argo\'s: qps 40, burst 80, leader election on with 15s/10s/2s; resync every 30s', () => {
  const { options, rest } = parseMachineryFlags([]);
  assert.deepEqual(rest, []);
  assert.equal(options.qps, 40);
  assert.equal(options.burst, 80);
  assert.equal(options.namespaced, false);
  assert.equal(options.instanceId, undefined);
  assert.equal(options.resync, '*/30 * * * * *');
  assert.deepEqual(options.leaderElection, {
    enabled: true,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    namespace: undefined,
    leaseName: 'argo-rollouts-controller-lock',
  });
  assert.deepEqual(options.log, { level: 'info', format: 'json' });
});

test('flags › Argo spellings: --flag=value, --flag value, bare and =false booleans, Go durations', () => {
  const { options, rest } = parseMachineryFlags([
    '--qps=100',
    '--burst',
    '200',
    '--leader-elect=false',
    '--namespaced',
    '--instance-id',
    'blue',
    '--leader-election-lease-duration=1m',
    '--leader-election-renew-deadline=45s',
    '--leader-election-retry-period=5s',
    '--rollout-threads=4',
    'positional',
  ]);
  assert.equal(options.qps, 100);
  assert.equal(options.burst, 200);
  assert.equal(options.leaderElection.enabled, false);
  assert.equal(options.namespaced, true);
  assert.equal(options.instanceId, 'blue');
  assert.equal(options.leaderElection.leaseName, 'argo-rollouts-controller-lock-blue', 'sharded controllers elect independently');
  assert.equal(options.leaderElection.leaseDurationMs, 60_000);
  assert.deepEqual(rest, ['--rollout-threads=4', 'positional'], 'flags of other parts pass through');
});

test('flags › bad values are usage errors that say what would be accepted', () => {
  const bad: Array<[string[], RegExp]> = [
    [['--qps=fast'], /--qps: expected a number, got "fast"/],
    [['--burst=0'], /--burst must be at least 1/],
    [['--leader-elect=maybe'], /expected true or false/],
    [['--leader-election-lease-duration=5s'], /lease-duration \(5000ms\) must be greater than --leader-election-renew-deadline/],
    [['--leader-election-retry-period=soon'], /invalid duration "soon": expected e\.g\. 15s/],
    [['--resync=every minute'], /invalid --resync cron expression/],
    [['--loglevel=chatty'], /--loglevel: invalid log level/],
    [['--logformat=xml'], /--logformat must be json or text/],
    [['--namespace=shop'], /--namespace only applies with --namespaced/],
    [['--kubeconfig'], /--kubeconfig needs a value/],
  ];
  for (const [argv, message] of bad) {
    assert.throws(() => parseMachineryFlags(argv), (e: unknown) => e instanceof UsageError && message.test((e as Error).message), argv.join(' '));
  }
  assert.throws(() => parseFlags(machineryFlags, ['--nope']), /unknown flag --nope/);
});

test('flags › durations', () => {
  assert.equal(parseDuration('15s'), 15_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('900'), 900_000, 'a bare number is seconds, as Argo\'s --rollout-resync');
  assert.throws(() => parseDuration('15 s'));
});

test('flags › help lists each flag with its default', () => {
  const help = formatFlagHelp(machineryFlags);
  assert.match(help, /--leader-election-lease-duration duration\s+.*\(default 15s\)/);
  assert.match(help, /--qps number\s+.*\(default 40\)/);
  assert.match(help, /--leader-elect\s+.*\(default true\)/);
});
