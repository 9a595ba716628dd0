// Analysis: the pure core of AnalysisRuns (reference §11). No I/O, no clock: time is an argument.
export { decideAnalysisRun } from './decide.ts';
export type { AnalysisDecision, AnalysisRunSnapshot, GarbageCollection } from './decide.ts';
export { recordMeasurement } from './record.ts';
export type { RecordOptions } from './record.ts';
export { assessMetric, isInFlight, isTerminating, lastMeasurementOf, limitBreach } from './assess.ts';
export { isCompletedPhase, isFailingPhase, isWorsePhase } from './phases.ts';
export {
  DEFAULT_CONSECUTIVE_ERROR_LIMIT,
  DEFAULT_MEASUREMENT_RETENTION,
  ERROR_RETRY_INTERVAL_MS,
  metricLimits,
} from './metric-limits.ts';
export type { MetricLimits } from './metric-limits.ts';
export { mergeArgs, redactSecrets, resolveArgValues, SECRET_PLACEHOLDER, substituteMetricArgs } from './args.ts';
export type { ResolvedArgs, SecretLookup } from './args.ts';
export { dryRunMetricNames, measurementRetentionLimits, providerTypes, validateMetric, validateMetrics } from './validate.ts';
export { flattenTemplates, newAnalysisRun, resolveTemplateRefs } from './templates.ts';
export type { FlatTemplate, NewAnalysisRunInput, TemplateLike, TemplateLookup } from './templates.ts';
export { rolloutAnalysisRunAnnotations, rolloutAnalysisRunLabels, rolloutAnalysisRunName } from './naming.ts';
export type { RolloutAnalysisKind, RolloutAnalysisRunIdentity } from './naming.ts';
export { readFieldPath, resolveRolloutArgs } from './rollout-args.ts';
export type { RolloutArgContext } from './rollout-args.ts';
export { completionEvents } from './events.ts';
export type { AnalysisEvent } from './events.ts';
export { ttlExpiry } from './ttl.ts';
export { errorMeasurement, evaluateMeasurement } from './measurement.ts';
export type { EvaluatedResult } from './measurement.ts';
export { formatTime } from './time.ts';
export { findJsonPath, JsonPathError, parseJsonPath } from './jsonpath.ts';
export type { JsonPathStep } from './jsonpath.ts';
export {
  analysisRunsToDelete,
  DEFAULT_SUCCESSFUL_RUN_HISTORY_LIMIT,
  DEFAULT_UNSUCCESSFUL_RUN_HISTORY_LIMIT,
  isReusableAnalysisRun,
  reactionToRun,
} from './rollout-runs.ts';
export type { RunReaction } from './rollout-runs.ts';
