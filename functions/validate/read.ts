// Defensive readers. Semantic validation runs even when shape validation already found wrong
// types (every problem is reported at once), so a rule reads its fields through these and simply
// skips a field whose type is wrong: the shape error already covers it.

export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value if it is a plain object, else undefined. */
export function obj(value: unknown): Obj | undefined {
  return isObject(value) ? value : undefined;
}

/** The value if it is an array, else an empty list. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value if it is an integer number, else undefined. */
export function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** The value if it is a string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A non-empty string, else undefined (Go's `omitempty` treats "" as unset). */
export function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** String entries of a map (labels, annotations, matchLabels); other entries are skipped. */
export function stringEntries(value: unknown): Array<[string, string]> {
  if (!isObject(value)) return [];
  return Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

/** Set in the Go sense: present and not the zero value of a pointer (null/undefined). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A deep copy in which object properties set to null are gone, as the API server drops them. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const copy: Obj = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) copy[k] = withoutNulls(v);
  return copy;
}
