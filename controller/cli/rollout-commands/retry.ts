import { retry, retryExperimentPatch } from '../../../functions/cli/index.ts';
import { isNotFound } from '../../kube/errors.ts';
import { resourcePath } from '../../kube/resource.ts';
import { UsageError, type Command } from '../command.ts';
import type { CliIO } from './cli-io.ts';
import { parseCommandLine, reportFailure, runAction } from './action-command.ts';
import { CONNECTION_HELP, connect, type Connection } from './connection.ts';
import { Experiments } from './resources.ts';
import { NotFound } from './rollout-api.ts';

const ROLLOUT_WORDS = new Set(['rollout', 'rollouts', 'ro']);
const EXPERIMENT_WORDS = new Set(['experiment', 'experiments', 'exp']);

async function retryExperiment(connection: Connection, name: string, io: CliIO): Promise<number> {
  try {
    await connection.client
      .request({ method: 'PATCH', path: resourcePath(Experiments, connection.namespace, name), body: retryExperimentPatch(), patchType: 'merge' })
      .catch((error: unknown) => {
        if (isNotFound(error)) throw new NotFound(`experiment '${name}' not found in namespace '${connection.namespace}'`);
        throw error;
      });
    io.out(`experiment '${name}' retried`);
    return 0;
  } catch (error) {
    return reportFailure(io, 'retry', error);
  }
}

export const retryCommand: Command = {
  name: 'retry',
  summary: 'Retry an aborted rollout (or, with "experiment", a failed experiment)',
  usage: `Usage: ramp retry [rollout] ROLLOUT... [flags]
       ramp retry experiment EXPERIMENT... [flags]

Rollout: sets {"status":{"abort":false}} through the status subresource; the controller runs
the update again from its first step, with new AnalysisRuns.
Experiment: removes its status ({"status":null}); the controller starts it again.

${CONNECTION_HELP}`,
  async run(args, io: CliIO) {
    const { values, positional } = parseCommandLine([], args);
    let kind: 'rollout' | 'experiment' = 'rollout';
    let names = positional;
    const first = positional[0];
    if (first !== undefined && positional.length > 1 && ROLLOUT_WORDS.has(first)) names = positional.slice(1);
    else if (first !== undefined && EXPERIMENT_WORDS.has(first)) {
      if (positional.length === 1) throw new UsageError('missing the experiment name');
      kind = 'experiment';
      names = positional.slice(1);
    }
    if (names.length === 0) throw new UsageError('missing the rollout name');
    let connection: Connection;
    try {
      connection = await connect(values);
    } catch (error) {
      return reportFailure(io, 'retry', error);
    }
    let code = 0;
    for (const name of names) {
      const result = kind === 'experiment' ? await retryExperiment(connection, name, io) : await runAction({ name: 'retry', plan: (ro) => retry(ro) }, connection, name, io, values);
      code = Math.max(code, result);
    }
    return code;
  },
};
