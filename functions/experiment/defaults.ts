// Experiment defaults (reference §12.1).

/** How long a template may take to become available (spec.progressDeadlineSeconds). */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** How long ReplicaSets keep running after the experiment ends (spec.scaleDownDelaySeconds). */
export const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

/** Pods per template (templates[].replicas). */
export const DEFAULT_TEMPLATE_REPLICAS = 1;
