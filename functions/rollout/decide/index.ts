// The Rollout decision core: decideRollout and what it reads and returns.
export { decideRollout, INVALID_SPEC_REQUEUE_MS } from './decide.ts';
export type {
  Action,
  ActionKind,
  AnnotationChanges,
  DecideOptions,
  PodView,
  Decision,
  ReplicaSetManifest,
  ReplicaSetView,
  RolloutEvent,
  RolloutSnapshot,
  ServiceView,
  WorkloadView,
} from './types.ts';
export { canaryStepHash, canonicalJson, encodeHash, fnv1a32, goJson, podTemplateHash, safeEncode } from './hashing.ts';
export { normalizeQuantity, normalizedTemplate, podTemplatesEqual } from './template-equality.ts';
export { rolloutCompleted, rolloutHealthy, rolloutPhase, type PhaseAndMessage } from './phase.ts';
export { referenceProblems, specProblems } from './spec-problems.ts';
export { describeStep } from './canary.ts';
export { resolveWorkloadRef, type WorkloadResolution } from './workload.ts';
