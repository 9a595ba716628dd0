// What `ramp up` prints once everything runs: what is running, then the commands to watch and
// promote the example. Pure.
import type { SessionSummary } from './session.ts';

/** `-n NS`, always written out so that the commands work from any kubeconfig context. */
const ns = (namespace: string): string => `-n ${namespace}`;

export interface NextCommand {
  command: string;
  note: string;
}

/** The commands a person types next, in order. */
export function nextCommands(summary: SessionSummary): NextCommand[] {
  const commands: NextCommand[] = [{ command: 'eval "$(npx ramp cluster env)"', note: 'KUBECONFIG and kubectl for this cluster' }];
  const ex = summary.example;
  if (!ex) {
    commands.push({ command: 'kubectl apply -f examples/canary.yaml', note: 'a canary demo (or any Rollout of yours)' });
    return commands;
  }
  const { example, namespace } = ex;
  commands.push(
    { command: `npx ramp get rollout ${example.rollout} ${ns(namespace)} --watch`, note: 'watch it (Ctrl-C ends the watch only)' },
    { command: `npx ramp set image ${example.rollout} ${example.container}=${example.nextImage} ${ns(namespace)}`, note: 'start an update' },
    { command: `npx ramp promote ${example.rollout} ${ns(namespace)}`, note: example.promoteNote },
  );
  return commands;
}

export function formatSummary(summary: SessionSummary): string[] {
  const lines: string[] = [];
  const c = summary.cluster;
  const scope = summary.scope === undefined ? 'all namespaces' : `namespace ${summary.scope} only`;
  lines.push('', 'Ramp is running. Ctrl-C stops it.', '');
  lines.push(`  cluster     ${c.server}  ${c.reused ? 'already running, reused' : 'started by this command'}; ${c.nodes.length} KWOK nodes (pods are simulated)`);
  lines.push(`  kubeconfig  ${c.kubeconfig}`);
  lines.push(`  CRDs        ${summary.crds.join(', ')}`);
  lines.push(`  webhook     ${summary.webhook.url}  validation and defaults for ${summary.scope === undefined ? 'all namespaces but kube-system' : scope}`);
  lines.push(`              registered as ${summary.webhook.configurations.join(', ')} (failurePolicy Ignore)`);
  lines.push(`  controller  in this process, ${scope}, no leader election`);
  const ex = summary.example;
  if (ex) {
    const state = ex.phase === '' ? 'no status yet' : `${ex.phase}${ex.message ? ` (${ex.message})` : ''}`;
    lines.push(`  example     Rollout ${ex.example.rollout} in namespace ${ex.namespace} from ${ex.example.file}: ${state}`);
  }
  lines.push(`  logs        ${summary.logFile}`);
  lines.push('', 'In another terminal:', '');
  const commands = nextCommands(summary);
  const width = Math.max(...commands.map((x) => x.command.length));
  for (const x of commands) lines.push(`  ${x.command.padEnd(width)}   # ${x.note}`);
  lines.push('');
  const after = c.stopOnExit
    ? 'and stops the cluster (this command started it; --keep-cluster leaves it running)'
    : c.reused
      ? 'and leaves the cluster running (it was running before; npx ramp cluster down stops it)'
      : 'and leaves the cluster running (--keep-cluster; npx ramp cluster down stops it)';
  lines.push(`Ctrl-C deletes the webhook configurations, stops the controller and the webhook, ${after}.`);
  return lines;
}
