// `ramp controller`: the long-running Rollout controller.
import { controllerFlags, controllerOptionsFrom, parseControllerArgs, serverFlags, serverSettingsFrom } from '../../app/options.ts';
import { ControllerMetrics } from '../../metrics/registry.ts';
import { startControllerServers } from '../../metrics/server.ts';
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

Serves GET /metrics (Prometheus) on --metricsPort and GET /healthz, /readyz on --healthzPort.

Flags:
${formatFlagHelp([...machineryFlags, ...controllerFlags, ...serverFlags])}

See docs/controller.md.`;

export const controllerCommand: Command = {
  name: 'controller',
  summary: 'Run the Rollout controller (long-running, leader-elected)',
  usage,
  async run(args, io) {
    const parsed = parseControllerArgs(args, serverFlags);
    const settings = serverSettingsFrom(parsed.own);
    const metrics = new ControllerMetrics();
    const options = { ...controllerOptionsFrom(parsed, undefined, metrics.requestObserved), metrics };
    const shutdown = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      options.logger.info('shutting down', { signal });
      shutdown.abort(new Error(`received ${signal}`));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    let servers: Awaited<ReturnType<typeof startControllerServers>> | undefined;
    try {
      const running = startController({ ...options, signal: shutdown.signal });
      servers = await startControllerServers({ ...settings, metrics, health: running }).catch(async (error: unknown) => {
        await running.stop();
        throw error;
      });
      options.logger.info('serving metrics and health', { host: settings.host, metricsPort: servers.metricsPort, healthzPort: servers.healthzPort });
      const outcome = await running.done;
      if (outcome === 'lost') {
        io.err('ramp controller: leadership lost; exiting so a fresh instance can take over');
        return ExitCode.failed;
      }
      return ExitCode.ok;
    } finally {
      await servers?.close();
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
  },
};
