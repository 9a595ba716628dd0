// The shapes that go in and out of `decideExperiment`: a snapshot of what the controller sees
// for one Experiment, and a decision — the actions to apply (in order), the status to write,
// the events to record and when to look again.
import type {
  AnalysisRun,
  AnalysisTemplate,
  ClusterAnalysisTemplate,
  Experiment,
  FieldError,
  ExperimentStatus,
  LabelSelector,
  OwnerReference,
} from '../api/index.ts';
import type { AnnotationChanges, ReplicaSetManifest, ReplicaSetView } from '../rollout/decide/types.ts';

export type { AnnotationChanges, ReplicaSetManifest, ReplicaSetView };

/** What the decision needs to know about one Service (core/v1). */
export interface ExperimentServiceView {
  name: string;
  uid?: string;
  annotations?: Readonly<Record<string, string>>;
  ownerReferences?: readonly OwnerReference[];
  /** Set while the Service is being deleted. */
  deletionTimestamp?: string;
}

export interface ExperimentSnapshot {
  experiment: Experiment;
  /**
   * ReplicaSets the Experiment controls, and any other ReplicaSet named like one of its
   * templates (`<experiment>-<template>`), so that a name taken by someone else is reported
   * instead of created again.
   */
  replicaSets: readonly ReplicaSetView[];
  /** Services the Experiment controls, and any other Service with a name a template wants. */
  services: readonly ExperimentServiceView[];
  /** AnalysisRuns the Experiment controls, and any other run with a name an analysis wants. */
  analysisRuns: readonly AnalysisRun[];
  /** AnalysisTemplates of the Experiment's namespace (needed to start analyses). */
  analysisTemplates?: readonly AnalysisTemplate[];
  clusterAnalysisTemplates?: readonly ClusterAnalysisTemplate[];
  now: Date;
}

/** A Service to create, complete (core/v1). */
export interface ServiceManifest {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations: Record<string, string>;
    ownerReferences: OwnerReference[];
  };
  spec: {
    selector: Record<string, string>;
    ports: Array<{ name?: string; protocol?: string; port: number; targetPort: number }>;
  };
}

/**
 * One thing the controller must do, in the order given. `template` / `analysis` name the part of
 * the experiment the action is for (for logs and error messages).
 */
export type ExperimentAction =
  /** Create this ReplicaSet (the template's pods). */
  | { kind: 'createReplicaSet'; template: string; replicaSet: ReplicaSetManifest }
  /** Set spec.replicas; `from` is the count the decision saw (a precondition of the write). */
  | { kind: 'scaleReplicaSet'; template: string; name: string; from: number; replicas: number }
  /** Set or remove annotations of a ReplicaSet (the scale-down deadline). */
  | { kind: 'annotateReplicaSet'; template: string; name: string; annotations: AnnotationChanges }
  /** Create this Service in front of the template's pods. */
  | { kind: 'createService'; template: string; service: ServiceManifest }
  /** Delete the template's Service (the uid guards against deleting a newer object of the same name). */
  | { kind: 'deleteService'; template: string; name: string; uid?: string }
  /** Create this AnalysisRun. */
  | { kind: 'createAnalysisRun'; analysis: string; analysisRun: AnalysisRun }
  /** Set `spec.terminate: true` on an AnalysisRun the experiment no longer needs. */
  | { kind: 'terminateAnalysisRun'; analysis: string; name: string };

export type ExperimentActionKind = ExperimentAction['kind'];

/** A Kubernetes event to record on the Experiment (reasons as Argo Rollouts uses them). */
export interface ExperimentEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /**
   * Record it on the Rollout that owns the Experiment too (AnalysisRun<Phase> events, so that
   * notifications subscribed on the Rollout fire for a canary experiment step's analyses).
   */
  alsoOnOwnerRollout?: boolean;
}

export interface ExperimentDecision {
  /** In the order they must be applied. */
  actions: ExperimentAction[];
  /** The complete status to write (merge-patch it against the live one if it differs). */
  status: ExperimentStatus;
  /** When to look again although nothing is expected to change (duration, deadline, scale-down delay). */
  requeueAfterMs?: number;
  events: ExperimentEvent[];
}

export interface DecideExperimentOptions {
  /**
   * A fuller spec validator (e.g. functions/validate's validateExperiment); its first error is
   * reported. The checks the decision core needs to be safe always run after it.
   */
  validate?: (experiment: Experiment) => readonly FieldError[];
}

/** A template's selector with the pod-template-hash added. */
export type SelectorWithHash = LabelSelector & { matchLabels: Record<string, string> };
