import { ExitCode, UsageError, type CommandEntry, type CommandIO } from './command.ts';
import { commands } from './registry.ts';

const consoleIO: CommandIO = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

export function usage(list: readonly CommandEntry[] = commands): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'Usage: ramp <command> [flags]',
    '',
    'Progressive delivery for Kubernetes, wire-compatible with Argo Rollouts.',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'ramp <command> --help' for a command's flags.",
  ].join('\n');
}

export async function main(argv: string[], io: CommandIO = consoleIO, list: readonly CommandEntry[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage(list));
    return ExitCode.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage(list));
    return ExitCode.ok;
  }
  const entry = list.find((c) => c.name === name);
  if (!entry) {
    io.err(`ramp: unknown command "${name}"\n\n${usage(list)}`);
    return ExitCode.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`ramp ${command.name}: ${error.message}\n\n${command.usage}`);
      return ExitCode.usage;
    }
    io.err(`ramp ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    return ExitCode.failed;
  }
}
