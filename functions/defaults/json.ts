// Reading untrusted JSON without trusting its shape: admission sees whatever the client sent.

export type JsonObject = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Absent in the Kubernetes sense: undefined or null (the API server drops null fields). */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** The object at `key` of `parent`, or undefined when it is absent or not an object. */
export function objectAt(parent: unknown, key: string): JsonObject | undefined {
  if (!isJsonObject(parent)) return undefined;
  const value = parent[key];
  return isJsonObject(value) ? value : undefined;
}

/** Structural equality of JSON values (key order does not matter; undefined members count as absent). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
