// A JSON merge patch (RFC 7386) that turns `from` into `to`: changed values set, removed keys
// null, arrays replaced whole. Used to write AnalysisRun status on the object itself (the CRD
// has no status subresource), touching nothing else.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** undefined when nothing differs. */
export function mergePatchFor(from: unknown, to: unknown): Json | undefined {
  if (isPlainObject(from) && isPlainObject(to)) {
    const patch: Record<string, Json> = {};
    for (const key of Object.keys(from)) {
      if (to[key] === undefined && from[key] !== undefined) patch[key] = null;
    }
    for (const [key, value] of Object.entries(to)) {
      if (value === undefined) continue;
      const inner = mergePatchFor(from[key], value);
      if (inner !== undefined) patch[key] = inner;
    }
    return Object.keys(patch).length > 0 ? patch : undefined;
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return undefined;
  return (to === undefined ? null : structuredClone(to)) as Json;
}
