// The shapes that go in and out of `decideRollout`: a snapshot of what the controller sees,
// and a decision — the actions to apply (in order), the status to write, the events to record
// and when to look again.
import type {
  AnalysisRun,
  AnalysisTemplate,
  ClusterAnalysisTemplate,
  Experiment,
  FieldError,
  LabelSelector,
  OwnerReference,
  PodTemplateSpec,
  Rollout,
  RolloutStatus,
} from '../../api/index.ts';

/** What the decision needs to know about one ReplicaSet (apps/v1). */
export interface ReplicaSetView {
  name: string;
  uid?: string;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  /** spec.selector; used only to write it back unchanged, never to decide ownership. */
  selector?: LabelSelector;
  /** spec.template as stored (the API server has defaulted it). */
  template: PodTemplateSpec;
  /** spec.replicas */
  replicas: number;
  /** status.replicas / readyReplicas / availableReplicas (0 when absent). */
  status: { replicas: number; readyReplicas: number; availableReplicas: number; observedGeneration?: number };
  /** metadata.generation, to tell whether the ReplicaSet controller has observed the last change. */
  generation?: number;
  /** RFC 3339. Orders ReplicaSets (oldest first) where revisions do not. */
  creationTimestamp?: string;
  ownerReferences?: readonly OwnerReference[];
  /** Set while the ReplicaSet is being deleted; such ReplicaSets are never adopted, scaled or counted. */
  deletionTimestamp?: string;
}

/** What the decision needs to know about one Service (core/v1). */
export interface ServiceView {
  name: string;
  /** spec.selector */
  selector?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
}

/** What the decision needs to know about one Pod (only used to restart pods for spec.restartAt). */
export interface PodView {
  name: string;
  /** Name of the ReplicaSet that controls the pod. */
  replicaSet: string;
  /** RFC 3339. */
  creationTimestamp: string;
  /** Ready for at least minReadySeconds (counts toward availability). */
  available: boolean;
  deletionTimestamp?: string;
}

/**
 * The object `spec.workloadRef` names, as the decision needs it: an apps/v1 Deployment, or a
 * core/v1 PodTemplate (no selector, no replicas).
 */
export interface WorkloadView {
  /** `apps/v1` (Deployment) or `v1` (PodTemplate). */
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  /** metadata.generation; written to the Rollout as `rollout.argoproj.io/workload-generation`. */
  generation?: number;
  /** Deployment `spec.template`, PodTemplate `template`. */
  template: PodTemplateSpec;
  /** Deployment `spec.selector` (used when the Rollout has none). */
  selector?: LabelSelector;
  /** Deployment `spec.replicas` (the API server defaults it to 1), for `workloadRef.scaleDown`. */
  replicas?: number;
}

export interface RolloutSnapshot {
  rollout: Rollout;
  /**
   * The object `spec.workloadRef` names, when the Rollout has one and the object exists. Absent
   * (or another object than the one named) means not found: InvalidSpec until it appears.
   */
  workload?: WorkloadView;
  /**
   * ReplicaSets in the Rollout's namespace that it owns or could adopt (those carrying the
   * `rollouts-pod-template-hash` label and matching its selector). Others are ignored.
   */
  replicaSets: readonly ReplicaSetView[];
  /** Services in the Rollout's namespace; at least those the strategy names. */
  services: readonly ServiceView[];
  /** AnalysisRuns in the Rollout's namespace (those the Rollout owns are read by label). */
  analysisRuns: readonly AnalysisRun[];
  /** Experiments in the Rollout's namespace (those the Rollout owns are read by name and label). */
  experiments: readonly Experiment[];
  /**
   * AnalysisTemplates of the Rollout's namespace (at least those its analyses reference, and
   * the ones those include). Absent means none: a referenced template that is not here makes the
   * Rollout InvalidSpec ("AnalysisTemplate 'x' not found").
   */
  analysisTemplates?: readonly AnalysisTemplate[];
  /** ClusterAnalysisTemplates (referenced with `clusterScope: true`). Absent means none. */
  clusterAnalysisTemplates?: readonly ClusterAnalysisTemplate[];
  /**
   * Pods of the Rollout's ReplicaSets, if the caller has them. Only `spec.restartAt` needs
   * them; without them a due restart is acknowledged without evicting anything.
   */
  pods?: readonly PodView[];
  now: Date;
}

/** A ReplicaSet to create, complete (apps/v1). */
export interface ReplicaSetManifest {
  apiVersion: 'apps/v1';
  kind: 'ReplicaSet';
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    ownerReferences: OwnerReference[];
  };
  spec: {
    replicas: number;
    minReadySeconds?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
  };
}

