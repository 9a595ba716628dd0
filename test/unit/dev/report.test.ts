import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples } from '../../../controller/dev/examples.ts';
import { formatSummary, nextCommands } from '../../../controller/dev/report.ts';
import type { SessionSummary } from '../../../controller/dev/session.ts';

const canary = examples.find((e) => e.name === 'canary')!;

function summary(over: Partial<SessionSummary> = {}): SessionSummary {
  return {
    cluster: { reused: false, server: 'https://127.0.0.1:21218', kubeconfig: '/home/u/.cache/ramp/cluster/kubeconfig', stateDir: '/home/u/.cache/ramp/cluster', stopOnExit: true, nodes: ['kwok-node-0', 'kwok-node-1', 'kwok-node-2'] },
    crds: ['rollouts.argoproj.io'],
    webhook: { url: 'https://127.0.0.1:40000', configurations: ['ValidatingWebhookConfiguration ramp-dev', 'MutatingWebhookConfiguration ramp-dev'], replaced: [] },
    scope: undefined,
    namespace: 'ramp-demo',
    example: { example: canary, namespace: 'ramp-demo', phase: 'Healthy', message: '', existed: false },
    logFile: '/home/u/.cache/ramp/cluster/logs/ramp-up.log',
    ...over,
  };
}

describe('nextCommands', () => {
  it('env, watch, set image, promote — for the example and its namespace', () => {
    assert.deepEqual(
      nextCommands(summary()).map((c) => c.command),
      [
        'eval "$(npx ramp cluster env)"',
        'npx ramp get rollout demo -n ramp-demo --watch',
        'npx ramp set image demo demo=argoproj/rollouts-demo:yellow -n ramp-demo',
        'npx ramp promote demo -n ramp-demo',
      ],
    );
  });

  it('another namespace is written into every command', () => {
    const s = summary({ namespace: 'mine', example: { example: canary, namespace: 'mine', phase: 'Healthy', message: '', existed: false } });
    for (const c of nextCommands(s).slice(1)) assert.match(c.command, / -n mine( |$)/);
  });

  it('without an example: how to apply one', () => {
    assert.deepEqual(
      nextCommands(summary({ example: undefined })).map((c) => c.command),
      ['eval "$(npx ramp cluster env)"', 'kubectl apply -f examples/canary.yaml'],
    );
  });
});

describe('formatSummary', () => {
  it('says what runs, where the logs are, the commands, and what Ctrl-C stops', () => {
    const text = formatSummary(summary()).join('\n');
    assert.match(text, /cluster +https:\/\/127\.0\.0\.1:21218 +started by this command; 3 KWOK nodes/);
    assert.match(text, /webhook +https:\/\/127\.0\.0\.1:40000 +validation and defaults for all namespaces but kube-system/);
    assert.match(text, /\(failurePolicy Ignore\)/);
    assert.match(text, /controller +in this process, all namespaces, no leader election/);
    assert.match(text, /example +Rollout demo in namespace ramp-demo from examples\/canary\.yaml: Healthy/);
    assert.match(text, /logs +\/home\/u\/\.cache\/ramp\/cluster\/logs\/ramp-up\.log/);
    assert.match(text, /npx ramp promote demo -n ramp-demo +# past the pause/);
    assert.match(text, /and stops the cluster \(this command started it; --keep-cluster leaves it running\)/);
  });

  it('a reused cluster is left running, and the scope is named when namespaced', () => {
    const text = formatSummary(summary({ cluster: { ...summary().cluster, reused: true, stopOnExit: false }, scope: 'ramp-demo' })).join('\n');
    assert.match(text, /already running, reused/);
    assert.match(text, /leaves the cluster running \(it was running before/);
    assert.match(text, /controller +in this process, namespace ramp-demo only/);
  });

  it('--keep-cluster on a cluster it started', () => {
    const text = formatSummary(summary({ cluster: { ...summary().cluster, stopOnExit: false } })).join('\n');
    assert.match(text, /leaves the cluster running \(--keep-cluster/);
  });
});
