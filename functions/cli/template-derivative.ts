// Whether a ReplicaSet's pod template is the one a Rollout asks for, the way Argo's `undo`
// decides it (apimachinery's Semantic.DeepDerivative): every field the Rollout sets must be
// there with the same value in the ReplicaSet, whose copy may carry more — the defaults the
// API server filled in (restartPolicy, dnsPolicy, terminationMessagePath, …).

/** `wanted` is unset/empty, or equal to `actual` in every field it sets. */
export function isDerivative(wanted: unknown, actual: unknown): boolean {
  if (wanted === undefined || wanted === null) return true;
  if (typeof wanted === 'string' && wanted === '') return true;
  if (Array.isArray(wanted)) {
    if (wanted.length === 0) return true;
    if (!Array.isArray(actual) || actual.length !== wanted.length) return false;
    return wanted.every((w, i) => isDerivative(w, actual[i]));
  }
  if (typeof wanted === 'object') {
    const keys = Object.keys(wanted);
    if (keys.length === 0) return true;
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const w = wanted as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    return keys.every((k) => isDerivative(w[k], a[k]));
  }
  return wanted === actual;
}
