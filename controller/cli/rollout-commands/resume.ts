import { resume } from '../../../functions/cli/index.ts';
import { actionCommand } from './action-command.ts';
import { CONNECTION_HELP } from './connection.ts';

export const resumeCommand = actionCommand({
  name: 'resume',
  summary: 'Resume a paused rollout without skipping a step',
  usage: `Usage: ramp resume ROLLOUT... [flags]

Argo CD's "resume" action: clears {"status":{"pauseConditions":null}} (status subresource)
when the controller paused the rollout, and sets {"spec":{"paused":false}} when a user did.
Unlike "promote", it never skips the current canary step.

${CONNECTION_HELP}`,
  many: true,
  plan: (rollout) => resume(rollout),
});
