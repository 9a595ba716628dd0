// Rollout status (reference §3). Field names, nesting and value types are Argo's exactly:
// observedGeneration is a string, HPAReplicas has a capital HPA, canary/blueGreen are always
// written (possibly empty).
import Type, { type Static } from 'typebox';
import { conditionSchema } from './condition.ts';
import { AnalysisPhaseSchema } from './metric.ts';
import { bool, durationString, freeFormObject, int32, int64, knownString, str, time } from './primitives.ts';

export const PAUSE_REASONS = ['CanaryPauseStep', 'BlueGreenPause', 'InconclusiveAnalysisRun', 'InconclusiveExperiment'] as const;

export const PauseConditionSchema = Type.Object(
  {
    reason: knownString(PAUSE_REASONS),
    startTime: time(),
  },
  { description: 'Why and since when the controller paused the rollout.' },
);
export type PauseCondition = Static<typeof PauseConditionSchema>;
export type PauseReason = PauseCondition['reason'];

export const ROLLOUT_CONDITION_TYPES = [
  'InvalidSpec',
  'Available',
  'Progressing',
  'ReplicaFailure',
  'Paused',
  'Completed',
  'Healthy',
] as const;
export const RolloutConditionSchema = conditionSchema(ROLLOUT_CONDITION_TYPES);
export type RolloutCondition = Static<typeof RolloutConditionSchema>;
export type RolloutConditionType = RolloutCondition['type'];

export const RolloutAnalysisRunStatusSchema = Type.Object(
  {
    name: str('AnalysisRun name.'),
    status: AnalysisPhaseSchema,
    message: Type.Optional(str()),
  },
  { description: 'Phase of an AnalysisRun the rollout is waiting on.' },
);
export type RolloutAnalysisRunStatus = Static<typeof RolloutAnalysisRunStatusSchema>;

export const WeightDestinationSchema = Type.Object({
  weight: int32(),
  serviceName: Type.Optional(str()),
  podTemplateHash: Type.Optional(str()),
});
export type WeightDestination = Static<typeof WeightDestinationSchema>;

export const TrafficWeightsSchema = Type.Object(
  {
    canary: WeightDestinationSchema,
    stable: WeightDestinationSchema,
    additional: Type.Optional(Type.Array(WeightDestinationSchema, { description: 'Experiment templates receiving traffic.' })),
    verified: Type.Optional(bool('Whether the traffic router confirmed the weights.')),
  },
  { description: 'Traffic weights last set through the traffic router.' },
);
export type TrafficWeights = Static<typeof TrafficWeightsSchema>;

export const StepPluginStatusSchema = Type.Object({
  index: int32('Step index.'),
  name: str('Plugin name.'),
  operation: knownString(['Run', 'Terminate', 'Abort'] as const),
  phase: Type.Optional(knownString(['Running', 'Successful', 'Failed', 'Error'] as const)),
  message: Type.Optional(str()),
  startedAt: Type.Optional(time()),
  updatedAt: Type.Optional(time()),
  finishedAt: Type.Optional(time()),
  backoff: Type.Optional(durationString()),
  executions: Type.Optional(int32()),
  disabled: Type.Optional(Type.Boolean()),
  status: Type.Optional(freeFormObject('Plugin-defined state.')),
});
export type StepPluginStatus = Static<typeof StepPluginStatusSchema>;

export const CanaryStatusSchema = Type.Object(
  {
    currentStepAnalysisRunStatus: Type.Optional(RolloutAnalysisRunStatusSchema),
    currentBackgroundAnalysisRunStatus: Type.Optional(RolloutAnalysisRunStatusSchema),
    currentExperiment: Type.Optional(str('Name of the running step experiment.')),
    weights: Type.Optional(TrafficWeightsSchema),
    stablePingPong: Type.Optional(knownString(['ping', 'pong'] as const, 'Which ping-pong Service is stable.')),
    stepPluginStatuses: Type.Optional(Type.Array(StepPluginStatusSchema)),
  },
  { description: 'Canary-specific state.' },
);
export type CanaryStatus = Static<typeof CanaryStatusSchema>;

