// Every `ramp` subcommand, registered in one place, in the order `ramp --help` lists them.
// Modules load lazily so that `ramp --help` or `ramp promote` does not import the controller.
// test/unit/cli/registry.test.ts checks each summary here against the command's own.
import type { Command, CommandEntry } from './command.ts';

function entry(name: string, summary: string, load: () => Promise<Command>): CommandEntry {
  return { name, summary, load };
}

export const commands: readonly CommandEntry[] = [
  entry('version', 'Print the Ramp version and the Node.js runtime', async () => (await import('./commands/version.ts')).versionCommand),
  entry('up', 'Run Ramp locally: cluster, CRDs, webhook, controller and an example Rollout (npm start)', async () => (await import('./commands/up.ts')).upCommand),
  entry('cluster', 'Run a local Kubernetes control plane with fake nodes (up|down|env|status)', async () => (await import('./commands/cluster.ts')).clusterCommand),
  entry('controller', 'Run the Rollout controller (long-running, leader-elected)', async () => (await import('./commands/controller.ts')).controllerCommand),
  entry('reconcile', 'Run one complete reconcile pass and exit (reconcile --once, for a CronJob)', async () => (await import('./commands/reconcile.ts')).reconcileCommand),
  entry('webhook', 'Serve the admission webhooks (validate, default, policy, managed Service guard) over HTTPS', async () => (await import('./commands/webhook.ts')).webhookCommand),
  entry('lint', 'Check Rollouts and related manifests offline, as admission would (exit 1 on problems)', async () => (await import('./commands/lint.ts')).lintCommand),
  entry('get', 'Show a rollout with its revisions, ReplicaSets, pods and analysis (get rollout)', async () => (await import('./rollout-commands/get.ts')).getCommand),
  entry('status', 'Show the status of a rollout; wait until it is Healthy or Degraded', async () => (await import('./rollout-commands/status.ts')).statusCommand),
  entry('promote', 'Promote a paused rollout, or skip its current canary step (--full: skip all)', async () => (await import('./rollout-commands/promote.ts')).promoteCommand),
  entry('abort', 'Abort an update: traffic and pods go back to the stable version', async () => (await import('./rollout-commands/abort.ts')).abortCommand),
  entry('retry', 'Retry an aborted rollout (or, with "experiment", a failed experiment)', async () => (await import('./rollout-commands/retry.ts')).retryCommand),
  entry('pause', 'Pause a rollout (spec.paused: true)', async () => (await import('./rollout-commands/pause.ts')).pauseCommand),
  entry('resume', 'Resume a paused rollout without skipping a step', async () => (await import('./rollout-commands/resume.ts')).resumeCommand),
  entry('restart', 'Restart the pods of a rollout (spec.restartAt)', async () => (await import('./rollout-commands/restart.ts')).restartCommand),
  entry('set', 'Set the image of containers of a rollout (set image)', async () => (await import('./rollout-commands/set-image.ts')).setCommand),
  entry('undo', 'Roll back to the pod template of an earlier revision', async () => (await import('./rollout-commands/undo.ts')).undoCommand),
];
