// JSON merge patch (RFC 7386) as a two-way diff: the smallest patch that turns `from` into `to`.
// Keys missing from `to` (or undefined, or null there) become `null`, so fields the decision
// dropped are removed, as Argo's status writes do (reference §1). Arrays are replaced whole.
// The status writes of Rollouts, AnalysisRuns and Experiments use it.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of JSON values; undefined members of objects count as absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!jsonEqual(absentAsUndefined(a[k]), absentAsUndefined(b[k]))) return false;
    return true;
  }
  return false;
}

function absentAsUndefined(v: unknown): unknown {
  return v === null ? undefined : v;
}

/** A JSON copy of `v` without undefined members (what JSON.stringify would send). */
function plain(v: unknown): Json {
  return JSON.parse(JSON.stringify(v ?? null)) as Json;
}

/**
 * The merge patch that turns `from` into `to`, or undefined when they are equal. Both should be
 * objects (a status, a metadata block).
 */
export function mergePatchDiff(from: unknown, to: unknown): Record<string, Json> | undefined {
  const a = isObject(from) ? from : {};
  const b = isObject(to) ? to : {};
  const patch: Record<string, Json> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const before = absentAsUndefined(a[key]);
    const after = absentAsUndefined(b[key]);
    if (jsonEqual(before, after)) continue;
    if (after === undefined) {
      patch[key] = null;
    } else if (isObject(before) && isObject(after)) {
      const nested = mergePatchDiff(before, after);
      if (nested !== undefined) patch[key] = nested;
    } else {
      patch[key] = plain(after);
    }
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}
