// The CLI's decisions, pure: what each `ramp` rollout action writes, and how a Rollout is shown.
export * from './rollout-write.ts';
export * from './rollout-facts.ts';
export { promote, promoteFull } from './promote.ts';
export { abort } from './abort.ts';
export { retry, retryExperimentPatch } from './retry.ts';
export { pause } from './pause.ts';
export { resume } from './resume.ts';
export { restart, formatRfc3339Seconds } from './restart.ts';
export { setImage, parseImageAssignments, withImages, usesWorkloadRef, CONTAINER_LISTS, type ImageAssignment } from './set-image.ts';
export { undo, revisionHistory, templateForUndo, type UndoOptions } from './undo.ts';
export { isDerivative } from './template-derivative.ts';
export { rolloutHealth, calculatePhase, formatHealth, healthVerdict, type RolloutHealth } from './rollout-health.ts';
export { renderRolloutTree, replicaSetInfos, analysisRunInfos, replicaSetHealth, currentSetWeight, actualWeight, imagesWithTags, type RenderOptions } from './rollout-tree.ts';
export { podSummary, type PodSummary } from './pod-status.ts';
export { humanDuration, ageOf } from './human-duration.ts';
export { alignColumns, visibleWidth } from './text-table.ts';
export * from './objects.ts';
