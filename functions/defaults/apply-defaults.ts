// Built-in defaults by kind. AnalysisTemplate, ClusterAnalysisTemplate and AnalysisRun get none:
// see docs/admission.md ("Defaults") for why.
import { applyFieldDefaults, type FieldDefault } from './field-default.ts';
import { isJsonObject } from './json.ts';
import { EXPERIMENT_DEFAULTS, ROLLOUT_DEFAULTS } from './rollout-defaults.ts';

const TABLES: Readonly<Record<string, readonly FieldDefault[]>> = {
  Rollout: ROLLOUT_DEFAULTS,
  Experiment: EXPERIMENT_DEFAULTS,
};

/** The defaults table of a kind; empty for kinds Ramp does not default. */
export function builtInDefaultsFor(kind: string): readonly FieldDefault[] {
  return TABLES[kind] ?? [];
}

export interface Defaulted<T> {
  /** A copy of the input with defaults filled in; the input is never modified. */
  object: T;
  /** Field paths that were filled, e.g. `spec.revisionHistoryLimit`. */
  filled: string[];
}

/**
 * Argo's defaults made explicit where the object left a field empty. Pure and idempotent:
 * `applyBuiltInDefaults(k, applyBuiltInDefaults(k, x).object)` fills nothing. Objects that are
 * not JSON objects (or have no `spec` object) come back as an unchanged copy.
 */
export function applyBuiltInDefaults<T>(kind: string, object: T): Defaulted<T> {
  const copy = structuredClone(object);
  if (!isJsonObject(copy)) return { object: copy, filled: [] };
  return { object: copy, filled: applyFieldDefaults(copy, builtInDefaultsFor(kind)) };
}
