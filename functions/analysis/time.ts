// Times in AnalysisRun status are RFC 3339 with whole seconds, as Kubernetes' metav1.Time writes them.

/** `2026-11-29T09:31:07Z` (fractions of a second dropped). */
export function formatTime(at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Milliseconds since the epoch, or undefined for a missing or unreadable time. */
export function parseTime(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
