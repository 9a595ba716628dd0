// Building blocks for the API schemas. Each one produces a TypeBox schema whose JSON form is
// already (nearly) a structural OpenAPI v3 node, so the CRD generator only has to tidy it.
import Type, { type TSchema, type TUnsafe } from 'typebox';

function describe(description: string | undefined): { description?: string } {
  return description === undefined ? {} : { description };
}

/** A 32-bit signed integer (Go `int32`). */
export function int32(description?: string) {
  return Type.Integer({ format: 'int32', ...describe(description) });
}

/** A 64-bit signed integer (Go `int64`). */
export function int64(description?: string) {
  return Type.Integer({ format: 'int64', ...describe(description) });
}

export function str(description?: string) {
  return Type.String(describe(description));
}

export function bool(description?: string) {
  return Type.Boolean(describe(description));
}

/** `metav1.Time`: an RFC 3339 timestamp such as `2026-01-01T00:00:00Z`. */
export function time(description?: string) {
  return Type.String({ format: 'date-time', ...describe(description) });
}

/**
 * A Go `time.ParseDuration` string ("30s", "5m", "1h30m"). Only the type is checked here;
 * parsing belongs to the Duration value object.
 */
export function durationString(description?: string) {
  return Type.String(describe(description));
}

/**
 * A string whose well-known values are listed for TypeScript and in the description, but not
 * enforced by the schema (Argo's CRDs do not enforce them either, so the API server accepts
 * anything; semantic validation decides).
 */
export function knownString<const Values extends readonly string[]>(
  values: Values,
  description?: string,
): TUnsafe<Values[number]> {
  const known = `Known values: ${values.join(', ')}.`;
  return Type.Unsafe<Values[number]>({
    type: 'string',
    description: description === undefined ? known : `${description} ${known}`,
  });
}

/** A string restricted to the given values by the schema itself (Argo enforces a few). */
export function enumString<const Values extends readonly string[]>(
  values: Values,
  options: { description?: string; default?: Values[number] } = {},
): TUnsafe<Values[number]> {
  return Type.Unsafe<Values[number]>({ type: 'string', enum: [...values], ...options });
}

/** Kubernetes `IntOrString`: `3` or `"25%"`. */
export function intOrString(description?: string): TUnsafe<number | string> {
  return Type.Unsafe<number | string>({ 'x-kubernetes-int-or-string': true, ...describe(description) });
}

/** `map[string]string`, e.g. labels and annotations. */
export function stringMap(description?: string) {
  return Type.Record(Type.String(), Type.String(), describe(description));
}

/** `map[string]T` for a structured T. */
export function mapOf<Value extends TSchema>(value: Value, description?: string) {
  return Type.Record(Type.String(), value, describe(description));
}

/** Arbitrary JSON object kept as is by the API server (`x-kubernetes-preserve-unknown-fields`). */
export function freeFormObject(description?: string): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    ...describe(description),
  });
}

/** Extension marking an object whose undeclared fields the API server must keep. */
export const PRESERVE_UNKNOWN_FIELDS = { 'x-kubernetes-preserve-unknown-fields': true } as const;
