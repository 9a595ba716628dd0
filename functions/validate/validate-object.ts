// One entry point for admission and `ramp lint`: shape first, then the kind's semantic rules.
import { type ArgoKind, type FieldError, validateShape } from '../api/index.ts';
import type { AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate, Experiment, Rollout } from '../api/index.ts';
import { validateAnalysisRun, validateAnalysisTemplate, validateClusterAnalysisTemplate } from './analysis.ts';
import { validateExperiment } from './experiment.ts';
import { jsonEqual } from '../defaults/json.ts';
import { obj, withoutNulls } from './read.ts';
import { validateRollout } from './rollout.ts';

/**
 * Every problem of `object` as a `kind`: shape errors (wrong types, missing required fields;
 * unknown fields pass, as the API server prunes them), then the semantic rules of the kind.
 * A semantic error at a path the shape check already reported is dropped.
 *
 * With `old` (an update): the update-only rules too. An update that leaves `spec` as it was — a
 * status or metadata write — is never refused, so a problem that predates the webhook cannot
 * block the controller or a label change.
 */
export function validateObject(kind: ArgoKind, object: unknown, old?: unknown): FieldError[] {
  const current = withoutNulls(object);
  const previous = old === undefined ? undefined : withoutNulls(old);
  if (previous !== undefined && obj(current) !== undefined && jsonEqual(obj(current)?.['spec'], obj(previous)?.['spec'])) return [];

  const shape = validateShape(kind, current, { unknownFields: 'ignore' });
  if (obj(current) === undefined) return shape;
  const shapePaths = new Set(shape.map((error) => error.path));
  const semantic = semanticErrors(kind, current, previous).filter((error) => !shapePaths.has(error.path));
  return [...shape, ...semantic];
}

function semanticErrors(kind: ArgoKind, object: unknown, old: unknown): FieldError[] {
  switch (kind) {
    case 'Rollout':
      return validateRollout(object as Rollout, old as Rollout | undefined);
    case 'AnalysisTemplate':
      return validateAnalysisTemplate(object as AnalysisTemplate);
    case 'ClusterAnalysisTemplate':
      return validateClusterAnalysisTemplate(object as ClusterAnalysisTemplate);
    case 'AnalysisRun':
      return validateAnalysisRun(object as AnalysisRun);
    case 'Experiment':
      return validateExperiment(object as Experiment, old as Experiment | undefined);
  }
}
