// Experiment defaults (reference §12.1) and the time format of its status.

/** How long a template may take to become available (spec.progressDeadlineSeconds). */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** How long ReplicaSets keep running after the experiment ends (spec.scaleDownDelaySeconds). */
export const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;

/** Pods per template (templates[].replicas). */
export const DEFAULT_TEMPLATE_REPLICAS = 1;

/** RFC 3339 in UTC, whole seconds, as Kubernetes writes metav1.Time: `2026-01-01T00:00:30Z`. */
export function metaTime(at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Milliseconds since the epoch of a status time; undefined when absent or unreadable. */
export function parseMetaTime(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
