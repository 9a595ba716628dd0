// Scrubs values on their way to a log line: secret-looking keys, Secret objects, credentials
// embedded in strings. Logging is the last line of defence, not the first: callers still should
// not pass credentials to a logger, but if they do, the value does not reach the output.

export const REDACTED = '[REDACTED]';

/**
 * Keys whose values are never logged. Deliberately broad: a false positive hides a harmless
 * value, a false negative leaks a credential.
 */
const SENSITIVE_KEY =
  /(secret|token|passw(or)?d|passwd|passphrase|authorization|bearer|api[-_]?key|apikey|credential|private[-_]?key|client[-_]?key|cookie|session[-_]?id|ssh[-_]?key|(cert|key)[-_]?data)/i;

/** Whether a field of this name would be redacted. */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

const STRING_PATTERNS: Array<[RegExp, string]> = [
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // JSON Web Tokens (service-account tokens among them).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // user:password@ in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${REDACTED}@`],
  // key=value / key: value pairs with a sensitive key inside free text.
  [/\b([A-Za-z_-]*(?:token|password|passwd|secret|api[-_]?key)[A-Za-z_-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi, `$1$2${REDACTED}`],
];

/** Removes credentials that appear inside free text. */
export function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of STRING_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function isSecretObject(value: Record<string, unknown>): boolean {
  return value['kind'] === 'Secret' && (value['apiVersion'] === 'v1' || value['apiVersion'] === undefined) && 'metadata' in value;
}

/** A Secret reduced to what identifies it; data values and annotations (last-applied!) are dropped. */
function secretSummary(secret: Record<string, unknown>): Record<string, unknown> {
  const meta = (secret['metadata'] ?? {}) as Record<string, unknown>;
  const keys = new Set<string>([
    ...Object.keys((secret['data'] as object | undefined) ?? {}),
    ...Object.keys((secret['stringData'] as object | undefined) ?? {}),
  ]);
  return {
    apiVersion: secret['apiVersion'],
    kind: 'Secret',
    metadata: { namespace: meta['namespace'], name: meta['name'], uid: meta['uid'], resourceVersion: meta['resourceVersion'] },
    type: secret['type'],
    data: Object.fromEntries([...keys].sort().map((k) => [k, REDACTED])),
  };
}

/** Plain-object form of an error, with redacted text; the stack only when asked for. */
export function serializeError(error: Error, withStack: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: redactString(error.message) };
  const extra = error as Error & { code?: unknown; statusCode?: unknown; reason?: unknown; cause?: unknown };
  if (extra.statusCode !== undefined) out['statusCode'] = extra.statusCode;
  if (extra.code !== undefined && typeof extra.code !== 'object') out['code'] = extra.code;
  if (extra.reason !== undefined && typeof extra.reason === 'string') out['reason'] = extra.reason;
  if (extra.cause instanceof Error) out['cause'] = serializeError(extra.cause, false);
  if (withStack && error.stack) out['stack'] = redactString(error.stack);
  return out;
}

export interface RedactOptions {
  /** Include error stacks. */
  stacks?: boolean;
  /** Objects nested deeper than this are summarised. */
  maxDepth?: number;
}

/** A JSON-safe deep copy of `value` with secrets removed. Never throws. */
export function redact(value: unknown, options: RedactOptions = {}): unknown {
  const maxDepth = options.maxDepth ?? 12;
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    switch (typeof v) {
      case 'string':
        return redactString(v);
      case 'number':
        return Number.isFinite(v) ? v : String(v);
      case 'bigint':
        return v.toString();
      case 'boolean':
      case 'undefined':
        return v;
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (v === null) return null;
    const obj = v as object;
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof Error) return serializeError(obj, options.stacks ?? false);
    if (seen.has(obj)) return '[Circular]';
    if (depth >= maxDepth) return '[Truncated]';
    seen.add(obj);
    try {
      if (Buffer.isBuffer(obj) || ArrayBuffer.isView(obj)) return `[${obj.constructor.name} ${(obj as Uint8Array).byteLength} bytes]`;
      if (Array.isArray(obj)) return obj.map((item) => walk(item, depth + 1));
      if (obj instanceof Map) return walk(Object.fromEntries(obj), depth);
      if (obj instanceof Set) return walk([...obj], depth);
      const record = obj as Record<string, unknown>;
      if (isSecretObject(record)) return secretSummary(record);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(record)) {
        if (isSensitiveKey(key)) {
          out[key] = item === undefined || item === null || item === '' ? item : REDACTED;
          continue;
        }
        const walked = walk(item, depth + 1);
        if (walked !== undefined) out[key] = walked;
      }
      return out;
    } finally {
      seen.delete(obj);
    }
  };
  try {
    return walk(value, 0);
  } catch {
    return '[Unserializable]';
  }
}
