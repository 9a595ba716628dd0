// What a CLI action sends to the API server, as data: the pure builders in this folder decide
// the writes, the command in controller/cli/ performs them in order and nothing else.
//
// The shapes follow Argo's kubectl plugin (reference §13): JSON merge patches for spec and
// status fields ("status-first": PATCH .../status, and only when that answers 404 — a CRD
// without the status subresource — the same change to the main resource), a JSON patch for
// `undo`, and a full update (read, change, write back with the read's resourceVersion) for
// `set image`.

/** The object a write goes to: the Rollout itself, or the workload its `spec.workloadRef` names. */
export interface WriteTarget {
  kind: 'Rollout' | 'Deployment' | 'ReplicaSet' | 'PodTemplate';
  name: string;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `Content-Type: application/merge-patch+json` (RFC 7386): `null` removes a field. */
export interface MergePatchWrite {
  type: 'merge';
  target: WriteTarget;
  /** 'status': send to the status subresource. */
  subresource?: 'status';
  body: JsonObject;
  /**
   * With `subresource: 'status'`: what to send to the main resource instead when the status
   * subresource answers 404 (Argo's v0.9 compatibility path). Absent: no fallback.
   */
  fallback?: JsonObject;
}

export interface JsonPatchOperation {
  op: 'replace' | 'add' | 'remove' | 'test';
  path: string;
  value?: JsonValue;
}

/** `Content-Type: application/json-patch+json` (RFC 6902). */
export interface JsonPatchWrite {
  type: 'json';
  target: WriteTarget;
  operations: JsonPatchOperation[];
}

/** PUT of the whole object as read (its resourceVersion makes a concurrent change a 409). */
export interface UpdateWrite {
  type: 'update';
  target: WriteTarget;
  object: Record<string, unknown>;
}

export type RolloutWrite = MergePatchWrite | JsonPatchWrite | UpdateWrite;

/**
 * The outcome of an action: the writes to send, in order, and the line to print once they
 * succeeded. No writes means the rollout is already where the action would take it; `message`
 * then says so.
 */
export interface ActionPlan {
  writes: RolloutWrite[];
  message: string;
}

/**
 * The action cannot do what was asked in the rollout's current state (nothing to promote,
 * revision not in the history, no such container, …). The CLI prints the message and exits 1.
 */
export class ActionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefused';
  }
}

/** The Rollout as a write target. */
export function rolloutTarget(name: string): WriteTarget {
  return { kind: 'Rollout', name };
}

/** A status-first merge patch: status subresource, falling back to the main resource on 404. */
export function statusPatch(name: string, status: JsonObject, fallback?: JsonObject): MergePatchWrite {
  return { type: 'merge', target: rolloutTarget(name), subresource: 'status', body: { status }, fallback: fallback ?? { status } };
}

/** A merge patch of the Rollout's spec. */
export function specPatch(name: string, spec: JsonObject): MergePatchWrite {
  return { type: 'merge', target: rolloutTarget(name), body: { spec } };
}
