// The shape shared by promote, abort, retry, pause, resume and restart: parse flags, read each
// named Rollout, let a pure builder decide the writes, send them, print what happened.
import type { Rollout } from '../../../functions/api/index.ts';
import { ActionRefused, type ActionPlan } from '../../../functions/cli/index.ts';
import { describeError } from '../../kube/errors.ts';
import { parseFlags, type FlagSpec, type FlagValue } from '../../kube/flags.ts';
import { UsageError, type Command, type CommandIO } from '../command.ts';
import { nowOf, type CliIO } from './cli-io.ts';
import { CONNECTION_FLAGS, connect, type Connection } from './connection.ts';
import { NotFound, applyPlan, getRollout } from './rollout-api.ts';

/** Prints why a command failed, one line, and returns exit code 1. Usage errors go on up (exit 2). */
export function reportFailure(io: CommandIO, command: string, error: unknown): number {
  if (error instanceof UsageError) throw error;
  const message = error instanceof ActionRefused || error instanceof NotFound ? error.message : describeError(error);
  io.err(`ramp ${command}: ${message}`);
  return 1;
}

export interface ParsedCommandLine {
  values: Record<string, FlagValue | undefined>;
  positional: string[];
}

export function parseCommandLine(flags: readonly FlagSpec[], args: readonly string[]): ParsedCommandLine {
  const { values, rest } = parseFlags([...CONNECTION_FLAGS, ...flags], args);
  return { values, positional: rest.filter((a) => a !== '--') };
}

export interface ActionContext {
  values: Record<string, FlagValue | undefined>;
  now: Date;
  connection: Connection;
}

export interface ActionCommandSpec {
  name: string;
  summary: string;
  usage: string;
  flags?: readonly FlagSpec[];
  /** Takes several rollout names (abort, pause, …); otherwise exactly one. */
  many?: boolean;
  /** Checks flag combinations before anything is read; throw UsageError. */
  validate?: (values: Record<string, FlagValue | undefined>) => void;
  plan(rollout: Rollout, context: ActionContext): ActionPlan | Promise<ActionPlan>;
}

/** Reads the rollout, plans and applies; prints the plan's message. Returns 0, or 1 after printing why not. */
export async function runAction(spec: Pick<ActionCommandSpec, 'name' | 'plan'>, connection: Connection, name: string, io: CliIO, values: Record<string, FlagValue | undefined>): Promise<number> {
  try {
    const rollout = await getRollout(connection, name);
    const plan = await spec.plan(rollout, { values, now: nowOf(io), connection });
    await applyPlan(connection, plan);
    io.out(plan.message);
    return 0;
  } catch (error) {
    return reportFailure(io, spec.name, error);
  }
}

export function actionCommand(spec: ActionCommandSpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(args, io: CliIO) {
      const { values, positional } = parseCommandLine(spec.flags ?? [], args);
      if (positional.length === 0) throw new UsageError('missing the rollout name');
      if (!spec.many && positional.length > 1) throw new UsageError(`takes one rollout name, got ${positional.length}: ${positional.join(' ')}`);
      spec.validate?.(values);
      let connection: Connection;
      try {
        connection = await connect(values);
      } catch (error) {
        return reportFailure(io, spec.name, error);
      }
      let code = 0;
      for (const name of positional) code = Math.max(code, await runAction(spec, connection, name, io, values));
      return code;
    },
  };
}
