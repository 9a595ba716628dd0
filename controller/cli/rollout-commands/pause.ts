import { pause } from '../../../functions/cli/index.ts';
import { actionCommand } from './action-command.ts';
import { CONNECTION_HELP } from './connection.ts';

export const pauseCommand = actionCommand({
  name: 'pause',
  summary: 'Pause a rollout (spec.paused: true)',
  usage: `Usage: ramp pause ROLLOUT... [flags]

Sets {"spec":{"paused":true}}: the controller holds the rollout where it is (the next update
too) until "ramp resume" or "ramp promote".

${CONNECTION_HELP}`,
  many: true,
  plan: (rollout) => pause(rollout),
});
