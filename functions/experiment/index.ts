// Experiments: the pure core (reference §12). No I/O, no clock: time is an argument.
export { decideExperiment } from './decide.ts';
export type {
  AnnotationChanges,
  DecideExperimentOptions,
  ExperimentAction,
  ExperimentActionKind,
  ExperimentDecision,
  ExperimentEvent,
  ExperimentServiceView,
  ExperimentSnapshot,
  ReplicaSetManifest,
  ReplicaSetView,
  ServiceManifest,
} from './types.ts';
export {
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_SCALE_DOWN_DELAY_SECONDS,
  DEFAULT_TEMPLATE_REPLICAS,
} from './defaults.ts';
export {
  analysisRunName,
  controlledBy,
  experimentOwnerReference,
  templateAnnotations,
  templateOf,
  templateReplicaSetName,
} from './names.ts';
export { podTemplateWithHash, servicePorts, templateHash, templateReplicaSet, templateService, templateServiceName } from './manifests.ts';
export { resolveExperimentArgs, substituteExperimentPlaceholders, type ExperimentArgContext } from './args.ts';
export {
  assessAnalyses,
  assessTemplates,
  experimentPhase,
  hasRequiredAnalyses,
  isCompletedTemplateStatus,
  isTerminating,
  requiredAnalysesSuccessful,
  REQUIRED_ANALYSES_COMPLETED,
} from './phase.ts';
export { experimentSpecProblems, invalidSpecMessage } from './spec-problems.ts';
export { CONDITION_MESSAGE, CONDITION_REASON } from './conditions.ts';
