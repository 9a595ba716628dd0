// Admission-time validation of the Argo kinds: every problem, each with its exact field path.
// Errors reject; problems with referenced objects are warnings (see docs/validation.md).
export { validateObject } from './validate-object.ts';
export { validateRollout } from './rollout.ts';
export { validateAnalysisRun, validateAnalysisTemplate, validateClusterAnalysisTemplate } from './analysis.ts';
export { validateExperiment } from './experiment.ts';
export { validateMetrics } from './metrics.ts';
export {
  type IngressView,
  type Lookup,
  type ReferencedObjects,
  type ServiceView,
  type Warning,
  checkExperimentReferences,
  checkRolloutReferences,
} from './references.ts';
export { EXCLUSIVE_STEP_ACTIONS, STEP_ACTIONS } from './canary-steps.ts';
