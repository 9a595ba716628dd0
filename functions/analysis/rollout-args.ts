// Arguments as a Rollout passes them (reference §11.8): a literal, a pod template hash
// (`podTemplateHashValue: Stable | Latest`) or a field of the Rollout (`fieldRef`), turned into
// plain values before the AnalysisRun is created.
import type { Argument, RolloutAnalysisArgument } from '../api/index.ts';

export interface RolloutArgContext {
  /** The Rollout as JSON (metadata, spec, status). */
  rollout: unknown;
  stablePodTemplateHash?: string;
  latestPodTemplateHash?: string;
}

function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * Reads `fieldPath` from an object: `metadata.name`, `metadata.labels['app']`,
 * `metadata.annotations["x"]`, `spec.template.spec.containers[0].image`. Missing → undefined.
 * `metadata.labels` / `metadata.annotations` alone give `key="value"` lines, sorted, as the
 * Kubernetes downward API does.
 */
export function readFieldPath(object: unknown, fieldPath: string): unknown {
  const mapKey = /^metadata\.(labels|annotations)\[(?:'([^']*)'|"([^"]*)")\]$/.exec(fieldPath);
  const meta = (object as { metadata?: Record<string, unknown> } | null)?.metadata;
  if (mapKey) {
    const map = meta?.[mapKey[1]!] as Record<string, string> | undefined;
    return map?.[mapKey[2] ?? mapKey[3]!];
  }
  if (fieldPath === 'metadata.labels' || fieldPath === 'metadata.annotations') {
    const map = (meta?.[fieldPath.slice('metadata.'.length)] ?? {}) as Record<string, string>;
    return Object.keys(map).sort().map((k) => `${k}=${JSON.stringify(map[k])}`).join('\n');
  }
  let current: unknown = object;
  for (const part of fieldPath.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1] !== '') {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, m[1]!)) return undefined;
      current = (current as Record<string, unknown>)[m[1]!];
    }
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(idx[1])];
    }
  }
  return current;
}

/** The args with values; throws for a fieldRef that does not exist or a hash that is not known yet. */
export function resolveRolloutArgs(args: readonly RolloutAnalysisArgument[] | undefined, ctx: RolloutArgContext): Argument[] {
  return (args ?? []).map((arg) => {
    if (arg.value !== undefined) return { name: arg.name, value: arg.value };
    const from = arg.valueFrom;
    if (from?.podTemplateHashValue) {
      const hash = from.podTemplateHashValue === 'Stable' ? ctx.stablePodTemplateHash : ctx.latestPodTemplateHash;
      if (!hash) throw new Error(`argument "${arg.name}": the ${from.podTemplateHashValue.toLowerCase()} pod template hash is not known yet`);
      return { name: arg.name, value: hash };
    }
    if (from?.fieldRef) {
      const value = readFieldPath(ctx.rollout, from.fieldRef.fieldPath);
      if (value === undefined) throw new Error(`argument "${arg.name}": field ${from.fieldRef.fieldPath} not found in the Rollout`);
      return { name: arg.name, value: formatValue(value) };
    }
    return { name: arg.name };
  });
}
