// Reading a Rollout and what belongs to it, and sending an ActionPlan's writes: the I/O half of
// the rollout commands (the decisions are in functions/cli/).
import type { AnalysisRun, Rollout } from '../../../functions/api/index.ts';
import type { ActionPlan, PodView, ReplicaSetView, RolloutWrite } from '../../../functions/cli/index.ts';
import { isNotFound } from '../../kube/errors.ts';
import { formatLabelSelector } from '../../../functions/selectors/index.ts';
import type { KubeClient } from '../../kube/client.ts';
import { resourcePath } from '../../kube/resource.ts';
import { AnalysisRuns, Pods, ReplicaSets, Rollouts, resourceOf } from './resources.ts';
import type { Connection } from './connection.ts';

/** The object the command needs is not there: exit 1 with this message. */
export class NotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFound';
  }
}

export async function getRollout(conn: Connection, name: string): Promise<Rollout> {
  try {
    return await conn.client.request<Rollout>({ method: 'GET', path: resourcePath(Rollouts, conn.namespace, name) });
  } catch (error) {
    if (isNotFound(error)) throw new NotFound(`rollout '${name}' not found in namespace '${conn.namespace}'`);
    throw error;
  }
}

/** GET of any namespaced object by kind (a workloadRef target); NotFound names it. */
export async function getObject<T>(conn: Connection, kind: 'Deployment' | 'ReplicaSet' | 'PodTemplate', name: string): Promise<T> {
  try {
    return await conn.client.request<T>({ method: 'GET', path: resourcePath(resourceOf(kind), conn.namespace, name) });
  } catch (error) {
    if (isNotFound(error)) throw new NotFound(`${kind.toLowerCase()} '${name}' not found in namespace '${conn.namespace}'`);
    throw error;
  }
}

async function list<T>(client: KubeClient, path: string, labelSelector: string | undefined): Promise<T[]> {
  const result = await client.request<{ items?: T[] }>({ method: 'GET', path, query: { labelSelector: labelSelector || undefined } });
  return result.items ?? [];
}

/** `spec.selector` as a list filter (a superset: ownership is checked by the caller). */
function selectorOf(rollout: Rollout): string | undefined {
  const selector = rollout.spec.selector;
  if (!selector) return undefined;
  return formatLabelSelector(selector) || undefined;
}

export async function listReplicaSets(conn: Connection, rollout: Rollout): Promise<ReplicaSetView[]> {
  return list<ReplicaSetView>(conn.client, resourcePath(ReplicaSets, conn.namespace), selectorOf(rollout));
}

export interface RolloutFamily {
  replicaSets: ReplicaSetView[];
  pods: PodView[];
  analysisRuns: AnalysisRun[];
}

/** ReplicaSets, pods and AnalysisRuns that may belong to the rollout (the renderer checks ownership). */
export async function getFamily(conn: Connection, rollout: Rollout): Promise<RolloutFamily> {
  const selector = selectorOf(rollout);
  const [replicaSets, pods, analysisRuns] = await Promise.all([
    list<ReplicaSetView>(conn.client, resourcePath(ReplicaSets, conn.namespace), selector),
    list<PodView>(conn.client, resourcePath(Pods, conn.namespace), selector),
    list<AnalysisRun>(conn.client, resourcePath(AnalysisRuns, conn.namespace), undefined).catch((error: unknown) => {
      if (isNotFound(error)) return []; // the AnalysisRun CRD is not installed
      throw error;
    }),
  ]);
  return { replicaSets, pods, analysisRuns };
}

/**
 * Sends one write. A merge patch for the status subresource that answers 404 goes to the main
 * resource with its fallback body (Argo's plugin does this for CRDs without a status
 * subresource); a 404 there is "not found".
 */
export async function sendWrite(conn: Connection, write: RolloutWrite): Promise<void> {
  const ref = resourceOf(write.target.kind);
  const main = resourcePath(ref, conn.namespace, write.target.name);
  const notFound = (error: unknown): never => {
    if (isNotFound(error)) throw new NotFound(`${write.target.kind.toLowerCase()} '${write.target.name}' not found in namespace '${conn.namespace}'`);
    throw error;
  };
  switch (write.type) {
    case 'merge':
      if (write.subresource === 'status') {
        try {
          await conn.client.request({ method: 'PATCH', path: `${main}/status`, body: write.body, patchType: 'merge' });
          return;
        } catch (error) {
          if (!isNotFound(error) || write.fallback === undefined) return notFound(error);
        }
        await conn.client.request({ method: 'PATCH', path: main, body: write.fallback, patchType: 'merge' }).catch(notFound);
        return;
      }
      await conn.client.request({ method: 'PATCH', path: main, body: write.body, patchType: 'merge' }).catch(notFound);
      return;
    case 'json':
      await conn.client.request({ method: 'PATCH', path: main, body: write.operations, patchType: 'json' }).catch(notFound);
      return;
    case 'update':
      await conn.client.request({ method: 'PUT', path: main, body: write.object }).catch(notFound);
      return;
  }
}

/** Sends the plan's writes in order. */
export async function applyPlan(conn: Connection, plan: ActionPlan): Promise<void> {
  for (const write of plan.writes) await sendWrite(conn, write);
}
