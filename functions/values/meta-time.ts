// metav1.Time as Kubernetes writes it: RFC 3339 in UTC, whole seconds (`2026-01-01T00:00:30Z`),
// and reading one back. (AnalysisRun measurement times keep milliseconds: analysis/time.ts.)

/** RFC 3339 in UTC with whole seconds, the fraction dropped, as Go's time.RFC3339 prints it. */
export function metaTime(at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds since the epoch of a status time (a fraction is read too); undefined when absent or unreadable. */
export function parseMetaTime(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
