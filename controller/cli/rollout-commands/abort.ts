import { abort } from '../../../functions/cli/index.ts';
import { actionCommand } from './action-command.ts';
import { CONNECTION_HELP } from './connection.ts';

export const abortCommand = actionCommand({
  name: 'abort',
  summary: 'Abort an update: traffic and pods go back to the stable version',
  usage: `Usage: ramp abort ROLLOUT... [flags]

Sets {"status":{"abort":true}} through the status subresource. The controller scales the
canary (or preview) down, points traffic back at the stable ReplicaSet and reports the
rollout Degraded until "ramp retry" or a new update.

${CONNECTION_HELP}

Exit 1 when a rollout is not found or is fully promoted (nothing to abort).`,
  many: true,
  plan: (rollout) => abort(rollout),
});
