// Times in AnalysisRun status: RFC 3339 in UTC. Kubernetes writes whole seconds; measurement times
// here keep milliseconds when there are any (`2026-11-29T09:31:07.250Z`), so that an interval is
// measured from when the last measurement really finished. Go's time.Parse (metav1.Time) accepts
// the fraction, so Argo's tools read these times unchanged (and values/meta-time.ts's
// parseMetaTime reads them back).

/** `2026-11-29T09:31:07Z`, or `2026-11-29T09:31:07.250Z` when the time has milliseconds. */
export function formatTime(at: Date | number): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
