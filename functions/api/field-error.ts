/**
 * One problem with one field, in the shape of Kubernetes' `field.Error`: the path is written
 * like `spec.strategy.canary.steps[2].setWeight`, map keys like `metadata.labels[app]`.
 */
export interface FieldError {
  path: string;
  type: FieldErrorType;
  /** The offending value; absent when there is none to show (Required, Forbidden). */
  value?: unknown;
  detail: string;
}

export type FieldErrorType = 'Required' | 'Invalid' | 'Forbidden' | 'Duplicate' | 'NotSupported';

/** Kubernetes' wording of each error type, as it appears in `field.Error.Error()`. */
const TYPE_WORDING: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  Forbidden: 'Forbidden',
  Duplicate: 'Duplicate value',
  NotSupported: 'Unsupported value',
};

/** Types whose message never shows the value, as in Kubernetes. */
const VALUELESS_TYPES: ReadonlySet<FieldErrorType> = new Set(['Required', 'Forbidden']);

/**
 * `PATH: Invalid value: VALUE: DETAIL`, `PATH: Required value: DETAIL`, … — Kubernetes'
 * format. Strings are quoted, numbers and booleans bare, `null` as null, objects and arrays as
 * JSON. The `: DETAIL` part is left out when the detail is empty, the value part when the
 * error has no value.
 */
export function formatFieldError(error: FieldError): string {
  let body = TYPE_WORDING[error.type];
  if (!VALUELESS_TYPES.has(error.type) && 'value' in error && error.value !== undefined) {
    body += `: ${formatValue(error.value)}`;
  }
  if (error.detail !== '') body += `: ${error.detail}`;
  return `${error.path}: ${body}`;
}

function formatValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value) ?? String(value);
}

export function requiredError(path: string, detail = ''): FieldError {
  return { path, type: 'Required', detail };
}

export function invalidError(path: string, value: unknown, detail: string): FieldError {
  return { path, type: 'Invalid', value, detail };
}

export function forbiddenError(path: string, detail: string): FieldError {
  return { path, type: 'Forbidden', detail };
}

export function duplicateError(path: string, value: unknown, detail = ''): FieldError {
  return { path, type: 'Duplicate', value, detail };
}

/** Detail lists the accepted values the way Kubernetes does: `supported values: "a", "b"`. */
export function notSupportedError(path: string, value: unknown, supported: readonly unknown[]): FieldError {
  const list = supported.map((v) => formatValue(v)).join(', ');
  return { path, type: 'NotSupported', value, detail: `supported values: ${list}` };
}
