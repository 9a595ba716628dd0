import { promote, promoteFull } from '../../../functions/cli/index.ts';
import { actionCommand } from './action-command.ts';
import { CONNECTION_HELP } from './connection.ts';

export const promoteCommand = actionCommand({
  name: 'promote',
  summary: 'Promote a paused rollout, or skip its current canary step (--full: skip all)',
  usage: `Usage: ramp promote ROLLOUT [--full] [flags]

Promotes a rollout paused at a canary step or a blue-green pause, as Argo's
"kubectl argo rollouts promote" does:
  - spec.paused true            -> {"spec":{"paused":false}}
  - status.pauseConditions set  -> {"status":{"pauseConditions":null}}
  - canary, no pause condition  -> {"status":{"pauseConditions":null,"currentStepIndex":i+1}}
                                   (skips the current step: setWeight, analysis, experiment...)
Status fields go to the status subresource.

  --full   skip the remaining steps, pauses and analysis: {"status":{"promoteFull":true}}

${CONNECTION_HELP}

Exit 1 when there is nothing to promote (not paused, all steps done) or the rollout is aborted.`,
  flags: [{ name: 'full', type: 'bool', default: false, help: 'skip remaining steps, pauses and analysis' }],
  plan: (rollout, { values }) => (values['full'] === true ? promoteFull(rollout) : promote(rollout)),
});
