// `ramp set image ROLLOUT CONTAINER=IMAGE...`
import type { Rollout } from '../../../functions/api/index.ts';
import { parseImageAssignments, setImage, type ActionPlan, type ImageAssignment } from '../../../functions/cli/index.ts';
import { retryOnConflict } from '../../kube/conflict.ts';
import { UsageError, type Command } from '../command.ts';
import type { CliIO } from './cli-io.ts';
import { parseCommandLine, reportFailure } from './action-command.ts';
import { CONNECTION_HELP, connect, type Connection } from './connection.ts';
import { applyPlan, getObject, getRollout } from './rollout-api.ts';

const usage = `Usage: ramp set image ROLLOUT CONTAINER=IMAGE... [flags]

Changes the image of the named containers (initContainers, containers and ephemeralContainers;
CONTAINER * means all of them) in the rollout's pod template: the Rollout is read and written
back whole, so a concurrent change is retried, never overwritten. With spec.workloadRef the
referenced Deployment is changed instead. A new template starts an update.

${CONNECTION_HELP}

Exit 1 when a container is not found.`;

async function planAndApply(connection: Connection, name: string, assignments: ImageAssignment[]): Promise<ActionPlan> {
  return retryOnConflict(
    async () => {
      const rollout: Rollout = await getRollout(connection, name);
      const ref = rollout.spec.workloadRef;
      const workload = ref?.kind === 'Deployment' && ref.name ? await getObject<Record<string, unknown>>(connection, 'Deployment', ref.name) : undefined;
      return setImage(rollout, assignments, workload);
    },
    async (plan) => {
      await applyPlan(connection, plan);
      return plan;
    },
  );
}

export const setCommand: Command = {
  name: 'set',
  summary: 'Set the image of containers of a rollout (set image)',
  usage,
  async run(args, io: CliIO) {
    const { values, positional } = parseCommandLine([], args);
    const [sub, name, ...pairs] = positional;
    if (sub === undefined) throw new UsageError('missing what to set: ramp set image ROLLOUT CONTAINER=IMAGE');
    if (sub !== 'image') throw new UsageError(`unknown "set ${sub}": only "set image" is supported`);
    if (name === undefined) throw new UsageError('missing the rollout name');
    if (pairs.length === 0) throw new UsageError('missing CONTAINER=IMAGE');
    let assignments: ImageAssignment[];
    try {
      assignments = parseImageAssignments(pairs);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    try {
      const connection = await connect(values);
      const plan = await planAndApply(connection, name, assignments);
      io.out(plan.message);
      return 0;
    } catch (error) {
      return reportFailure(io, 'set image', error);
    }
  },
};
