// The contract every `ramp` subcommand implements.

export interface CommandIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Exit codes shared by every command: 0 success, 1 the thing failed, 2 usage. */
export const ExitCode = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class UsageError extends Error {}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

/**
 * What `ramp --help` needs to know of a command without loading it: a command's module (and the
 * Kubernetes client, express, …) is imported only when that command runs.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** An entry for a command that is already loaded (tests, small built-ins). */
export function loadedEntry(command: Command): CommandEntry {
  return { name: command.name, summary: command.summary, load: async () => command };
}
