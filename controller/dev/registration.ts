// Registering the dev session's webhook configurations with the API server, removing them again,
// and waiting until the API server really calls the webhook.
import { hostname } from 'node:os';
import type { KubernetesObject, V1MutatingWebhookConfiguration, V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/client.ts';
import { describeError, isNotFound, statusCodeOf } from '../kube/errors.ts';
import { resourcePath, type ResourceRef } from '../kube/resource.ts';
import { cmdlineOf, processAlive } from '../localcluster/process.ts';
import { DEV_SESSION_ANNOTATION } from './webhook-configurations.ts';
import { pollUntil } from './wait.ts';

export const ValidatingConfigurations: ResourceRef = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  resource: 'validatingwebhookconfigurations',
  kind: 'ValidatingWebhookConfiguration',
  namespaced: false,
};
export const MutatingConfigurations: ResourceRef = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  resource: 'mutatingwebhookconfigurations',
  kind: 'MutatingWebhookConfiguration',
  namespaced: false,
};

/** `<hostname>/<pid>` of this process. */
export function sessionId(pid: number = process.pid): string {
  return `${hostname()}/${pid}`;
}

/**
 * The pid of another live `ramp up` on this machine that owns a configuration carrying this
 * session annotation; undefined when the owner is this process, gone, or elsewhere.
 */
export function liveOwner(annotation: string | undefined, self: number = process.pid): number | undefined {
  const match = /^(.*)\/(\d+)$/.exec(annotation ?? '');
  if (!match || match[1] !== hostname()) return undefined;
  const pid = Number(match[2]);
  if (pid === self || !processAlive(pid)) return undefined;
  return (cmdlineOf(pid) ?? '').includes('ramp') ? pid : undefined;
}

export interface Registered {
  /** Names of the configurations, "ValidatingWebhookConfiguration ramp-dev". */
  names: string[];
  /** Stale configurations of an earlier session that were replaced. */
  replaced: string[];
  /** Deletes both configurations (only the ones this session created); a missing one is fine. */
  remove(): Promise<void>;
}

/**
 * Creates both configurations. One left behind by a session that is gone is replaced; one of a
 * live session refuses the start, so two sessions never fight over the same name.
 */
export async function registerWebhooks(
  client: KubeClient,
  configs: { validating: V1ValidatingWebhookConfiguration; mutating: V1MutatingWebhookConfiguration },
): Promise<Registered> {
  const items: [ResourceRef, KubernetesObject][] = [
    [ValidatingConfigurations, configs.validating as KubernetesObject],
    [MutatingConfigurations, configs.mutating as KubernetesObject],
  ];
  const replaced: string[] = [];
  for (const [ref, object] of items) {
    const name = object.metadata?.name ?? '';
    const path = resourcePath(ref, undefined, name);
    let existing: KubernetesObject | undefined;
    try {
      existing = await client.request<KubernetesObject>({ method: 'GET', path });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (existing) {
      const owner = liveOwner(existing.metadata?.annotations?.[DEV_SESSION_ANNOTATION]);
      if (owner !== undefined) {
        throw new Error(
          `${ref.kind} ${name} belongs to another ramp up that is still running (pid ${owner}); stop it first, or give this one its own namespace: ramp up --namespaced --namespace OTHER`,
        );
      }
      await deleteIfPresent(client, path, existing.metadata?.uid);
      replaced.push(`${ref.kind} ${name} (left by ${existing.metadata?.annotations?.[DEV_SESSION_ANNOTATION] ?? 'someone else'})`);
    }
  }
  const created: { path: string; uid: string | undefined }[] = [];
  const remove = async (): Promise<void> => {
    const errors: string[] = [];
    for (const c of created.splice(0).reverse()) {
      try {
        await deleteIfPresent(client, c.path, c.uid);
      } catch (error) {
        errors.push(`${c.path}: ${describeError(error)}`);
      }
    }
    if (errors.length > 0) throw new Error(`could not delete the webhook configurations: ${errors.join('; ')}`);
  };
  try {
    for (const [ref, object] of items) {
      const stored = await client.request<KubernetesObject>({ method: 'POST', path: resourcePath(ref), body: object });
      created.push({ path: resourcePath(ref, undefined, object.metadata?.name), uid: stored.metadata?.uid });
    }
  } catch (error) {
    await remove().catch(() => undefined);
    throw error;
  }
  return { names: items.map(([ref, o]) => `${ref.kind} ${o.metadata?.name}`), replaced, remove };
}

async function deleteIfPresent(client: KubeClient, path: string, uid: string | undefined): Promise<void> {
  try {
    await client.request({
      method: 'DELETE',
      path,
      body: { apiVersion: 'v1', kind: 'DeleteOptions', ...(uid ? { preconditions: { uid } } : {}) },
    });
  } catch (error) {
    // 404: already gone; 409 on the uid precondition: someone replaced it, and it is theirs now.
    if (isNotFound(error) || statusCodeOf(error) === 409) return;
    throw error;
  }
}

/** A Rollout the CRD schema accepts and Ramp's validation refuses (setWeight above 100). */
export function probeRollout(namespace: string): KubernetesObject & { spec: unknown } {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'ramp-up-webhook-probe', namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'ramp-up-webhook-probe' } },
      template: {
        metadata: { labels: { app: 'ramp-up-webhook-probe' } },
        spec: { containers: [{ name: 'probe', image: 'probe:never-created' }] },
      },
      strategy: { canary: { steps: [{ setWeight: 120 }] } },
    },
  };
}

/**
 * The API server learns of new configurations through an informer: until then it admits without
 * calling the webhook. Sends dry-run creates of an invalid Rollout until the webhook refuses one.
 */
export async function waitForWebhookCalls(client: KubeClient, namespace: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
  const body = probeRollout(namespace);
  await pollUntil(
    async () => {
      try {
        await client.request({
          method: 'POST',
          path: resourcePath({ group: 'argoproj.io', version: 'v1alpha1', resource: 'rollouts', kind: 'Rollout', namespaced: true }, namespace),
          query: { dryRun: 'All' },
          body,
        });
        return 'an invalid Rollout was admitted (the API server has not called the webhook yet, or could not reach it)';
      } catch (error) {
        const message = describeError(error);
        return message.includes('validate.ramp.dev') || message;
      }
    },
    {
      what: 'the API server to call the webhook (a dry-run create of an invalid Rollout to be refused)',
      timeoutMs: opts.timeoutMs ?? 30_000,
      intervalMs: 300,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  );
}
