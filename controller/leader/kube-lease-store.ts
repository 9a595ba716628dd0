// LeaseStore on a real coordination.k8s.io/v1 Lease.
//
// Lease traffic has its own small rate limiter and no HTTP-level retries: a renewal must not wait
// in line behind a burst of reconcile writes (that is how a busy leader loses its lease), and the
// elector already retries every retry period within its renew deadline.
import type { V1Lease } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/client.ts';
import { TokenBucket } from '../kube/rate-limiter.ts';
import { Leases, resourcePath } from '../kube/resource.ts';
import type { LeaseRecord, LeaseStore, StoredLease } from './lease-store.ts';
import { isNotFound } from '../kube/errors.ts';

export interface KubeLeaseStoreOptions {
  namespace: string;
  name: string;
}

function toStored(lease: V1Lease): StoredLease {
  const spec = lease.spec ?? {};
  const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : v instanceof Date ? v.toISOString() : String(v));
  const acquireTime = str(spec.acquireTime);
  const renewTime = str(spec.renewTime);
  return {
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    record: {
      holderIdentity: spec.holderIdentity ?? '',
      leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
      ...(acquireTime ? { acquireTime } : {}),
      ...(renewTime ? { renewTime } : {}),
      leaseTransitions: spec.leaseTransitions ?? 0,
    },
  };
}

export class KubeLeaseStore implements LeaseStore {
  readonly description: string;
  readonly #client: KubeClient;
  readonly #namespace: string;
  readonly #name: string;

  constructor(client: KubeClient, options: KubeLeaseStoreOptions) {
    this.#client = client.derive({ limiter: new TokenBucket({ qps: 5, burst: 10 }), retry: { maxAttempts: 1 } });
    this.#namespace = options.namespace;
    this.#name = options.name;
    this.description = `${options.namespace}/${options.name}`;
  }

  async get(signal?: AbortSignal): Promise<StoredLease | undefined> {
    try {
      const lease = await this.#client.request<V1Lease>({ method: 'GET', path: resourcePath(Leases, this.#namespace, this.#name), ...(signal ? { signal } : {}) });
      return toStored(lease);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async create(record: LeaseRecord, signal?: AbortSignal): Promise<StoredLease> {
    const lease = await this.#client.request<V1Lease>({
      method: 'POST',
      path: resourcePath(Leases, this.#namespace),
      body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.#name, namespace: this.#namespace }, spec: record },
      ...(signal ? { signal } : {}),
    });
    return toStored(lease);
  }

  async update(record: LeaseRecord, resourceVersion: string, signal?: AbortSignal): Promise<StoredLease> {
    const lease = await this.#client.request<V1Lease>({
      method: 'PUT',
      path: resourcePath(Leases, this.#namespace, this.#name),
      body: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.#name, namespace: this.#namespace, resourceVersion },
        spec: record,
      },
      ...(signal ? { signal } : {}),
    });
    return toStored(lease);
  }
}
