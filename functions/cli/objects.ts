// The parts of core objects the CLI reads, as the API server sends them in JSON (timestamps
// are RFC 3339 strings). Loose on purpose: a view must not reject an object it half understands.

export interface OwnerReferenceView {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMetaView {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReferenceView[];
}

export interface ContainerView {
  name?: string;
  image?: string;
  restartPolicy?: string;
}

export interface PodTemplateView {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
  spec?: { containers?: ContainerView[]; initContainers?: ContainerView[]; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ReplicaSetView {
  metadata?: ObjectMetaView;
  spec?: { replicas?: number; template?: PodTemplateView; [key: string]: unknown };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
  };
}

export interface ContainerStateView {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; signal?: number };
}

export interface ContainerStatusView {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateView;
}

export interface PodView {
  metadata?: ObjectMetaView;
  spec?: { containers?: ContainerView[]; initContainers?: ContainerView[] };
  status?: {
    phase?: string;
    reason?: string;
    containerStatuses?: ContainerStatusView[];
    initContainerStatuses?: ContainerStatusView[];
  };
}

/** Whether `child` names `owner` (by uid; by kind and name when the owner has no uid, as in fixtures). */
export function isOwnedBy(child: { metadata?: ObjectMetaView }, owner: { kind?: string; metadata?: { uid?: string; name?: string } }): boolean {
  const refs = child.metadata?.ownerReferences ?? [];
  const uid = owner.metadata?.uid;
  if (uid) return refs.some((r) => r.uid === uid);
  return refs.some((r) => r.kind === (owner.kind ?? 'Rollout') && r.name === owner.metadata?.name);
}

/** The `rollout.argoproj.io/revision` annotation as a number; 0 when absent, undefined when not a whole number. */
export function revisionOf(metadata: ObjectMetaView | undefined, annotation: string): number | undefined {
  const raw = metadata?.annotations?.[annotation];
  if (raw === undefined) return 0;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}
