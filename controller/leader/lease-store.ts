// What leader election needs from storage: read the Lease, create it, update it guarded by
// resourceVersion. The Kubernetes implementation is kube-lease-store.ts; tests bring their own.

/** The fields of a coordination.k8s.io/v1 Lease's spec that election uses. */
export interface LeaseRecord {
  /** '' when released. */
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** MicroTime strings (RFC 3339 with 6 fractional digits). */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

export interface StoredLease {
  record: LeaseRecord;
  resourceVersion: string;
}

export interface LeaseStore {
  /** "namespace/name", for logs. */
  readonly description: string;
  /** The Lease, or undefined if it does not exist. */
  get(signal?: AbortSignal): Promise<StoredLease | undefined>;
  /** Creates it; rejects with a 409 AlreadyExists error if someone else did first. */
  create(record: LeaseRecord, signal?: AbortSignal): Promise<StoredLease>;
  /** Replaces it if it is still at `resourceVersion`; rejects with a 409 Conflict otherwise. */
  update(record: LeaseRecord, resourceVersion: string, signal?: AbortSignal): Promise<StoredLease>;
}

/** metav1.MicroTime wire format: the API server insists on exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
