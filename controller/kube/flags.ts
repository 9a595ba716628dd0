// A small Go-pflag-compatible flag parser, so Ramp accepts Argo's flag spellings as they are:
// `--qps=40` and `--qps 40`, `--leader-elect` and `--leader-elect=false`, durations like `15s`.
import { UsageError } from '../cli/command.ts';

export type FlagType = 'string' | 'bool' | 'int' | 'number' | 'duration';
export type FlagValue = string | number | boolean;

export interface FlagSpec {
  name: string;
  type: FlagType;
  /** Durations default in milliseconds. */
  default?: FlagValue;
  help: string;
  /** Old spellings still accepted. */
  aliases?: string[];
}

/** Go duration syntax ("1h2m3.5s", "500ms"); a bare number is seconds. Returns milliseconds. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * unit[m[2]!]!;
    matched = re.lastIndex;
  }
  if (s === '' || matched !== s.length) throw new UsageError(`invalid duration "${text}": expected e.g. 15s, 1m30s, 500ms`);
  return total;
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function convert(spec: FlagSpec, raw: string): FlagValue {
  switch (spec.type) {
    case 'string':
      return raw;
    case 'bool':
      if (/^(true|1|t)$/i.test(raw)) return true;
      if (/^(false|0|f)$/i.test(raw)) return false;
      throw new UsageError(`--${spec.name}: expected true or false, got "${raw}"`);
    case 'int': {
      if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${spec.name}: expected an integer, got "${raw}"`);
      return Number(raw);
    }
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${spec.name}: expected a number, got "${raw}"`);
      return n;
    }
    case 'duration':
      try {
        return parseDuration(raw);
      } catch (error) {
        throw new UsageError(`--${spec.name}: ${(error as Error).message}`);
      }
  }
}

export interface ParsedFlags {
  values: Record<string, FlagValue | undefined>;
  /** Arguments that are not flags of `specs` (positional arguments and, with allowUnknown, other flags). */
  rest: string[];
}

/**
 * Parses the flags in `specs` out of `argv`. Unknown flags are a usage error unless
 * `allowUnknown`, in which case they are passed through in `rest` for another parser.
 */
export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[], options: { allowUnknown?: boolean } = {}): ParsedFlags {
  const byName = new Map<string, FlagSpec>();
  for (const spec of specs) for (const n of [spec.name, ...(spec.aliases ?? [])]) byName.set(n, spec);
  const values: Record<string, FlagValue | undefined> = {};
  for (const spec of specs) values[spec.name] = spec.default;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!m || arg === '-') {
      rest.push(arg);
      continue;
    }
    const spec = byName.get(m[1]!);
    if (!spec) {
      if (!options.allowUnknown) throw new UsageError(`unknown flag ${arg.split('=')[0]}`);
      rest.push(arg);
      continue;
    }
    let raw = m[2];
    if (raw === undefined) {
      if (spec.type === 'bool') raw = 'true';
      else {
        const next = argv[i + 1];
        if (next === undefined) throw new UsageError(`--${spec.name} needs a value`);
        raw = next;
        i++;
      }
    }
    values[spec.name] = convert(spec, raw);
  }
  return { values, rest };
}

/** Help lines: `  --name TYPE   help (default x)`. */
export function formatFlagHelp(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const type = s.type === 'bool' ? '' : ` ${s.type}`;
    const def = s.default === undefined || s.default === '' ? '' : ` (default ${s.type === 'duration' ? formatDuration(s.default as number) : String(s.default)})`;
    return [`--${s.name}${type}`, `${s.help}${def}`] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`).join('\n');
}
