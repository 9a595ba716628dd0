// `ramp up` (what `npm start` runs): the local cluster, CRDs, webhook, controller and an example
// Rollout, until Ctrl-C. The work is in controller/dev/; this file parses flags, prints, and
// turns signals into a clean stop.
import { formatFlagHelp, parseFlags, type FlagSpec } from '../../kube/flags.ts';
import { parseLogLevel, type LogLevel } from '../../log/logger.ts';
import { DEMO_NAMESPACE, examples, findExample, type Example } from '../../dev/examples.ts';
import { formatSummary } from '../../dev/report.ts';
import { Interrupted, startDevSession } from '../../dev/session.ts';
import { ExitCode, UsageError, type Command, type CommandIO } from '../command.ts';

const flags: readonly FlagSpec[] = [
  { name: 'namespace', aliases: ['n'], type: 'string', default: DEMO_NAMESPACE, help: 'Namespace of the example (created if missing)' },
  {
    name: 'namespaced',
    type: 'bool',
    default: false,
    help: 'Run the controller and register the webhooks for --namespace only (to share a cluster with others)',
  },
  { name: 'example', type: 'string', default: 'canary', help: `Example to apply: ${examples.map((e) => e.name).join(', ')} or none` },
  { name: 'keep-cluster', type: 'bool', default: false, help: 'On exit, leave running a cluster this command started' },
  { name: 'loglevel', type: 'string', default: 'info', help: 'Controller and webhook log level (debug, info, warn, error), logged to <state dir>/logs/ramp-up.log' },
];

const usage = `Usage: ramp up [flags]

Ramp's embedded default (npm start): starts the local control plane (or reuses a running one),
installs the CRDs, serves the admission webhook in this process on a free 127.0.0.1 port and
registers it with the API server, runs the controller in this process, applies an example
Rollout from examples/, and prints the commands to watch and promote it. Runs until Ctrl-C.

Ctrl-C (SIGINT) or SIGTERM: delete the webhook configurations, stop the controller and the
webhook, and stop the cluster if this command started it (a cluster that was already running is
left running). Exit 0. Another Ctrl-C while stopping (a second or more after the first) exits
at once (130).

Flags:
${formatFlagHelp(flags)}

The webhook configurations use failurePolicy Ignore, so a session killed without cleaning up
blocks nothing; the next ramp up replaces them. See docs/getting-started.md.`;

export interface UpFlags {
  namespace: string;
  namespaced: boolean;
  example: Example | undefined;
  keepCluster: boolean;
  logLevel: LogLevel;
}

export function parseUpFlags(args: readonly string[]): UpFlags {
  const { values, rest } = parseFlags(flags, args);
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  const namespace = values['namespace'] as string;
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) throw new UsageError(`--namespace: ${JSON.stringify(namespace)} is not a valid namespace name (lower-case letters, digits and "-", at most 63)`);
  const exampleName = values['example'] as string;
  const example = exampleName === 'none' ? undefined : findExample(exampleName);
  if (exampleName !== 'none' && !example) throw new UsageError(`--example: want ${examples.map((e) => e.name).join(', ')} or none, got ${JSON.stringify(exampleName)}`);
  let logLevel: LogLevel;
  try {
    logLevel = parseLogLevel(values['loglevel'] as string);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { namespace, namespaced: values['namespaced'] as boolean, example, keepCluster: values['keep-cluster'] as boolean, logLevel };
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const options = parseUpFlags(args);
  const interrupt = new AbortController();
  let stopRequested: (signal: string) => void = () => undefined;
  const stopSignal = new Promise<string>((resolve) => {
    stopRequested = resolve;
  });
  let stopping = false;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // Ctrl-C under `npm start` arrives twice: from the terminal and forwarded by npm. A repeat
    // within a second is the same Ctrl-C; a later one means "stop now".
    if (stopping && Date.now() - firstSignalAt < 1_000) return;
    if (stopping) {
      io.err(`${signal} again: exiting without finishing the clean-up. Left behind, perhaps: the webhook configurations (kubectl delete validatingwebhookconfiguration,mutatingwebhookconfiguration -l app.kubernetes.io/managed-by=ramp-up) and the cluster (npx ramp cluster down)`);
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    io.out('');
    io.out(`${signal}: stopping what ramp up started`);
    interrupt.abort(new Error(signal));
    stopRequested(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let session;
    try {
      session = await startDevSession({
        namespace: options.namespace,
        namespaced: options.namespaced,
        example: options.example,
        keepCluster: options.keepCluster,
        logLevel: options.logLevel,
        progress: (line) => io.out(line),
        signal: interrupt.signal,
      });
    } catch (error) {
      if (error instanceof Interrupted) {
        io.out('stopped before the start was complete');
        return 130;
      }
      throw error;
    }
    for (const line of formatSummary(session.summary)) io.out(line);
    const ended = await Promise.race([stopSignal.then(() => undefined), session.failed]);
    if (ended !== undefined && !stopping) {
      stopping = true;
      io.err(`ramp up: ${ended}; stopping the rest`);
      await session.stop();
      return ExitCode.failed;
    }
    await session.stop();
    io.out('stopped');
    return ExitCode.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export const upCommand: Command = {
  name: 'up',
  summary: 'Run Ramp locally: cluster, CRDs, webhook, controller and an example Rollout (npm start)',
  usage,
  run,
};
