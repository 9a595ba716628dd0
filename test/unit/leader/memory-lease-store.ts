// An in-memory LeaseStore (our own interface) that enforces resourceVersion like the API server.
import { KubeApiError } from '../../../controller/kube/errors.ts';
import type { LeaseRecord, LeaseStore, StoredLease } from '../../../controller/leader/lease-store.ts';

export class MemoryLeaseStore implements LeaseStore {
  readonly description = 'test/lock';
  stored: StoredLease | undefined;
  #rv = 0;
  writes: LeaseRecord[] = [];

  async get(): Promise<StoredLease | undefined> {
    return this.stored && structuredClone(this.stored);
  }
  async create(record: LeaseRecord): Promise<StoredLease> {
    if (this.stored) throw new KubeApiError({ statusCode: 409, method: 'POST', path: '/leases', status: { reason: 'AlreadyExists' } });
    return this.#put(record);
  }
  async update(record: LeaseRecord, resourceVersion: string): Promise<StoredLease> {
    if (!this.stored || this.stored.resourceVersion !== resourceVersion) {
      throw new KubeApiError({ statusCode: 409, method: 'PUT', path: '/leases/lock', status: { reason: 'Conflict' } });
    }
    return this.#put(record);
  }
  #put(record: LeaseRecord): StoredLease {
    this.writes.push(structuredClone(record));
    this.stored = { record: structuredClone(record), resourceVersion: String(++this.#rv) };
    return structuredClone(this.stored);
  }
  holder(): string | undefined {
    return this.stored?.record.holderIdentity;
  }
}