/** Annotation changes on an object: keys to set, keys to remove. */
export interface AnnotationChanges {
  set?: Record<string, string>;
  remove?: string[];
}

/**
 * One thing the controller must do. Apply in the order given; each is independent of the
 * controller's reading of the Rollout (no `if` on Rollout state is needed to apply one).
 */
export type Action =
  /** Set the ownerReference (controller: true) on an orphan ReplicaSet that matches the selector. */
  | { kind: 'adoptReplicaSet'; name: string; uid?: string; ownerReference: OwnerReference }
  /** Create this ReplicaSet. */
  | { kind: 'createReplicaSet'; replicaSet: ReplicaSetManifest }
  /** Change annotations of a ReplicaSet without scaling it (revision bump, scale-down deadline). */
  | { kind: 'annotateReplicaSet'; name: string; annotations: AnnotationChanges }
  /**
   * Set spec.replicas (and the annotations given, always including `rollout.argoproj.io/desired-replicas`).
   * `from` is the replica count the decision saw, for the event message and for optimistic checks.
   */
  | { kind: 'scaleReplicaSet'; name: string; from: number; replicas: number; annotations: AnnotationChanges }
  /**
   * Point a Service at one ReplicaSet: set `spec.selector[rollouts-pod-template-hash] = hash` and
   * annotation `argo-rollouts.argoproj.io/managed-by-rollouts = managedBy` (the Rollout's name).
   */
  | { kind: 'patchServiceSelector'; service: string; hash: string; managedBy: string }
  /** Delete an old ReplicaSet (revision history cleanup). */
  | { kind: 'deleteReplicaSet'; name: string; uid?: string }
  /**
   * Create this AnalysisRun (complete: name, namespace, labels, annotations, controller
   * ownerReference to the Rollout). If the name is taken by a run that is not this one (reference
   * §11.6), try `<name>.1`, `<name>.2`, …; a taken name whose run has the same owner, is not
   * completed and has the same metrics, args, dryRun and measurementRetention is that run.
   */
  | { kind: 'createAnalysisRun'; analysisRun: AnalysisRun }
  /** Delete a completed AnalysisRun beyond the history limits (`spec.analysis`). */
  | { kind: 'deleteAnalysisRun'; name: string; uid?: string }
  /**
   * Create this Experiment (canary experiment step; complete, owned by the Rollout). A taken name
   * is retried as `<name>-1`, `<name>-2`, … unless it holds this experiment (same owner, running).
   */
  | { kind: 'createExperiment'; experiment: Experiment }
  /** Delete a completed Experiment beyond the history limits (`spec.analysis`). */
  | { kind: 'deleteExperiment'; name: string; uid?: string }
  /** Set `spec.terminate: true` on an AnalysisRun the rollout no longer waits for. */
  | { kind: 'terminateAnalysisRun'; name: string }
  /** Set `spec.terminate: true` on an Experiment the rollout no longer waits for. */
  | { kind: 'terminateExperiment'; name: string }
  /**
   * Change annotations of the Rollout itself: it mirrors the new ReplicaSet's revision, and
   * (with workloadRef) the referenced workload's generation.
   */
  | { kind: 'annotateRollout'; annotations: AnnotationChanges }
  /**
   * Set `spec.replicas` of the Deployment `spec.workloadRef` names (`workloadRef.scaleDown`:
   * onsuccess, progressively); only ever down. `from` is the count the decision saw.
   */
  | { kind: 'scaleDeployment'; name: string; from: number; replicas: number };

export type ActionKind = Action['kind'];

/** A Kubernetes event to record on the Rollout (reasons as Argo Rollouts uses them). */
export interface RolloutEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface Decision {
  /** In the order they must be applied. */
  actions: Action[];
  /** The complete status to write (merge-patch it against the live one if it differs). */
  status: RolloutStatus;
  /** When to look again although nothing is expected to change (a pause ends, a deadline passes). */
  requeueAfterMs?: number;
  events: RolloutEvent[];
  /**
   * Pods to evict for spec.restartAt, through the Eviction API so PodDisruptionBudgets are
   * honoured. Best effort, after the actions: a refused eviction (429) is skipped, not an error —
   * the decision looks again in 30 s. Present only when there is something to evict.
   */
  evictPods?: string[];
}

export interface DecideOptions {
  /**
   * A fuller spec validator (e.g. the admission one); its errors come first. The checks this
   * decision core needs in order to be safe (`spec-problems.ts`) always run after it, so the
   * first error reported is the validator's when it has one.
   */
  validate?: (rollout: Rollout) => readonly FieldError[];
}
