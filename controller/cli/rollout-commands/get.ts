// `ramp get rollout ROLLOUT [--watch]`
import { renderRolloutTree } from '../../../functions/cli/index.ts';
import { describeError } from '../../kube/errors.ts';
import { UsageError, type Command } from '../command.ts';
import { interruptSignal, nowOf, sleepUnlessAborted, terminalOf, type CliIO } from './cli-io.ts';
import { parseCommandLine, reportFailure } from './action-command.ts';
import { CONNECTION_HELP, connect, type Connection } from './connection.ts';
import { FrameWriter } from './frame-writer.ts';
import { NotFound, getFamily, getRollout } from './rollout-api.ts';

const usage = `Usage: ramp get rollout ROLLOUT [--watch] [flags]

Shows a rollout as Argo's "kubectl argo rollouts get rollout" does: status and message,
strategy, step and weights, images (stable/canary/active/preview), replica counts, and a tree
of revisions -> ReplicaSets -> pods, with the AnalysisRuns (and their Jobs) of each revision.

  -w, --watch                 keep the view up to date (redrawn in place on a terminal,
                              re-printed on change otherwise) until Ctrl-C
      --interval DURATION     how often --watch refreshes (default 1s)
      --timeout-seconds N     stop watching after N seconds (default 0: never)
      --no-color              no ANSI colours (also: NO_COLOR set, or not a terminal)

${CONNECTION_HELP}

Aliases: "get ro", "get rollouts". Exit 1 when the rollout is not found.`;

const ROLLOUT_WORDS = new Set(['rollout', 'rollouts', 'ro']);

async function frame(connection: Connection, name: string, io: CliIO, colour: boolean): Promise<{ lines: string[]; key: string }> {
  const rollout = await getRollout(connection, name);
  const family = await getFamily(connection, rollout);
  const now = nowOf(io);
  const lines = renderRolloutTree(rollout, family.replicaSets, family.pods, family.analysisRuns, { now, colour });
  const key = renderRolloutTree(rollout, family.replicaSets, family.pods, family.analysisRuns, { now, colour: false, ages: false }).join('\n');
  return { lines, key };
}

async function watch(connection: Connection, name: string, io: CliIO, options: { colour: boolean; intervalMs: number; timeoutMs: number; writer: FrameWriter }): Promise<number> {
  const interrupt = interruptSignal(io);
  const signal = options.timeoutMs > 0 ? AbortSignal.any([interrupt.signal, AbortSignal.timeout(options.timeoutMs)]) : interrupt.signal;
  try {
    let first = true;
    let lastError = '';
    while (!signal.aborted) {
      try {
        const { lines, key } = await frame(connection, name, io, options.colour);
        options.writer.draw(lines, key);
        lastError = '';
      } catch (error) {
        // The first read decides (not found: exit 1); later a failed refresh keeps the last frame.
        if (first || error instanceof NotFound) throw error;
        const message = describeError(error);
        if (message !== lastError) io.err(`ramp get rollout: ${message}; trying again`);
        lastError = message;
      }
      first = false;
      await sleepUnlessAborted(options.intervalMs, signal);
    }
    return 0;
  } finally {
    interrupt.release();
  }
}

export const getCommand: Command = {
  name: 'get',
  summary: 'Show a rollout with its revisions, ReplicaSets, pods and analysis (get rollout)',
  usage,
  async run(args, io: CliIO) {
    const { values, positional } = parseCommandLine(
      [
        { name: 'watch', aliases: ['w'], type: 'bool', default: false, help: 'keep the view up to date' },
        { name: 'interval', type: 'duration', default: 1000, help: 'refresh interval of --watch' },
        { name: 'timeout-seconds', type: 'int', default: 0, help: 'stop watching after N seconds' },
        { name: 'no-color', type: 'bool', default: false, help: 'no ANSI colours' },
      ],
      args,
    );
    const [kind, name, ...extra] = positional;
    if (kind === undefined) throw new UsageError('missing what to get: ramp get rollout ROLLOUT');
    if (!ROLLOUT_WORDS.has(kind)) throw new UsageError(`cannot get ${JSON.stringify(kind)}: only "get rollout ROLLOUT" is supported`);
    if (name === undefined) throw new UsageError('missing the rollout name');
    if (extra.length > 0) throw new UsageError(`takes one rollout name, got ${extra.length + 1}: ${[name, ...extra].join(' ')}`);
    const intervalMs = values['interval'] as number;
    if (intervalMs < 100) throw new UsageError('--interval: want at least 100ms');
    const timeoutSeconds = values['timeout-seconds'] as number;
    if (timeoutSeconds < 0) throw new UsageError('--timeout-seconds: want 0 or more');
    const terminal = terminalOf(io, values['no-color'] === true);
    try {
      const connection = await connect(values);
      if (values['watch'] !== true) {
        const { lines } = await frame(connection, name, io, terminal.colour);
        for (const line of lines) io.out(line);
        return 0;
      }
      return await watch(connection, name, io, { colour: terminal.colour, intervalMs, timeoutMs: timeoutSeconds * 1000, writer: new FrameWriter(io, terminal) });
    } catch (error) {
      return reportFailure(io, 'get rollout', error);
    }
  },
};
