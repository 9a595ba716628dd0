import { restart } from '../../../functions/cli/index.ts';
import { actionCommand } from './action-command.ts';
import { CONNECTION_HELP } from './connection.ts';

export const restartCommand = actionCommand({
  name: 'restart',
  summary: 'Restart the pods of a rollout (spec.restartAt)',
  usage: `Usage: ramp restart ROLLOUT [--in DURATION] [flags]

Sets {"spec":{"restartAt":"<now, UTC, RFC 3339>"}}. The controller evicts the pods created
before that time a few at a time (PodDisruptionBudgets apply), then records status.restartedAt.

  -i, --in DURATION   restart later, e.g. 30s, 5m, 1h (default now)

${CONNECTION_HELP}`,
  flags: [{ name: 'in', aliases: ['i'], type: 'duration', default: 0, help: 'delay before the restart' }],
  plan: (rollout, { values, now }) => restart(rollout, now, (values['in'] as number | undefined) ?? 0),
});
