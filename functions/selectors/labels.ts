// The labels a selector is matched against: a plain string map read from an object's metadata.
import { obj, stringEntries } from '../validate/read.ts';

/** Labels of an object, as a selector sees them. */
export type Labels = Readonly<Record<string, string>>;

/** A label map as plain strings (entries that are not strings dropped; not an object: none). */
export function stringLabels(value: unknown): Record<string, string> {
  return Object.fromEntries(stringEntries(value));
}

/** `metadata.labels` as plain strings. */
export function labelsOf(metadata: unknown): Record<string, string> {
  return stringLabels(obj(metadata)?.['labels']);
}
