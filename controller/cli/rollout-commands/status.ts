// `ramp status ROLLOUT [--watch] [--timeout D]`
import { formatHealth, healthVerdict, rolloutHealth, type RolloutHealth } from '../../../functions/cli/index.ts';
import { describeError } from '../../kube/errors.ts';
import { formatDuration } from '../../kube/flags.ts';
import { UsageError, type Command } from '../command.ts';
import { interruptSignal, type CliIO } from './cli-io.ts';
import { parseCommandLine, reportFailure } from './action-command.ts';
import { CONNECTION_HELP, connect, type Connection } from './connection.ts';
import { getRollout } from './rollout-api.ts';
import { watchRollout } from './watch-rollout.ts';

const usage = `Usage: ramp status ROLLOUT [--watch=false] [--timeout DURATION] [flags]

Prints the rollout's status line ("Healthy", "Paused - CanaryPauseStep", ...) as Argo's
"kubectl argo rollouts status" decides it, and by default watches until the rollout is
Healthy (exit 0) or Degraded (exit 1), printing each new status line.

  -w, --watch[=false]       keep watching until Healthy or Degraded (default true);
                            --watch=false prints once: exit 1 only when Degraded
  -t, --timeout DURATION    give up watching after this long, e.g. 90s, 10m (exit 1);
                            0 (the default) waits for ever

${CONNECTION_HELP}

Exit codes: 0 Healthy (or, with --watch=false, not Degraded), 1 Degraded, timed out,
interrupted or not found, 2 usage.`;

function degraded(io: CliIO, health: RolloutHealth): number {
  io.err(`ramp status: the rollout is in a degraded state with message: ${health.message}`);
  return 1;
}

async function watchUntilDone(connection: Connection, name: string, io: CliIO, timeoutMs: number): Promise<number> {
  const interrupt = interruptSignal(io);
  const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  const signal = timeout ? AbortSignal.any([interrupt.signal, timeout]) : interrupt.signal;
  let previous = '';
  try {
    const onError = (error: unknown): void => io.err(`ramp status: ${describeError(error)}; trying again`);
    for await (const rollout of watchRollout(connection, name, signal, { onError })) {
      if (rollout === null) {
        io.err(`ramp status: rollout '${name}' not found in namespace '${connection.namespace}' (deleted?)`);
        return 1;
      }
      const health = rolloutHealth(rollout);
      const line = formatHealth(health);
      if (line !== previous) io.out(line);
      previous = line;
      const verdict = healthVerdict(health);
      if (verdict === 'healthy') return 0;
      if (verdict === 'degraded') return degraded(io, health);
    }
  } finally {
    interrupt.release();
  }
  if (timeout?.aborted) io.err(`ramp status: rollout '${name}' is not Healthy after ${formatDuration(timeoutMs)} (--timeout): ${previous}`);
  else io.err(`ramp status: interrupted while rollout '${name}' is ${previous || 'not yet read'}`);
  return 1;
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show the status of a rollout; wait until it is Healthy or Degraded',
  usage,
  async run(args, io: CliIO) {
    const { values, positional } = parseCommandLine(
      [
        { name: 'watch', aliases: ['w'], type: 'bool', default: true, help: 'watch until done' },
        { name: 'timeout', aliases: ['t'], type: 'duration', default: 0, help: 'give up after' },
      ],
      args,
    );
    if (positional.length === 0) throw new UsageError('missing the rollout name');
    if (positional.length > 1) throw new UsageError(`takes one rollout name, got ${positional.length}: ${positional.join(' ')}`);
    const name = positional[0]!;
    try {
      const connection = await connect(values);
      if (values['watch'] !== true) {
        const health = rolloutHealth(await getRollout(connection, name));
        io.out(formatHealth(health));
        return healthVerdict(health) === 'degraded' ? degraded(io, health) : 0;
      }
      return await watchUntilDone(connection, name, io, values['timeout'] as number);
    } catch (error) {
      return reportFailure(io, 'status', error);
    }
  },
};
