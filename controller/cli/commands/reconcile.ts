// `ramp reconcile --once`: one complete pass, for a CronJob.
import { controllerFlags, controllerOptionsFrom, parseControllerArgs } from '../../app/options.ts';
import { reconcileOnce } from '../../app/start.ts';
import { formatFlagHelp, type FlagSpec } from '../../kube/flags.ts';
import { machineryFlags } from '../../kube/machinery-flags.ts';
import { ExitCode, UsageError, type Command } from '../command.ts';

const onceFlag: FlagSpec = { name: 'once', type: 'bool', default: false, help: 'Run one complete pass and exit (required)' };

const usage = `Usage: ramp reconcile --once [flags]

One complete reconcile pass, then exit: every Rollout is reconciled once (following its
immediate follow-ups), every Service and Ingress is checked for restore. Meant for a CronJob
(concurrencyPolicy: Forbid) instead of, or as well as, a running controller: with
--leader-elect (the default) the pass first takes the controller's Lease, so it never runs
beside a live controller; it gives up, exit 1, when the Lease stays held.

Exit 0 when every object was handled; 1 with a summary of what failed; 2 for usage errors.
--resync is accepted and ignored.

Flags:
${formatFlagHelp([onceFlag, ...machineryFlags, ...controllerFlags])}`;

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'Run one complete reconcile pass and exit (reconcile --once, for a CronJob)',
  usage,
  async run(args, io) {
    const parsed = parseControllerArgs(args, [onceFlag]);
    if (parsed.own['once'] !== true) throw new UsageError('only one-pass mode exists: pass --once (the long-running controller is "ramp controller")');
    const options = controllerOptionsFrom(parsed);
    const shutdown = new AbortController();
    const onSignal = (): void => shutdown.abort(new Error('interrupted'));
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    try {
      const summary = await reconcileOnce({ ...options, signal: shutdown.signal });
      if (!summary.ran) {
        io.err(
          `ramp reconcile: nothing reconciled: ${shutdown.signal.aborted ? 'interrupted' : `the Lease ${options.leaderElection?.namespace}/${options.leaderElection?.leaseName} is held by another instance`}`,
        );
        return ExitCode.failed;
      }
      const wakeUps = [...summary.rollouts.wakeUps].sort((a, b) => a.at.getTime() - b.at.getTime());
      io.out(
        `reconciled ${summary.rollouts.processed} Rollouts (${summary.rollouts.runs} runs), checked ${summary.services.processed} Services and ${summary.ingresses.processed} Ingresses; ${summary.failures.length} failed`,
      );
      if (wakeUps[0]) io.out(`next wanted: ${wakeUps[0].key} at ${wakeUps[0].at.toISOString()}`);
      for (const failure of summary.failures) io.err(`failed: ${failure}`);
      return summary.failures.length === 0 && !summary.rollouts.aborted ? ExitCode.ok : ExitCode.failed;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  },
};
