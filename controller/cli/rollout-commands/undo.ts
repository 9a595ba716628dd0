import { UsageError } from '../command.ts';
import { undo } from '../../../functions/cli/index.ts';
import type { PodTemplateView } from '../../../functions/cli/index.ts';
import { actionCommand } from './action-command.ts';
import { CONNECTION_HELP } from './connection.ts';
import { getObject, listReplicaSets } from './rollout-api.ts';

export const undoCommand = actionCommand({
  name: 'undo',
  summary: 'Roll back to the pod template of an earlier revision',
  usage: `Usage: ramp undo ROLLOUT [--to-revision N] [flags]

Copies the pod template of the ReplicaSet with revision N (default: the one before the newest)
into the Rollout, without the rollouts-pod-template-hash label, as a JSON patch
[{"op":"replace","path":"/spec/template","value":...}]. With spec.workloadRef the template goes
to the referenced Deployment, ReplicaSet or PodTemplate instead.

      --to-revision N   the revision to go back to (default 0: the previous one)

${CONNECTION_HELP}

Exit 1 when the revision is not in the history.`,
  flags: [{ name: 'to-revision', type: 'int', default: 0, help: 'revision to roll back to' }],
  validate: (values) => {
    const n = values['to-revision'] as number;
    if (n < 0) throw new UsageError(`--to-revision: want 0 (previous) or a revision number, got ${n}`);
  },
  async plan(rollout, { values, connection }) {
    const replicaSets = await listReplicaSets(connection, rollout);
    const ref = rollout.spec.workloadRef;
    let workloadTemplate: PodTemplateView | undefined;
    if (ref && (ref.kind === 'Deployment' || ref.kind === 'ReplicaSet' || ref.kind === 'PodTemplate') && ref.name) {
      const workload = await getObject<{ spec?: { template?: PodTemplateView }; template?: PodTemplateView }>(connection, ref.kind, ref.name);
      workloadTemplate = ref.kind === 'PodTemplate' ? workload.template : workload.spec?.template;
    }
    return undo(rollout, replicaSets, { toRevision: values['to-revision'] as number, ...(workloadTemplate ? { workloadTemplate } : {}) });
  },
});
