// Label and annotation keys Argo Rollouts writes and reads (reference §10.1). Ramp uses the
// same keys so that objects are understood by both controllers, dashboards and Argo CD.

/** Label on ReplicaSets, their pods and selectors, Services, AnalysisRuns and Experiments: the pod template hash. */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** Annotation on Rollouts, ReplicaSets, AnalysisRuns and Experiments: revision number as a decimal string. */
export const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';

/** Annotation on a reused ReplicaSet: comma-separated revisions it previously had. */
export const REVISION_HISTORY_ANNOTATION = 'rollout.argoproj.io/revision-history';

/** Annotation on ReplicaSets: the Rollout's `spec.replicas` when the ReplicaSet was last scaled. */
export const DESIRED_REPLICAS_ANNOTATION = 'rollout.argoproj.io/desired-replicas';

/** Annotation on a Rollout with `workloadRef`: `metadata.generation` of the referenced workload. */
export const WORKLOAD_GENERATION_ANNOTATION = 'rollout.argoproj.io/workload-generation';

/** Annotation on ReplicaSets: JSON of the canary/stable/preview/active pod metadata injected into them. */
export const EPHEMERAL_METADATA_ANNOTATION = 'rollout.argoproj.io/ephemeral-metadata';

/**
 * Annotation on ReplicaSets (of Rollouts and Experiments): RFC 3339 UTC time after which the
 * ReplicaSet may be scaled to zero. Argo's controller writes this bare key (no prefix); Ramp
 * writes it too.
 */
export const SCALE_DOWN_DEADLINE_ANNOTATION = 'scale-down-deadline';

/** The prefixed spelling of the scale-down deadline used in Argo's FAQ; honoured when reading only. */
export const SCALE_DOWN_DEADLINE_PREFIXED_ANNOTATION = 'argo-rollouts.argoproj.io/scale-down-deadline';

/** Keys to look at, in order, when reading a ReplicaSet's scale-down deadline. */
export const SCALE_DOWN_DEADLINE_READ_KEYS: readonly string[] = [
  SCALE_DOWN_DEADLINE_ANNOTATION,
  SCALE_DOWN_DEADLINE_PREFIXED_ANNOTATION,
];

/** Annotation on Services, Istio DestinationRules and AppMesh VirtualNodes: name of the managing Rollout. */
export const MANAGED_BY_ROLLOUTS_ANNOTATION = 'argo-rollouts.argoproj.io/managed-by-rollouts';

/** Label selecting which controller instance (`--instance-id`) handles an object. */
export const CONTROLLER_INSTANCE_ID_LABEL = 'argo-rollouts.argoproj.io/controller-instance-id';

/** Constant defined (but unused) by Argo; kept so the key is never reused for something else. */
export const RESTARTED_AFTER_ANNOTATION = 'argo-rollouts.argoproj.io/restarted-after';

/** Label on AnalysisRuns created by a Rollout: which kind of analysis created it. */
export const ROLLOUT_TYPE_LABEL = 'rollout-type';

/** Values of {@link ROLLOUT_TYPE_LABEL}. */
export const ROLLOUT_TYPE = {
  step: 'Step',
  background: 'Background',
  prePromotion: 'PrePromotion',
  postPromotion: 'PostPromotion',
} as const;

/** Label on step AnalysisRuns: the canary step index as a decimal string. */
export const STEP_INDEX_LABEL = 'step-index';

/** Annotation on Experiment ReplicaSets and Services: the owning Experiment's name. */
export const EXPERIMENT_NAME_ANNOTATION = 'experiment.argoproj.io/name';

/** Annotation on Experiment ReplicaSets and Services: the experiment template's name. */
export const EXPERIMENT_TEMPLATE_NAME_ANNOTATION = 'experiment.argoproj.io/template-name';

/** Label on Jobs (and their pod templates) created by a job metric: the AnalysisRun's UID. */
export const ANALYSIS_RUN_UID_LABEL = 'analysisrun.argoproj.io/uid';

/** Annotation on job-metric Jobs: the AnalysisRun's name. */
export const ANALYSIS_RUN_NAME_ANNOTATION = 'analysisrun.argoproj.io/name';

/** Annotation on job-metric Jobs: the AnalysisRun's namespace. */
export const ANALYSIS_RUN_NAMESPACE_ANNOTATION = 'analysisrun.argoproj.io/namespace';

/** Annotation on job-metric Jobs: the metric's name. */
export const ANALYSIS_RUN_METRIC_NAME_ANNOTATION = 'analysisrun.argoproj.io/metric-name';

/** Annotation on ALB Ingresses: JSON map of Rollout name to the annotation keys it manages. */
export const MANAGED_ALB_ANNOTATIONS_ANNOTATION = 'rollouts.argoproj.io/managed-alb-annotations';

/** Legacy form of {@link MANAGED_ALB_ANNOTATIONS_ANNOTATION} ("ro:key,ro2:key2"); removed when seen. */
export const MANAGED_ALB_ACTIONS_ANNOTATION = 'rollouts.argoproj.io/managed-alb-actions';

/** Default annotation prefix of the NGINX ingress controller. */
export const NGINX_DEFAULT_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io';

/** Default annotation prefix of the AWS load balancer controller. */
export const ALB_DEFAULT_ANNOTATION_PREFIX = 'alb.ingress.kubernetes.io';

/** `<prefix>/canary` on the NGINX canary Ingress: "true". */
export function nginxCanaryAnnotation(prefix: string): string {
  return `${prefix}/canary`;
}

/** `<prefix>/canary-weight` on the NGINX canary Ingress: the canary weight. */
export function nginxCanaryWeightAnnotation(prefix: string): string {
  return `${prefix}/canary-weight`;
}

/** `<prefix>/canary-weight-total` on the NGINX canary Ingress: the maximum traffic weight. */
export function nginxCanaryWeightTotalAnnotation(prefix: string): string {
  return `${prefix}/canary-weight-total`;
}

/** `<prefix>/actions.<service>` on an ALB Ingress: forward action JSON with target-group weights. */
export function albActionsAnnotation(prefix: string, service: string): string {
  return `${prefix}/actions.${service}`;
}

/** `<prefix>/conditions.<route>` on an ALB Ingress: header-route conditions. */
export function albConditionsAnnotation(prefix: string, route: string): string {
  return `${prefix}/conditions.${route}`;
}

/** Annotation on Rollouts: state of the notification engine (never copied to ReplicaSets). */
export const NOTIFIED_ANNOTATION = 'notified.notifications.argoproj.io';

/** Prefix of user-written notification subscriptions: `<prefix><trigger>.<service>`. */
export const NOTIFICATION_SUBSCRIBE_ANNOTATION_PREFIX = 'notifications.argoproj.io/subscribe.';
