// Analysis arguments (reference §11.8): merging the values a Rollout or Experiment passes into a
// template's declared args, and substituting `{{args.NAME}}` into metrics.
import type { Argument, Metric } from '../api/index.ts';

/** What a secret argument shows in messages and wherever its value must not appear. */
export const SECRET_PLACEHOLDER = '*****';

/** Reads one key of a Secret in the run's namespace; undefined when the secret or key does not exist. */
export type SecretLookup = (name: string, key: string) => string | undefined;

/**
 * Template args overridden by incoming args of the same name (a value wins over a valueFrom);
 * incoming args the templates do not declare are dropped. Every arg must end with a value or a
 * valueFrom, else `args.NAME was not resolved`.
 */
export function mergeArgs(incoming: readonly Argument[], templateArgs: readonly Argument[]): Argument[] {
  const merged = templateArgs.map((a) => structuredClone(a));
  for (const arg of incoming) {
    const target = merged.find((a) => a.name === arg.name);
    if (!target) continue;
    if (arg.value !== undefined) {
      target.value = arg.value;
      delete target.valueFrom;
    } else if (arg.valueFrom !== undefined) {
      target.valueFrom = structuredClone(arg.valueFrom);
      delete target.value;
    }
  }
  for (const arg of merged) {
    if (arg.value === undefined && arg.valueFrom === undefined) throw new Error(`args.${arg.name} was not resolved`);
  }
  return merged;
}

export interface ResolvedArgs {
  /** name → value, secrets included (or masked, see resolveArgValues). */
  values: Record<string, string>;
  /** The values that came from Secrets, for redaction. */
  secrets: string[];
}

/**
 * The value of every run arg. A `secretKeyRef` is read through `lookup`; without a lookup it is
 * replaced by `*****` (enough to validate a spec and count measurements without reading secrets).
 * Throws `argument "x" was not supplied` for an arg with neither value nor a readable source.
 */
export function resolveArgValues(args: readonly Argument[] | undefined, lookup?: SecretLookup): ResolvedArgs {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const secrets: string[] = [];
  for (const arg of args ?? []) {
    if (arg.value !== undefined) {
      values[arg.name] = arg.value;
      continue;
    }
    const ref = arg.valueFrom?.secretKeyRef;
    if (ref) {
      if (!lookup) {
        values[arg.name] = SECRET_PLACEHOLDER;
        continue;
      }
      const secret = lookup(ref.name, ref.key);
      if (secret === undefined) throw new Error(`secret "${ref.name}" has no key "${ref.key}" (argument "${arg.name}")`);
      values[arg.name] = secret;
      if (secret !== '') secrets.push(secret);
      continue;
    }
    if (arg.valueFrom?.fieldRef) {
      throw new Error(`argument "${arg.name}" was not supplied: fieldRef ${arg.valueFrom.fieldRef.fieldPath} is resolved by the Rollout or Experiment that creates the run`);
    }
    throw new Error(`argument "${arg.name}" was not supplied`);
  }
  return { values, secrets };
}

const TAG = /\{\{([^{}]*)\}\}/g;

/**
 * The metric with every `{{args.NAME}}` (spaces inside the braces allowed) replaced by the arg's
 * value, anywhere in it: query, url, headers, conditions, limits, job spec. Values are inserted
 * into JSON strings with JSON escaping, so a quote in a value cannot change the metric's shape.
 * Throws for an arg without a value and for any other `{{…}}` tag.
 */
export function substituteMetricArgs(metric: Metric, values: Readonly<Record<string, string>>): Metric {
  const json = JSON.stringify(metric);
  if (!json.includes('{{')) return structuredClone(metric);
  const out = json.replace(TAG, (whole, inner: string) => {
    const tag = inner.trim();
    if (!tag.startsWith('args.')) throw new Error(`failed to resolve ${whole}`);
    const name = tag.slice('args.'.length);
    if (!Object.hasOwn(values, name)) throw new Error(`argument "${name}" was not supplied`);
    return JSON.stringify(values[name]).slice(1, -1);
  });
  return JSON.parse(out) as Metric;
}

/** Replaces each secret value in `text` by `*****`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join(SECRET_PLACEHOLDER);
  return out;
}
