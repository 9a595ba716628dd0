// Structured logger: one JSON object per line with level, time, msg and fields. Every value goes
// through redact() first, so a secret handed to a logger does not reach the output.
import { redact } from './redact.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'text';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ controller: 'rollouts' }`). */
  child(fields: LogFields): Logger;
  enabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Receives each finished line, without the trailing newline. Default: stderr. */
  write?: (line: string) => void;
  now?: () => Date;
  /** Fields on every line. */
  fields?: LogFields;
  /** Include error stacks (default: only at debug level). */
  stacks?: boolean;
}

const RESERVED = new Set(['level', 'time', 'msg']);
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** Argo's `--loglevel` also accepts `warning`; map it and reject anything else. */
export function parseLogLevel(value: string): LogLevel {
  const v = value.toLowerCase() === 'warning' ? 'warn' : value.toLowerCase();
  if (!isLogLevel(v)) throw new Error(`invalid log level "${value}": expected one of ${LOG_LEVELS.join(', ')}`);
  return v;
}

function textValue(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const format = options.format ?? 'json';
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const now = options.now ?? (() => new Date());
  const stacks = options.stacks ?? level === 'debug';

  const make = (base: LogFields): Logger => {
    const emit = (lvl: LogLevel, msg: string, fields?: LogFields): void => {
      if (RANK[lvl] < RANK[level]) return;
      const merged = redact({ ...base, ...fields }, { stacks }) as LogFields;
      const line: LogFields = { level: lvl, time: now().toISOString(), msg: redact(msg) as string };
      for (const [k, v] of Object.entries(merged)) line[RESERVED.has(k) ? `field.${k}` : k] = v;
      try {
        if (format === 'json') {
          write(JSON.stringify(line));
        } else {
          const rest = Object.entries(line)
            .filter(([k]) => !RESERVED.has(k))
            .map(([k, v]) => `${k}=${textValue(v)}`);
          write([line['time'], lvl.toUpperCase().padEnd(5), line['msg'], ...rest].join(' '));
        }
      } catch {
        // A broken sink must never take the controller down.
      }
    };
    return {
      debug: (msg, fields) => emit('debug', msg, fields),
      info: (msg, fields) => emit('info', msg, fields),
      warn: (msg, fields) => emit('warn', msg, fields),
      error: (msg, fields) => emit('error', msg, fields),
      child: (fields) => make({ ...base, ...fields }),
      enabled: (lvl) => RANK[lvl] >= RANK[level],
    };
  };
  return make(options.fields ?? {});
}

/** A logger that drops everything: the default where a caller passes none. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });

/** The conventional fields that identify an object in a log line. */
export function objectFields(obj: { kind?: string; metadata?: { namespace?: string; name?: string } }): LogFields {
  const fields: LogFields = {};
  if (obj.kind) fields['kind'] = obj.kind;
  if (obj.metadata?.namespace) fields['namespace'] = obj.metadata.namespace;
  if (obj.metadata?.name) fields['name'] = obj.metadata.name;
  return fields;
}

/** namespace/name fields from a queue key "namespace/name" (or "name" for cluster-scoped). */
export function keyFields(key: string): LogFields {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