export const BlueGreenStatusSchema = Type.Object(
  {
    previewSelector: Type.Optional(str('Pod template hash in the preview Service selector.')),
    activeSelector: Type.Optional(str('Pod template hash in the active Service selector.')),
    scaleUpPreviewCheckPoint: Type.Optional(bool()),
    prePromotionAnalysisRunStatus: Type.Optional(RolloutAnalysisRunStatusSchema),
    postPromotionAnalysisRunStatus: Type.Optional(RolloutAnalysisRunStatusSchema),
  },
  { description: 'Blue-green-specific state.' },
);
export type BlueGreenStatus = Static<typeof BlueGreenStatusSchema>;

export const AwsResourceRefSchema = Type.Object({
  name: str(),
  arn: str(),
  fullName: Type.Optional(str()),
});
export type AwsResourceRef = Static<typeof AwsResourceRefSchema>;

export const ALBStatusSchema = Type.Object(
  {
    loadBalancer: Type.Optional(AwsResourceRefSchema),
    canaryTargetGroup: Type.Optional(AwsResourceRefSchema),
    stableTargetGroup: Type.Optional(AwsResourceRefSchema),
    ingress: Type.Optional(str()),
  },
  { description: 'AWS load balancer and target groups behind an ALB Ingress.' },
);
export type ALBStatus = Static<typeof ALBStatusSchema>;

export const RolloutDurationStatusSchema = Type.Object(
  {
    rolloutStartedAt: Type.Optional(time()),
    manualPauseStartedAt: Type.Optional(time()),
    totalManualPauseDurationSeconds: Type.Optional(int64()),
    finishedAt: Type.Optional(time()),
    completionStatus: Type.Optional(
      knownString(['Promoted', 'FastPromoted', 'Aborted', 'Superseded', 'RolledBack', 'FastRolledBack'] as const),
    ),
  },
  { description: 'Timing of the last update (telemetry only).' },
);
export type RolloutDurationStatus = Static<typeof RolloutDurationStatusSchema>;

export const ROLLOUT_PHASES = ['Healthy', 'Progressing', 'Paused', 'Degraded'] as const;

export const RolloutStatusSchema = Type.Object(
  {
    abort: Type.Optional(bool('Set by a user (or the controller) to abort the update.')),
    pauseConditions: Type.Optional(Type.Array(PauseConditionSchema)),
    controllerPause: Type.Optional(bool('The controller paused the rollout and has not yet seen it resumed.')),
    abortedAt: Type.Optional(time()),
    currentPodHash: Type.Optional(str('Pod template hash of the ReplicaSet matching the current template.')),
    currentStepHash: Type.Optional(str('Hash of the canary steps; a change restarts them.')),
    replicas: Type.Optional(int32()),
    updatedReplicas: Type.Optional(int32()),
    readyReplicas: Type.Optional(int32()),
    availableReplicas: Type.Optional(int32()),
    currentStepIndex: Type.Optional(int32('Index of the current canary step; len(steps) when all are done.')),
    collisionCount: Type.Optional(int32()),
    observedGeneration: Type.Optional(str('metadata.generation last acted upon, as a decimal string.')),
    conditions: Type.Optional(Type.Array(RolloutConditionSchema)),
    canary: Type.Optional(CanaryStatusSchema),
    blueGreen: Type.Optional(BlueGreenStatusSchema),
    HPAReplicas: Type.Optional(int32('Replica count reported to the scale subresource.')),
    selector: Type.Optional(str('Label selector of the counted pods, e.g. app=demo.')),
    stableRS: Type.Optional(str('Pod template hash of the last fully promoted ReplicaSet.')),
    restartedAt: Type.Optional(time()),
    promoteFull: Type.Optional(bool('Set by a user to skip the remaining steps.')),
    phase: Type.Optional(knownString(ROLLOUT_PHASES)),
    message: Type.Optional(str('Why the rollout is in its phase.')),
    workloadObservedGeneration: Type.Optional(str('Generation of the referenced workload last acted upon.')),
    alb: Type.Optional(ALBStatusSchema),
    albs: Type.Optional(Type.Array(ALBStatusSchema)),
    duration: Type.Optional(RolloutDurationStatusSchema),
  },
  { description: 'Observed state of a Rollout.' },
);
export type RolloutStatus = Static<typeof RolloutStatusSchema>;
export type RolloutPhase = NonNullable<RolloutStatus['phase']>;
