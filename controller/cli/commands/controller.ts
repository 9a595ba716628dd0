// `ramp controller`: the long-running Rollout controller.
import { controllerFlags, controllerOptionsFrom, parseControllerArgs } from '../../app/options.ts';
import { startController } from '../../app/start.ts';
import { formatFlagHelp } from '../../kube/flags.ts';
import { machineryFlags } from '../../kube/machinery-flags.ts';
import { ExitCode, type Command } from '../command.ts';

const usage = `Usage: ramp controller [flags]

Runs the Rollout controller: watches Rollouts and the ReplicaSets, Services, Ingresses,
AnalysisRuns and Experiments around them, reconciles each Rollout when something changes, at the
times its steps ask for and on every --resync pass, and gives Services and Ingresses back when
their Rollout is gone. With --leader-elect (the default) only the replica holding the Lease works.

SIGTERM or SIGINT: stop taking work, let running reconciles finish (at most 20 s), release the
Lease, exit 0. Exit 1 when leadership is lost (Kubernetes restarts the pod as a follower).

Flags:
${formatFlagHelp([...machineryFlags, ...controllerFlags])}

See docs/controller.md.`;

export const controllerCommand: Command = {
  name: 'controller',
  summary: 'Run the Rollout controller (long-running, leader-elected)',
  usage,
  async run(args, io) {
    const options = controllerOptionsFrom(parseControllerArgs(args));
    const shutdown = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      options.logger.info('shutting down', { signal });
      shutdown.abort(new Error(`received ${signal}`));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    try {
      const running = startController({ ...options, signal: shutdown.signal });
      const outcome = await running.done;
      if (outcome === 'lost') {
        io.err('ramp controller: leadership lost; exiting so a fresh instance can take over');
        return ExitCode.failed;
      }
      return ExitCode.ok;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  },
};
